"""Two runs over the same inputs publish the same bytes, and a bare folder runs end to end.

The corpus is the bad-input folder of tests/bad_corpus.py handed straight to
run_pipeline, as `parley run --sources DIR` does: the run must publish a release of
the good documents despite the bad ones, with a rejected row for each bad one, and a second run into another releases folder
with the same version must produce byte-identical data files. Only manifest.json may
differ, by the time it records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from bad_corpus import BAD, build_corpus

from dagster_project.run import RunSummary, run_pipeline
from etl.release import MANIFEST_NAME, read_manifest
from etl.release_verify import verify_release
from etl.tables import read_csv

pytestmark = pytest.mark.integration

VERSION = "1.0.0"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[RunSummary, Path, list[str]]]]:
    corpus = build_corpus(tmp_path_factory.mktemp("corpus"))
    runs = []
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DAGSTER_HOME", raising=False)
        for name in ("first", "second"):
            releases = tmp_path_factory.mktemp(f"releases-{name}")
            lines: list[str] = []
            summary = run_pipeline(corpus, releases, VERSION, work_dir=tmp_path_factory.mktemp(f"work-{name}"), echo=lines.append)
            runs.append((summary, releases / f"v{VERSION}", lines))
    yield runs


def test_a_bare_folder_with_bad_files_runs_to_a_release(two_runs) -> None:
    summary, release, lines = two_runs[0]
    assert summary.ok, "\n".join(lines)
    assert summary.documents_rejected == len(BAD)
    assert summary.documents_read is not None and summary.documents_read >= 5
    assert summary.events is not None and summary.events > 0
    assert (release / "events.parquet").is_file()


def _files(release: Path) -> dict[str, bytes]:
    return {path.relative_to(release).as_posix(): path.read_bytes() for path in sorted(release.rglob("*")) if path.is_file()}


def test_two_runs_publish_byte_identical_data_files(two_runs) -> None:
    (first, first_release, _), (second, second_release, _) = two_runs
    assert first.ok and second.ok
    first_files, second_files = _files(first_release), _files(second_release)
    assert set(first_files) == set(second_files)
    data = [name for name in first_files if name.endswith((".parquet", ".csv"))]
    assert {"events.parquet", "events.csv", "mentions.parquet", "mentions.csv", "documents.parquet", "documents.csv"} <= set(data)
    for name in first_files:
        if name != MANIFEST_NAME:
            assert first_files[name] == second_files[name], f"{name} differs between two runs over the same inputs"
    first_manifest, second_manifest = (json.loads(files[MANIFEST_NAME]) for files in (first_files, second_files))
    first_manifest.pop("created"), second_manifest.pop("created")
    assert first_manifest == second_manifest


def test_the_release_and_the_summary_report_every_rejected_source(two_runs) -> None:
    summary, release, lines = two_runs[0]
    expected = {Path(name).stem: reason for name, reason in BAD.items()}
    by_reason = {reason: list(expected.values()).count(reason) for reason in sorted(set(expected.values()))}

    rejected = pl.read_parquet(release / "rejections.parquet")
    assert dict(zip(rejected["doc_id"], rejected["reason"], strict=True)) == expected
    assert read_csv(release / "rejections.csv", "rejections").equals(rejected)
    manifest = read_manifest(release)
    assert manifest.counts["rejections"] == len(BAD)
    assert {"rejections.parquet", "rejections.csv", "schema/rejections.schema.json"} <= set(manifest.files)
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert "rejections" in [resource["name"] for resource in package["resources"]]
    assert f"| rejections | {len(BAD)} |" in (release / "README.md").read_text(encoding="utf-8")

    counts = json.loads((release / "quality.json").read_text(encoding="utf-8"))["counts"]
    assert counts["rejected_by_reason"] == by_reason == summary.rejected_by_reason
    assert counts["duplicates"] == by_reason["duplicate"] == summary.duplicates
    assert counts["documents_read"] == summary.documents_read and counts["documents_rejected"] == len(BAD)
    assert (counts["mentions"], counts["events"]) == (summary.mentions, summary.events)
    reasons = ", ".join(f"{reason} {n}" for reason, n in by_reason.items())
    assert f"{len(BAD)} rejected ({reasons}), {by_reason['duplicate']} duplicates," in lines[-2]
    assert "ok check rejections_match_schema:" in "\n".join(lines)
    assert verify_release(release)[0] == []
