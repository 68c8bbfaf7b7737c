"""`parley releases list | show | diff | verify` on real release folders."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from sample_records import document, mention

from dagster_project.cli import main
from etl.release import publish_release
from etl.resolve import resolve_events
from etl.tables import to_frame

D = dt.date
QUALITY = {"success": True, "expectations": []}
CODER = {"coder": "parley-rules", "coder_version": "1.0.0"}


def _frames(names: list[str]) -> dict[str, pl.DataFrame]:
    docs = {
        "a-1": document("a-1", "Reuters", D(2025, 5, 18)),
        "b-2": document("b-2", "TASS", D(2025, 5, 17)),
        "c-3": document("c-3", "AP", D(2025, 6, 2)),
    }
    all_mentions = {
        "m1": lambda: mention("m1", docs["a-1"]),
        "m2": lambda: mention("m2", docs["b-2"]),
        "m3": lambda: mention("m3", docs["b-2"], action="0256", target=None),
        "m4": lambda: mention("m4", docs["c-3"], actor="USAGOV", action="036", target="RUSGOV", date=D(2025, 6, 1)),
    }
    mentions = [all_mentions[n]() for n in names]
    used = [docs[d] for d in sorted({m.doc_id for m in mentions})]
    events, linked = resolve_events(mentions, used)
    return {"events": to_frame("events", events), "mentions": to_frame("mentions", linked), "documents": to_frame("documents", used), "rejections": to_frame("rejections", [])}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1.0.0 with m1+m2 (one event, two outlets) and m3; v1.1.0 drops m2 and m3 and adds m4."""
    folder = tmp_path_factory.mktemp("releases")
    publish_release(folder, "1.0.0", _frames(["m1", "m2", "m3"]), QUALITY, CODER)
    publish_release(folder, "1.1.0", _frames(["m1", "m4"]), QUALITY, CODER)
    return folder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_list_shows_every_version_with_counts(releases: Path, tmp_path: Path, capsys) -> None:
    status, out, _ = _run(capsys, "releases", "list", "--releases", str(releases))
    assert status == 0
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [("1.0.0", "2", "3", "2"), ("1.1.0", "2", "2", "2")]
    assert _run(capsys, "releases", "list", "--releases", str(tmp_path))[1] == f"no releases in {tmp_path}\n"


def test_show_prints_the_manifest(releases: Path, capsys) -> None:
    status, out, _ = _run(capsys, "releases", "show", "v1.1.0", "--releases", str(releases))
    assert status == 0
    assert f"release v1.1.0 at {releases / 'v1.1.0'}" in out
    assert "counts: documents 2, events 2, mentions 2" in out
    assert "datapackage.json" in out and "deletions.csv" in out


def test_a_missing_release_is_named(releases: Path, capsys) -> None:
    status, _, err = _run(capsys, "releases", "show", "2.0.0", "--releases", str(releases))
    assert status == 2
    assert f"no release 2.0.0 in {releases}" in err


def test_diff_reports_added_removed_changed_by_root_and_actor(releases: Path, capsys) -> None:
    status, out, _ = _run(capsys, "releases", "diff", "1.0.0", "1.1.0", "--releases", str(releases))
    assert status == 0
    assert "From v1.0.0 to v1.1.0: 1 events added, 1 removed, 1 changed." in out
    # the event lost its TASS mention: its documents and its earliest source changed, not its coding
    assert (
        "Fields that changed: doc_id (1), doc_ids (1), evidence (1), n_mentions (1), n_sources (1), "
        "source_name (1), source_published (1), source_url (1)." in out
    )
    assert "| 02 | 0 | 1 | 0 |" in out and "| 03 | 1 | 0 | 1 |" in out
    assert "| RUSGOV | 0 | 1 | 1 |" in out and "| USAGOV | 1 | 0 | 0 |" in out


def test_deletions_and_notes_compare_with_the_previous_release(releases: Path) -> None:
    first = pl.read_csv(releases / "v1.0.0" / "deletions.csv")
    assert first.height == 0 and "event_id" in first.columns
    assert (releases / "v1.0.0" / "NOTES.md").read_text().count("First release: 2 events") == 1

    old_events = pl.read_parquet(releases / "v1.0.0" / "events.parquet")
    removed = old_events.filter(pl.col("action_code") == "0256").get_column("event_id").to_list()
    deletions = pl.read_parquet(releases / "v1.1.0" / "deletions.parquet")
    assert deletions.get_column("event_id").to_list() == removed
    assert deletions.get_column("last_version").to_list() == ["1.0.0"]
    notes = (releases / "v1.1.0" / "NOTES.md").read_text()
    assert "1 events added, 1 removed, 1 changed" in notes and removed[0] in notes


def test_verify_passes_on_a_published_release(releases: Path, capsys) -> None:
    status, out, _ = _run(capsys, "releases", "verify", "1.1.0", "--releases", str(releases))
    assert status == 0, out
    assert "ok manifest.json matches index.json" in out
    assert "ok events.csv: 2 rows valid against schema/events.schema.json" in out
    assert out.splitlines()[-1] == f"{releases / 'v1.1.0'}: verified"


@pytest.mark.parametrize(
    "name", ["events.parquet", "mentions.csv", "schema/events.schema.json", "datapackage.json", "README.md",
             "codebook/CODEBOOK.md", "manifest.json"]
)
def test_verify_fails_when_one_byte_changes(releases: Path, tmp_path: Path, capsys, name: str) -> None:
    copy = tmp_path / "releases"
    shutil.copytree(releases, copy)
    path = copy / "v1.1.0" / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(data))

    status, out, _ = _run(capsys, "releases", "verify", "1.1.0", "--releases", str(copy))

    assert status == 1
    failures = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert failures and all(str(copy / "v1.1.0") in line for line in failures)
    assert any(name in line for line in failures), failures


def test_verify_fails_on_missing_and_unlisted_files(releases: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "releases"
    shutil.copytree(releases, copy)
    (copy / "v1.1.0" / "NOTES.md").unlink()
    (copy / "v1.1.0" / "extra.csv").write_text("a\n1\n")

    status, out, _ = _run(capsys, "releases", "verify", "v1.1.0", "--releases", str(copy))

    assert status == 1
    assert f"FAILED {copy / 'v1.1.0' / 'NOTES.md'}: listed in the manifest but missing" in out
    assert f"FAILED {copy / 'v1.1.0' / 'extra.csv'}: not listed in the manifest" in out
