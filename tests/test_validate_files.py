"""`parley validate`: files another pipeline wrote, checked row by row against the published schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from sample_records import document, mention

from dagster_project.cli import main
from etl.models import SCHEMA_VERSION
from etl.resolve import resolve_events
from etl.tables import to_csv_frame, to_frame
from etl.validate_files import FileReadError, validate_file

D = dt.date


def _tables() -> dict[str, pl.DataFrame]:
    docs = [document("a-1", "Reuters", D(2025, 5, 18)), document("b-2", "TASS", D(2025, 5, 17))]
    mentions = [
        mention("m1", docs[0], conditions=[("deadline", "from Monday")]),
        mention("m2", docs[1]),
        mention("m3", docs[1], action="0256", target=None),
    ]
    events, linked = resolve_events(mentions, docs)
    return {"events": to_frame("events", events), "mentions": to_frame("mentions", linked)}


def _broken_events() -> pl.DataFrame:
    """Row 1 valid; row 2 with quad_class 7 and a malformed actor_code."""
    events = _tables()["events"]
    return events.with_columns(
        pl.when(pl.int_range(pl.len()) == 1).then(7).otherwise(pl.col("quad_class")).alias("quad_class"),
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("rus")).otherwise(pl.col("actor_code")).alias("actor_code"),
    )


def test_valid_files_of_every_format_pass(tmp_path: Path) -> None:
    for table, frame in _tables().items():
        frame.write_parquet(tmp_path / f"{table}.parquet")
        to_csv_frame(frame).write_csv(tmp_path / f"{table}.csv")
        (tmp_path / f"{table}.jsonl").write_text(frame.write_ndjson(), encoding="utf-8")
        for ext in ("parquet", "csv", "jsonl"):
            report = validate_file(tmp_path / f"{table}.{ext}")
            assert report.ok, (table, ext, report.errors)
            assert report.table == table and report.rows == frame.height


@pytest.mark.parametrize("ext", ["parquet", "csv"])
def test_errors_name_the_row_the_field_and_the_reason(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"events.{ext}"
    frame = _broken_events()
    frame.write_parquet(path) if ext == "parquet" else to_csv_frame(frame).write_csv(path)

    report = validate_file(path)

    assert not report.ok and report.invalid_rows == 1 and report.n_errors == 2
    assert [(e.row, e.field) for e in report.errors] == [(2, "actor_code"), (2, "quad_class")]
    assert "does not match" in report.errors[0].reason
    assert "maximum of 4" in report.errors[1].reason


def test_jsonl_reports_bad_lines_missing_and_extra_fields(tmp_path: Path) -> None:
    good = json.loads(_tables()["mentions"].write_ndjson().splitlines()[0])
    missing = {k: v for k, v in good.items() if k != "confidence"}
    extra = {**good, "sentiment": 0.3}
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps(missing), json.dumps(extra)]) + "\n")

    report = validate_file(path)

    assert report.table == "mentions"
    assert [(e.row, e.field) for e in report.errors] == [(2, "(row)"), (3, "(row)"), (4, "(row)")]
    assert "not JSON" in report.errors[0].reason
    assert "'confidence' is a required property" in report.errors[1].reason
    assert "'sentiment' was unexpected" in report.errors[2].reason


def test_cli_lists_the_first_errors_then_the_count_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = pl.concat([_broken_events()] * 5)
    path = tmp_path / "events.parquet"
    frame.write_parquet(path)

    assert main(["validate", str(path), "--max-errors", "3"]) == 1

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0] == f"{path}: row 2, field actor_code: 'rus' does not match '^[A-Z]{{3,12}}$'"
    assert lines[-1] == f"{path}: 10 errors (first 3 shown) in 5 of 10 events rows; schema {SCHEMA_VERSION}"


def test_cli_passes_a_valid_file_and_the_table_can_be_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    to_csv_frame(_tables()["events"]).write_csv(path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: 2 events rows valid against schema {SCHEMA_VERSION}"

    assert main(["validate", str(path), "--table", "mentions"]) == 1
    assert "'mention_id' is a required property" in capsys.readouterr().out


def test_unreadable_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(FileReadError, match=r"unknown file type '\.xlsx'"):
        validate_file(tmp_path / "events.xlsx")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(FileReadError, match=r"other\.csv: cannot tell which table.*--table"):
        validate_file(tmp_path / "other.csv")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    assert main(["validate", str(tmp_path / "bad.parquet")]) == 2
    assert f"{tmp_path / 'bad.parquet'}: cannot read as parquet" in capsys.readouterr().err
