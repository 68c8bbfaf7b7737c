"""Records <-> polars frames, with one fixed layout per table.

A release is rebuilt byte for byte only if every writer sees the same frame: the same
columns in the same order, the same dtypes whatever the rows hold (an all-null column
must not turn into Null, an empty list must not lose its struct type), the same row
order. The layout is derived from the pydantic models, so it follows the contract
without a second hand-kept copy; a field type the mapping does not know is an error.

CSV has no nested types, so list and struct columns travel as JSON text there, and
records_from_frame turns either file format back into the JSON form the published
JSON Schema describes.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from collections.abc import Sequence
from typing import Any, Literal, Union

import polars as pl
from pydantic import BaseModel

from etl.models import TABLES

ID_COLUMNS: dict[str, str] = {"events": "event_id", "mentions": "mention_id", "documents": "doc_id", "rejections": "doc_id"}
"""Rows are sorted by these, so row order never depends on processing order.

A rejected doc id can repeat (several files with one stem under a glob are each a
duplicate_id), so the sort is stable: such rows keep the order the sources were read in,
which the manifest fixes."""

_SCALARS: dict[type, pl.DataType] = {
    str: pl.String(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
    dt.date: pl.Date(),
}


def _dtype(annotation: Any) -> pl.DataType:
    """The polars dtype of one pydantic field annotation."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            raise TypeError(f"no column type for a union of several types: {annotation!r}")
        return _dtype(members[0])
    if origin is Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return pl.String()
        raise TypeError(f"no column type for a non-string Literal: {annotation!r}")
    if origin is list:
        (item,) = typing.get_args(annotation)
        return pl.List(_dtype(item))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pl.Struct({name: _dtype(f.annotation) for name, f in annotation.model_fields.items()})
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no column type for field annotation {annotation!r}")


def frame_schema(table: str) -> pl.Schema:
    """Column names (model field order) and dtypes of a table."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
    return pl.Schema({name: _dtype(f.annotation) for name, f in TABLES[table].model_fields.items()})


def to_frame(table: str, records: Sequence[BaseModel]) -> pl.DataFrame:
    """A table's records as a frame in the fixed layout, sorted by the table's id."""
    model = TABLES[table]
    wrong = [type(r).__name__ for r in records if not isinstance(r, model)]
    if wrong:
        raise TypeError(f"table {table!r} holds {model.__name__} records, got {sorted(set(wrong))}")
    rows = [r.model_dump(mode="python") for r in records]
    frame = pl.DataFrame(rows, schema=frame_schema(table), orient="row") if rows else frame_schema(table).to_frame()
    return frame.sort(ID_COLUMNS[table], maintain_order=True)


def _is_nested(dtype: pl.DataType) -> bool:
    return isinstance(dtype, (pl.List, pl.Struct))


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def to_csv_frame(df: pl.DataFrame) -> pl.DataFrame:
    """The frame with every list or struct column as JSON text (sorted keys), ready for write_csv."""
    return df.with_columns(
        pl.Series(name, [_json_text(v) for v in df[name].to_list()], dtype=pl.String)
        for name, dtype in df.schema.items()
        if _is_nested(dtype)
    )


def csv_schema(table: str) -> pl.Schema:
    """The dtypes to read a table's CSV file with: nested columns as the JSON text they were written as."""
    return pl.Schema({name: pl.String() if _is_nested(d) else d for name, d in frame_schema(table).items()})


def read_csv(path: Any, table: str) -> pl.DataFrame:
    """Read a table's CSV with its fixed dtypes, so no column type is guessed from the data."""
    return pl.read_csv(path, schema=csv_schema(table))


def jsonable(value: Any) -> Any:
    """A value read from a table in the JSON form the schema describes (ISO dates, nested lists and dicts)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def records_from_frame(df: pl.DataFrame, table: str) -> list[dict[str, Any]]:
    """Rows of a table read back from Parquet or CSV as JSON-ready dicts (ISO dates, nulls kept).

    A nested column that arrives as text (CSV) is parsed from JSON, as it was written.
    """
    expected = frame_schema(table)
    missing = [c for c in expected if c not in df.columns]
    extra = [c for c in df.columns if c not in expected]
    if missing or extra:
        raise ValueError(f"table {table!r}: columns missing {missing}, unexpected {extra}")
    from_text = {
        name: _is_nested(expected[name]) and df.schema[name] == pl.String for name in expected
    }
    return [
        {
            name: json.loads(row[name]) if from_text[name] and row[name] is not None else jsonable(row[name])
            for name in expected
        }
        for row in df.iter_rows(named=True)
    ]
