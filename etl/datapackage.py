"""The release's datapackage.json: a Frictionless Data Package describing its CSV tables.

Frictionless tooling (and the many catalogues that read Data Packages) can then open,
type and validate the CSV files without knowing Parley: each table gets a Table Schema
derived from the same fixed layout the files are written with (etl.tables), its primary
key, and the foreign keys that tie mentions and events to documents. List columns are
written as JSON text in the CSV files, which Table Schema's `array` type reads as is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl

from etl.models import TABLES
from etl.schema import build_schema
from etl.tables import ID_COLUMNS, frame_schema

_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "string",
    pl.Int64: "integer",
    pl.Float64: "number",
    pl.Boolean: "boolean",
    pl.Date: "date",
    pl.List: "array",
    pl.Struct: "object",
}

_FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "events": [("doc_id", "documents", "doc_id")],
    "mentions": [("event_id", "events", "event_id"), ("doc_id", "documents", "doc_id")],
}


def field_type(dtype: pl.DataType) -> str:
    for polars_type, name in _TYPES.items():
        if isinstance(dtype, polars_type):
            return name
    raise TypeError(f"no Table Schema type for column type {dtype}")


_PRIMARY_KEYS: dict[str, list[str]] = {"rejections": ["doc_id", "location"]}
"""Keys beyond a table's id column: a rejected doc id repeats when several files claim it, each at its own location."""


def table_schema(schema: pl.Schema, primary_key: list[str], json_schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Table Schema for a frame layout; required and descriptions come from the JSON Schema when given."""
    required = set(json_schema.get("required", [])) if json_schema else set()
    properties = json_schema.get("properties", {}) if json_schema else {}
    fields = []
    for name, dtype in schema.items():
        spec: dict[str, Any] = {"name": name, "type": field_type(dtype)}
        description = properties.get(name, {}).get("description")
        if description:
            spec["description"] = description
        nullable = any(o.get("type") == "null" for o in properties.get(name, {}).get("anyOf", []))
        if name in primary_key or (name in required and not nullable):
            spec["constraints"] = {"required": True}
        fields.append(spec)
    return {"fields": fields, "primaryKey": primary_key, "missingValues": [""]}


def csv_resource(folder: Path, name: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    path = folder / f"{name}.csv"
    data = path.read_bytes()
    return {
        "name": name,
        "title": title,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "schema": schema,
    }


def build_datapackage(folder: Path, version: str, extra_tables: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The package for the release in folder; extra_tables maps name -> (title, table schema) for tables beyond TABLES."""
    resources = []
    for table in TABLES:
        json_schema = build_schema(table)
        schema = table_schema(frame_schema(table), _PRIMARY_KEYS.get(table, [ID_COLUMNS[table]]), json_schema)
        keys = [
            {"fields": [column], "reference": {"resource": other, "fields": [other_column]}}
            for column, other, other_column in _FOREIGN_KEYS.get(table, [])
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(csv_resource(folder, table, json_schema["title"], schema))
    for name, (title, schema) in extra_tables.items():
        resources.append(csv_resource(folder, name, title, schema))
    return {
        "profile": "tabular-data-package",
        "name": "parley-events",
        "title": "Parley: conditional political event data",
        "version": version,
        "description": "CAMEO-coded political events from news texts, with the conditions actors attach "
        "to their statements. See README.md for the dataset card and codebook/ for the codes.",
        "resources": resources,
    }
