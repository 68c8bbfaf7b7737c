"""Publishing releases: atomic folders, immutability, manifest, index and round trips."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import frictionless
import polars as pl
import pytest
from sample_records import document, mention, rejection, release_frames

from etl.models import SCHEMA_VERSION, TABLES
from etl.release import (
    CODEBOOK_DIR,
    ReleaseExistsError,
    next_version,
    publish_release,
    published_versions,
    read_index,
    read_manifest,
)
from etl.release_plots import PLOTS
from etl.schema import render_schema
from etl.tables import read_csv, records_from_frame

D = dt.date
QUALITY = {"success": True, "expectations": []}
CODER = {"coder": "parley-rules", "coder_version": "1.0.0", "actors_version": "abc123"}


def _frames() -> dict[str, pl.DataFrame]:
    docs = [document("a-1", "Reuters", D(2025, 5, 18)), document("b-2", "TASS", D(2025, 5, 17))]
    mentions = [
        mention("m1", docs[0], conditions=[("deadline", "from Monday")]),
        mention("m2", docs[1], evidence=[(0, 30, 'Peskov: "ready", with a comma')]),
        mention("m3", docs[1], action="0256", target=None),
    ]
    rejections = [
        rejection("z-9", "duplicate", detail="same text as a-1"),
        rejection("c-3", "empty"),
        rejection("c-3", "duplicate_id", location="more/c-3.txt", detail="doc id 'c-3' is already taken"),
    ]
    return release_frames(mentions, docs, rejections)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_writes_the_release_folder(tmp_path: Path) -> None:
    path = publish_release(tmp_path, "1.0.0", _frames(), QUALITY, CODER)

    assert path == tmp_path / "v1.0.0"
    names = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    assert names == {
        *(f"{t}.{ext}" for t in [*TABLES, "deletions"] for ext in ("parquet", "csv")),
        *(f"schema/{t}.schema.json" for t in TABLES),
        *(f"codebook/{p.name}" for p in CODEBOOK_DIR.iterdir()),
        "codebook/condition_categories.csv",
        *(name for name, _, _ in PLOTS),
        "datapackage.json",
        "NOTES.md",
        "README.md",
        "CITATION.cff",
        "quality.json",
        "manifest.json",
    }
    for table in TABLES:
        assert (path / "schema" / f"{table}.schema.json").read_text(encoding="utf-8") == render_schema(table)
    assert json.loads((path / "quality.json").read_text(encoding="utf-8")) == QUALITY


def test_rejected_sources_are_published_and_frictionless_reads_them(tmp_path: Path) -> None:
    path = publish_release(tmp_path, "1.0.0", _frames(), QUALITY, CODER)
    rows = read_csv(path / "rejections.csv", "rejections").rows()
    assert rows == [
        ("c-3", "c-3.txt", "empty", "no text"),
        ("c-3", "more/c-3.txt", "duplicate_id", "doc id 'c-3' is already taken"),
        ("z-9", "z-9.txt", "duplicate", "same text as a-1"),
    ]
    report = frictionless.validate(path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    resource = frictionless.Package(path / "datapackage.json").get_resource("rejections")
    assert resource.schema.primary_key == ["doc_id", "location"]
    card = (path / "README.md").read_text(encoding="utf-8")
    assert "| rejections | 3 |" in card
    assert "Sources rejected, by reason: duplicate (1), duplicate_id (1), empty (1)" in card


def test_a_release_is_readable_by_everyone(tmp_path: Path) -> None:
    path = publish_release(tmp_path, "1.0.0", _frames(), QUALITY, CODER)
    assert path.stat().st_mode & 0o755 == 0o755
    assert (tmp_path / "index.json").stat().st_mode & 0o644 == 0o644
    assert all(p.stat().st_mode & 0o444 == 0o444 for p in path.rglob("*"))


def test_manifest_lists_counts_and_verifiable_files(tmp_path: Path) -> None:
    frames = _frames()
    path = publish_release(tmp_path, "1.0.0", frames, QUALITY, CODER)
    manifest = read_manifest(path)

    assert manifest.version == "1.0.0"
    assert manifest.schema_version == SCHEMA_VERSION
    assert manifest.coder == CODER
    assert manifest.counts == {t: f.height for t, f in frames.items()}
    created = dt.datetime.fromisoformat(manifest.created)
    assert created.utcoffset() == dt.timedelta(0)
    assert set(manifest.files) == {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()} - {"manifest.json"}
    for name, entry in manifest.files.items():
        data = (path / name).read_bytes()
        assert (entry.bytes, entry.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_parquet_and_csv_read_back_equal(tmp_path: Path) -> None:
    frames = _frames()
    path = publish_release(tmp_path, "1.0.0", frames, QUALITY, CODER)
    for table, frame in frames.items():
        parquet = pl.read_parquet(path / f"{table}.parquet")
        assert parquet.equals(frame)
        assert parquet.schema == frame.schema
        csv = read_csv(path / f"{table}.csv", table)
        assert records_from_frame(csv, table) == records_from_frame(parquet, table)


def test_every_file_but_the_manifest_is_identical_when_rebuilt(tmp_path: Path) -> None:
    one = publish_release(tmp_path / "a", "1.0.0", _frames(), QUALITY, CODER)
    two = publish_release(tmp_path / "b", "1.0.0", _frames(), QUALITY, CODER)
    first, second = _snapshot(one), _snapshot(two)
    del first["manifest.json"], second["manifest.json"]  # records the creation time
    assert first == second


def test_data_files_do_not_depend_on_the_version(tmp_path: Path) -> None:
    one = _snapshot(publish_release(tmp_path, "1.0.0", _frames(), QUALITY, CODER))
    two = _snapshot(publish_release(tmp_path, "1.1.0", _frames(), QUALITY, CODER))
    data = [name for name in one if name.endswith((".parquet", ".csv", ".schema.json", ".md")) and name not in ("NOTES.md", "README.md")]
    assert "events.parquet" in data and "codebook/CODEBOOK.md" in data
    assert {name: one[name] for name in data} == {name: two[name] for name in data}


def test_an_existing_version_is_refused_and_disk_is_unchanged(tmp_path: Path) -> None:
    publish_release(tmp_path, "1.0.0", _frames(), QUALITY, CODER)
    before = _snapshot(tmp_path)
    listing_before = sorted(os.listdir(tmp_path))

    changed = _frames()
    changed["documents"] = changed["documents"].head(1)
    with pytest.raises(ReleaseExistsError, match=r"v1\.0\.0") as caught:
        publish_release(tmp_path, "1.0.0", changed, {"success": False}, CODER)

    assert caught.value.path == tmp_path / "v1.0.0"
    assert _snapshot(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == listing_before


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-rc1", "01.0.0", "", "1.0.0/../x"])
def test_a_malformed_version_is_refused_before_writing(tmp_path: Path, version: str) -> None:
    with pytest.raises(ValueError, match="X.Y.Z"):
        publish_release(tmp_path / "releases", version, _frames(), QUALITY, CODER)
    assert not (tmp_path / "releases").exists()


def test_tables_in_another_layout_are_refused(tmp_path: Path) -> None:
    frames = _frames()
    frames["events"] = frames["events"].with_columns(pl.col("quad_class").cast(pl.Int32))
    with pytest.raises(ValueError, match="layout"):
        publish_release(tmp_path, "1.0.0", frames, QUALITY, CODER)
    missing = {k: v for k, v in _frames().items() if k != "mentions"}
    with pytest.raises(ValueError, match="exactly the tables"):
        publish_release(tmp_path, "1.0.0", missing, QUALITY, CODER)
    assert not (tmp_path / "v1.0.0").exists()


def test_a_failed_write_leaves_no_folder_behind(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        publish_release(tmp_path, "1.0.0", _frames(), {"not json": object()}, CODER)
    assert not (tmp_path / "v1.0.0").exists()
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == []


def test_index_lists_every_release_in_version_order(tmp_path: Path) -> None:
    for version in ("1.0.0", "1.10.0", "1.2.0"):
        publish_release(tmp_path, version, _frames(), QUALITY, CODER)
    index = read_index(tmp_path)
    assert [e.version for e in index.releases] == ["1.0.0", "1.2.0", "1.10.0"]
    for entry in index.releases:
        manifest_bytes = (tmp_path / f"v{entry.version}" / "manifest.json").read_bytes()
        assert entry.manifest_sha256 == hashlib.sha256(manifest_bytes).hexdigest()
        assert entry.counts == {"documents": 2, "events": 2, "mentions": 3, "rejections": 3}
        assert entry.schema_version == SCHEMA_VERSION
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".index")]


def test_next_version_bumps_the_newest_minor(tmp_path: Path) -> None:
    assert next_version(tmp_path / "none-yet") == "1.0.0"
    assert next_version(tmp_path) == "1.0.0"
    publish_release(tmp_path, "1.9.0", _frames(), QUALITY, CODER)
    publish_release(tmp_path, "1.10.3", _frames(), QUALITY, CODER)
    (tmp_path / ".v9.0.0.unfinished").mkdir()
    (tmp_path / "notes").mkdir()
    assert published_versions(tmp_path) == ["1.9.0", "1.10.3"]
    assert next_version(tmp_path) == "1.11.0"
