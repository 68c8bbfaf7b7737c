"""Generate the published JSON Schema from the models, and find the committed copy.

Consumers validate what they read (JSON Lines, rows of a Parquet or CSV file) with
jsonschema alone, so the schema describes records in their serialised form: dates as
ISO strings, lists as arrays. One folder per schema version under schema/ keeps every
published version side by side.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from etl.models import SCHEMA_VERSION, TABLES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://parley-data.org/schema"
REPO_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

TITLES = {
    "events": "Parley event",
    "mentions": "Parley event mention",
    "documents": "Parley source document",
    "rejections": "Parley rejected source",
}


def schema_id(table: str, version: str = SCHEMA_VERSION) -> str:
    return f"{SCHEMA_BASE}/{version}/{table}.schema.json"


def build_schema(table: str) -> dict[str, Any]:
    """The JSON Schema of one table's records, in serialised (JSON) form."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
    body = TABLES[table].model_json_schema(mode="serialization")
    return {
        "$schema": DRAFT,
        "$id": schema_id(table),
        "version": SCHEMA_VERSION,
        **{k: v for k, v in body.items() if k != "title"},
        "title": TITLES[table],
    }


def render_schema(table: str) -> str:
    """The schema as committed: sorted keys and a trailing newline, so diffs stay readable."""
    return json.dumps(build_schema(table), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_filename(table: str) -> str:
    return f"{table}.schema.json"


def committed_schema_path(table: str, version: str = SCHEMA_VERSION, root: Path = REPO_SCHEMA_DIR) -> Path:
    return root / version / schema_filename(table)


def write_schemas(folder: Path) -> list[Path]:
    """Write every table's schema into folder; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLES:
        path = folder / schema_filename(table)
        path.write_text(render_schema(table), encoding="utf-8")
        paths.append(path)
    return paths


def committed_versions(root: Path = REPO_SCHEMA_DIR) -> list[str]:
    """The schema versions with a folder under root, oldest first."""
    found = [child.name for child in root.iterdir() if child.is_dir() and re.fullmatch(r"\d+\.\d+\.\d+", child.name)]
    return sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))


def read_committed_schemas(version: str, root: Path = REPO_SCHEMA_DIR) -> dict[str, dict[str, Any]]:
    """Every table schema committed for version, by table name (the tables of that version, not today's)."""
    suffix = schema_filename("")
    return {
        path.name.removesuffix(suffix): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((root / version).glob(f"*{suffix}"))
    }
