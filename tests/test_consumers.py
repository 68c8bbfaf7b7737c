"""A release as other people's code reads it: polars, pandas, DuckDB, jsonschema alone, frictionless.

None of these tests uses Parley's own readers (etl.tables); each reads the release the
way its tool's documentation says, so a layout only Parley understands would fail here.
The release is built from the bundled corpus by the real coder.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from corpus_frames import SOURCES, build_frames
from jsonschema import Draft202012Validator

from etl.release import publish_release

TABLES = ("events", "mentions", "documents")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("releases")
    frames = build_frames(SOURCES / "manifest.yaml")
    return publish_release(folder, "1.0.0", frames, {"success": True, "expectations": []}, {"coder": "parley-rules"})


def test_polars_reads_parquet_and_csv_alike(release: Path) -> None:
    events = pl.read_parquet(release / "events.parquet")
    from_csv = pl.read_csv(release / "events.csv", try_parse_dates=True)
    assert events.height > 0 and from_csv.height == events.height
    assert from_csv.get_column("event_id").to_list() == events.get_column("event_id").to_list()
    assert events.schema["conditions"] == pl.List(pl.Struct({"category": pl.String, "text": pl.String}))
    assert from_csv.schema["event_date"] == pl.Date
    parsed = [json.loads(text) for text in from_csv.get_column("conditions").to_list()]
    assert parsed == events.get_column("conditions").to_list()


def test_pandas_reads_parquet_and_csv(release: Path) -> None:
    events = pd.read_parquet(release / "events.parquet")
    from_csv = pd.read_csv(release / "events.csv", dtype={"action_code": str, "action_root": str})
    assert len(events) == len(from_csv) > 0
    assert list(events.columns) == list(from_csv.columns)
    assert (events["action_code"] == from_csv["action_code"]).all()
    assert events["quad_class"].between(1, 4).all()
    assert isinstance(events["doc_ids"].iloc[0][0], str)


def test_duckdb_queries_and_joins_the_tables(release: Path) -> None:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{release / f'{table}.parquet'}')")
    n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    by_root = con.execute("SELECT action_root, count(*) FROM events GROUP BY action_root ORDER BY action_root").fetchall()
    assert sum(n for _, n in by_root) == n_events > 0
    orphans = con.execute(
        "SELECT count(*) FROM mentions m LEFT JOIN events e USING (event_id) "
        "LEFT JOIN documents d ON m.doc_id = d.doc_id WHERE e.event_id IS NULL OR d.doc_id IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    conditions = con.execute("SELECT count(*) FROM events, unnest(conditions) AS c(cond) WHERE cond.category IS NULL").fetchone()
    assert conditions == (0,)
    from_csv = con.execute(f"SELECT count(*) FROM read_csv('{release / 'events.csv'}')").fetchone()[0]
    assert from_csv == n_events


def _json_ready(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    return value


def test_jsonschema_alone_validates_every_parquet_row(release: Path) -> None:
    for table in TABLES:
        schema = json.loads((release / "schema" / f"{table}.schema.json").read_text(encoding="utf-8"))
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        rows = pq.read_table(release / f"{table}.parquet").to_pylist()
        assert rows, table
        for row in rows:
            errors = [e.message for e in validator.iter_errors(_json_ready(row))]
            assert not errors, (table, row.get("event_id") or row.get("doc_id"), errors)


def test_frictionless_validates_the_package_and_types_the_columns(release: Path) -> None:
    report = frictionless.validate(release / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    package = frictionless.Package(release / "datapackage.json")
    assert sorted(package.resource_names) == ["deletions", "documents", "events", "mentions", "rejections"]
    rows = package.get_resource("events").read_rows()
    assert isinstance(rows[0]["event_date"], dt.date)
    assert isinstance(rows[0]["conditions"], list) and isinstance(rows[0]["doc_ids"], list)
