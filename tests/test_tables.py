"""Frames in a fixed layout, CSV with JSON columns, and records read back for jsonschema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from jsonschema import Draft202012Validator
from sample_records import document, mention, rejection, release_frames

from etl.models import TABLES
from etl.schema import build_schema
from etl.tables import (
    ID_COLUMNS,
    csv_schema,
    frame_schema,
    read_csv,
    records_from_frame,
    to_csv_frame,
    to_frame,
)

D = dt.date
DOCS = [document("b-2", "TASS", D(2025, 5, 17)), document("a-1", "Reuters", D(2025, 5, 18), notes="Ünïcode «notes»")]


def _tables() -> dict[str, pl.DataFrame]:
    mentions = [
        mention("m1", DOCS[1], conditions=[("deadline", "from Monday")], attribution="sources (Reuters)"),
        mention("m2", DOCS[0], evidence=[(3, 20, 'He said "yes, "maybe"".'), (30, 45, "line\nbreak, comma")]),
        mention("m3", DOCS[0], action="0256", target=None, location_name="Istanbul", location_lat=41.0, location_lon=29.0),
    ]
    rejections = [
        rejection("z-9", "duplicate", detail='same text as "a-1", with a comma'),
        rejection("c-3", "undecodable", location="texts/c-3.txt", detail="neither UTF-8 nor a confident guess"),
    ]
    return release_frames(mentions, DOCS, rejections)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_columns_follow_the_model_field_order(table: str) -> None:
    assert list(frame_schema(table)) == list(TABLES[table].model_fields)


def test_dtypes_are_explicit() -> None:
    events = frame_schema("events")
    assert events["event_date"] == pl.Date
    assert events["source_published"] == pl.Date
    assert events["doc_ids"] == pl.List(pl.String)
    assert events["conditions"] == pl.List(pl.Struct({"category": pl.String, "text": pl.String}))
    assert events["evidence"] == pl.List(
        pl.Struct({"start": pl.Int64, "end": pl.Int64, "text": pl.String, "doc_id": pl.String})
    )
    assert events["quad_class"] == pl.Int64 and events["goldstein"] == pl.Float64
    assert frame_schema("documents")["published_is_estimate"] == pl.Boolean


@pytest.mark.parametrize("table", sorted(TABLES))
def test_an_empty_table_keeps_its_layout(table: str) -> None:
    frame = to_frame(table, [])
    assert frame.height == 0 and frame.schema == frame_schema(table)


def test_all_null_columns_keep_their_dtype() -> None:
    frame = to_frame("documents", [document("x-1", published=None)])
    assert frame.schema == frame_schema("documents")
    assert frame["source_published"].to_list() == [None]


def test_rows_are_sorted_by_id_whatever_the_input_order() -> None:
    docs = [document(f"d-{i}") for i in (3, 1, 2)]
    assert to_frame("documents", docs)["doc_id"].to_list() == ["d-1", "d-2", "d-3"]
    assert to_frame("documents", docs).equals(to_frame("documents", list(reversed(docs))))


def test_rejections_with_one_doc_id_keep_the_order_they_were_found_in() -> None:
    found = [rejection("b", location="2/b.txt"), rejection("a"), rejection("b", location="1/b.txt")]
    assert to_frame("rejections", found)["location"].to_list() == ["a.txt", "2/b.txt", "1/b.txt"]


def test_a_record_of_another_table_is_refused() -> None:
    with pytest.raises(TypeError, match="Document"):
        to_frame("events", DOCS)


def test_files_are_byte_identical_across_reruns(tmp_path: Path) -> None:
    for run in ("one", "two"):
        for table, frame in _tables().items():
            frame.write_parquet(tmp_path / f"{run}-{table}.parquet")
            to_csv_frame(frame).write_csv(tmp_path / f"{run}-{table}.csv")
    for table in TABLES:
        for ext in ("parquet", "csv"):
            assert (tmp_path / f"one-{table}.{ext}").read_bytes() == (tmp_path / f"two-{table}.{ext}").read_bytes()


def test_csv_frame_holds_nested_columns_as_sorted_json() -> None:
    events = _tables()["events"]
    csv_frame = to_csv_frame(events)
    assert csv_frame.schema == csv_schema("events")
    evidence = json.loads(csv_frame["evidence"][0])
    assert list(evidence[0]) == sorted(evidence[0])
    assert csv_frame["doc_ids"].to_list() == [json.dumps(v) for v in events["doc_ids"].to_list()]
    unicode_frame = to_csv_frame(pl.DataFrame({"x": [["Ünï"]]}))
    assert unicode_frame["x"][0] == '["Ünï"]'


@pytest.mark.parametrize("table", sorted(TABLES))
def test_parquet_and_csv_read_back_to_the_same_valid_records(tmp_path: Path, table: str) -> None:
    frame = _tables()[table]
    frame.write_parquet(tmp_path / "t.parquet")
    to_csv_frame(frame).write_csv(tmp_path / "t.csv")

    from_parquet = records_from_frame(pl.read_parquet(tmp_path / "t.parquet"), table)
    from_csv = records_from_frame(read_csv(tmp_path / "t.csv", table), table)

    assert from_parquet == from_csv
    model = TABLES[table]
    expected = [model.model_validate(row).model_dump(mode="json") for row in frame.iter_rows(named=True)]
    assert from_parquet == expected
    assert [r[ID_COLUMNS[table]] for r in from_parquet] == sorted(r[ID_COLUMNS[table]] for r in from_parquet)
    validator = Draft202012Validator(build_schema(table), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for record in from_csv:
        validator.validate(record)


def test_nulls_and_empty_strings_survive_csv(tmp_path: Path) -> None:
    docs = [document("e-1", notes=""), document("e-2", notes=None, source_url=None)]
    frame = to_frame("documents", docs)
    to_csv_frame(frame).write_csv(tmp_path / "d.csv")
    back = records_from_frame(read_csv(tmp_path / "d.csv", "documents"), "documents")
    assert [(r["notes"], r["source_url"]) for r in back] == [("", "https://example.org/e-1"), (None, None)]


def test_records_from_a_frame_with_other_columns_is_an_error() -> None:
    with pytest.raises(ValueError, match="missing"):
        records_from_frame(_tables()["documents"].drop("notes"), "documents")
