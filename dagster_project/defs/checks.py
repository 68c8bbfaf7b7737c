"""Blocking ERROR checks on the release tables: a failure stops the release in the same run.

The schema checks read each table back from Parquet and validate every row against the
committed schema files with etl.validate_files.row_errors, the validator of `parley validate`,
exactly as a consumer would. The
quality check runs the Great Expectations suites and leaves its report in the work
folder for the release to publish. The rejected sources are no asset of their own (the
documents step finds them as it reads), so their schema check hangs on documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

import dagster as dg
from dagster_project import work_tables as wt
from dagster_project.defs.resources import ParleyPaths
from etl.models import SCHEMA_VERSION
from etl.schema import committed_schema_path
from etl.tables import ID_COLUMNS, records_from_frame
from etl.validate_files import row_errors

_FIRST_ERRORS = 5


def _schema_check(table: str, parquet: Path, schema_dir: Path) -> dg.AssetCheckResult:
    schema_path = committed_schema_path(table, root=schema_dir)
    if not schema_path.exists():
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"summary": f"no committed schema at {schema_path}", "schema": str(schema_path)},
        )
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    records = records_from_frame(pl.read_parquet(parquet), table)
    ident = ID_COLUMNS[table]
    invalid: set[int] = set()
    first_errors: list[str] = []
    for error in row_errors(records, schema):
        invalid.add(error.row)
        if len(first_errors) < _FIRST_ERRORS:
            first_errors.append(f"{records[error.row - 1].get(ident)}: {error.field}: {error.reason}")
    invalid_rows = len(invalid)
    passed = invalid_rows == 0
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_checked": len(records),
            "invalid_rows": invalid_rows,
            "schema": str(schema_path),
            "first_errors": "\n".join(first_errors),
            "summary": f"{len(records)} rows valid against schema {SCHEMA_VERSION}"
            if passed
            else f"{invalid_rows} of {len(records)} rows invalid; first: {first_errors[0]}",
        },
    )


@dg.asset_check(asset="events", blocking=True, description="Every event row, read back from Parquet, matches the published JSON Schema.")
def events_match_schema(paths: ParleyPaths) -> dg.AssetCheckResult:
    return _schema_check("events", paths.work / wt.EVENTS, Path(paths.schema_dir))


@dg.asset_check(asset="mentions", blocking=True, description="Every mention row, read back from Parquet, matches the published JSON Schema.")
def mentions_match_schema(paths: ParleyPaths) -> dg.AssetCheckResult:
    return _schema_check("mentions", paths.work / wt.MENTIONS, Path(paths.schema_dir))


@dg.asset_check(asset="documents", blocking=True, description="Every document row, read back from Parquet, matches the published JSON Schema.")
def documents_match_schema(paths: ParleyPaths) -> dg.AssetCheckResult:
    return _schema_check("documents", paths.work / wt.DOCUMENTS, Path(paths.schema_dir))


@dg.asset_check(
    asset="documents",
    blocking=True,
    description="Every rejected-source row the documents step recorded, read back from Parquet, matches the published JSON Schema.",
)
def rejections_match_schema(paths: ParleyPaths) -> dg.AssetCheckResult:
    return _schema_check("rejections", paths.work / wt.REJECTIONS, Path(paths.schema_dir))


@dg.asset_check(
    asset="events",
    blocking=True,
    additional_deps=["mentions", "documents"],
    description="The Great Expectations suites over events, mentions and documents: codes, dates, ids, references.",
)
def events_pass_quality_suite(paths: ParleyPaths) -> dg.AssetCheckResult:
    from validation.quality import run_quality

    work = paths.work
    tables = {table: pl.read_parquet(work / name) for table, name in wt.RELEASE_TABLES.items()}
    report = run_quality(tables["events"], tables["mentions"], tables["documents"], tables["rejections"])
    report_path = wt.write_quality(work, report.model_dump(mode="json"))
    failures = report.failures
    failed_text = "; ".join(
        f"{f.table}: {f.name} ({f.unexpected_count} of {f.element_count}"
        + (f", e.g. {', '.join(f.examples[:2])}" if f.examples else "")
        + ")"
        for f in failures
    )
    return dg.AssetCheckResult(
        passed=report.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "expectations": len(report.expectations),
            "failed": len(failures),
            "engine": report.engine,
            "report": dg.MetadataValue.path(str(report_path)),
            "failures": failed_text,
            "summary": f"{len(report.expectations)} expectations met"
            if report.success
            else f"{len(failures)} of {len(report.expectations)} expectations failed: {failed_text}",
        },
    )
