"""Materialize the real Dagster graph: the bundled corpus becomes a release a consumer can trust.

One run on the bundled corpus serves several tests (a run costs seconds). The release is
read back the way a consumer would read it: polars for the tables, jsonschema with the
schema files shipped inside the release for every row of both formats.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from jsonschema import Draft202012Validator

from etl.models import SCHEMA_VERSION, TABLES
from etl.release import read_index, read_manifest
from etl.tables import read_csv, records_from_frame

pytestmark = pytest.mark.integration

REPOSITORY = Path(__file__).resolve().parents[1]
BUNDLED_MANIFEST = REPOSITORY / "datasets" / "sources" / "manifest.yaml"


@pytest.fixture(scope="module")
def dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def bundled_run(dagster_home: Path, tmp_path_factory: pytest.TempPathFactory):
    from dagster_project.run import run_pipeline

    releases = tmp_path_factory.mktemp("releases")
    lines: list[str] = []
    summary = run_pipeline(BUNDLED_MANIFEST, releases, None, echo=lines.append)
    return summary, releases, lines


def test_bundled_corpus_is_released(bundled_run) -> None:
    summary, releases, lines = bundled_run
    assert summary.ok, "\n".join(lines)
    assert summary.version == "1.0.0"
    assert Path(summary.release_path) == releases / "v1.0.0"
    assert summary.documents_read == 5 and summary.documents_rejected == 0
    assert summary.events >= 10
    assert summary.mentions >= summary.events
    assert summary.checks_failed == []
    assert summary.checks_passed == [
        "documents_match_schema",
        "events_match_schema",
        "events_pass_quality_suite",
        "mentions_match_schema",
        "rejections_match_schema",
    ]


def test_progress_is_one_readable_line_per_step(bundled_run) -> None:
    _, _, lines = bundled_run
    text = "\n".join(lines)
    for expected in ("ok documents:", "ok event_mentions:", "ok events:", "ok mentions:", "ok release: published v1.0.0"):
        assert expected in text
    assert "ok check events_pass_quality_suite:" in text
    assert "ok check rejections_match_schema: 0 rows valid" in text
    assert lines[-2].startswith("summary: 5 documents read, 0 rejected, 0 duplicates, ")
    assert len(lines) < 40


def test_every_record_matches_the_schema_shipped_in_the_release(bundled_run) -> None:
    _, releases, _ = bundled_run
    release = releases / "v1.0.0"
    for table in TABLES:
        schema = json.loads((release / "schema" / f"{table}.schema.json").read_text(encoding="utf-8"))
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        from_parquet = records_from_frame(pl.read_parquet(release / f"{table}.parquet"), table)
        from_csv = records_from_frame(read_csv(release / f"{table}.csv", table), table)
        for record in [*from_parquet, *from_csv]:
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, (table, record, errors)
        assert from_parquet == from_csv, table


def test_release_files_agree_with_manifest_and_index(bundled_run) -> None:
    summary, releases, _ = bundled_run
    release = releases / "v1.0.0"
    manifest = read_manifest(release)
    counts = {t: pl.read_parquet(release / f"{t}.parquet").height for t in TABLES}
    assert manifest.counts == counts
    assert counts["events"] == summary.events and counts["mentions"] == summary.mentions
    assert manifest.coder["coder_version"]
    quality = json.loads((release / "quality.json").read_text(encoding="utf-8"))
    assert quality["success"] is True and quality["expectations"]
    assert quality["counts"] == {
        "documents_read": 5, "documents_rejected": 0, "rejected_by_reason": {}, "duplicates": 0,
        "mentions": summary.mentions, "events": summary.events,
    }
    assert [e.version for e in read_index(releases).releases] == ["1.0.0"]
    assert not [p for p in releases.iterdir() if p.name.startswith(".v")]


def test_the_run_is_recorded_in_dagster_home(bundled_run, dagster_home: Path) -> None:
    import dagster as dg

    summary, _, _ = bundled_run
    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(summary.run_id)
        assert run is not None and run.is_success


def test_a_published_version_is_refused_and_kept(bundled_run, tmp_path: Path) -> None:
    from dagster_project.run import run_pipeline

    _, releases, _ = bundled_run
    before = {p: p.read_bytes() for p in releases.rglob("*") if p.is_file()}
    lines: list[str] = []
    summary = run_pipeline(BUNDLED_MANIFEST, releases, "1.0.0", work_dir=tmp_path / "work", echo=lines.append)
    assert not summary.ok
    assert any("already exists" in e for e in summary.errors)
    assert {p: p.read_bytes() for p in releases.rglob("*") if p.is_file()} == before


def test_a_malformed_version_is_refused(dagster_home: Path, tmp_path: Path) -> None:
    from dagster_project.run import run_pipeline

    with pytest.raises(ValueError, match="X.Y.Z"):
        run_pipeline(BUNDLED_MANIFEST, tmp_path, "v2", echo=lambda _: None)


def _schema_without(field: str, table: str, folder: Path) -> Path:
    """The committed schema as it would be had `field` been added to the model without publishing a new schema.

    That is schema drift: the code emits a column the published contract does not allow
    (additionalProperties is false), so every consumer validating rows would reject them.
    """
    shutil.copytree(REPOSITORY / "schema", folder)
    path = folder / SCHEMA_VERSION / f"{table}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    del schema["properties"][field]
    schema["required"] = [name for name in schema["required"] if name != field]
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return folder


def test_a_failing_blocking_check_prevents_the_release(dagster_home: Path, tmp_path: Path) -> None:
    from dagster_project.run import run_pipeline

    schema_dir = _schema_without("plover_type", "mentions", tmp_path / "schema")
    releases = tmp_path / "releases"
    lines: list[str] = []
    summary = run_pipeline(
        BUNDLED_MANIFEST, releases, None, work_dir=tmp_path / "work", echo=lines.append, schema_dir=schema_dir
    )

    assert not summary.ok
    assert summary.checks_failed == ["mentions_match_schema"]
    assert summary.release_path is None and summary.version is None
    assert "release" not in summary.failed_steps  # never started: blocked, not crashed
    assert not any(line.startswith("  .. release") for line in lines)
    assert not releases.exists() or not any(releases.iterdir())
    failure = next(line for line in lines if "FAILED check mentions_match_schema" in line)
    assert f"{summary.mentions} of {summary.mentions} rows invalid" in failure
    assert "'plover_type' was unexpected" in failure
    assert lines[-1] == "no release: blocking check(s) failed: mentions_match_schema"


def test_dagster_loads_the_definitions_from_the_repository_root(dagster_home: Path) -> None:
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [str(dagster), "definitions", "validate"],
        cwd=REPOSITORY,
        env={**os.environ, "DAGSTER_HOME": str(dagster_home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
