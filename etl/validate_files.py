"""Validate a table file (CSV, Parquet or JSON Lines) row by row against a published JSON Schema.

This is what `parley validate` and `parley releases verify` run, and it deliberately works
the way another pipeline would: read the file with generic tools, turn each row into the
JSON form the schema describes, and let jsonschema judge it. Nothing here trusts the
project's own table layout, so a file with a missing, extra or mistyped column is reported
row by row instead of failing to load. CSV cells carry no types, so each cell is converted
to what the schema's property allows (a number, a boolean, a JSON list) when it can be, and
left as text otherwise, for jsonschema to reject with its own message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import polars as pl
from jsonschema import Draft202012Validator

from etl.models import SCHEMA_VERSION
from etl.schema import REPO_SCHEMA_DIR, committed_schema_path
from etl.tables import jsonable

FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
TABLE_MARKERS: tuple[tuple[str, str], ...] = (
    ("mention_id", "mentions"),
    ("event_id", "events"),
    ("n_chars", "documents"),
    ("reason", "rejections"),
)
"""The first column found decides the table: mentions carry an event_id too, so mention_id is tested first."""


class FileReadError(ValueError):
    """A file that cannot be read as a table at all (unknown format, not CSV, not Parquet)."""


@dataclass(frozen=True)
class RowError:
    """One reason one row fails the schema; row is 1-based over data rows (a CSV header is not a row)."""

    row: int
    field: str
    reason: str

    def render(self) -> str:
        return f"row {self.row}, field {self.field}: {self.reason}"


@dataclass(frozen=True)
class InvalidLine:
    """A JSON Lines row that is not JSON; kept so its row number is reported, not skipped."""

    reason: str


@dataclass(frozen=True)
class ValidationReport:
    path: Path
    table: str
    rows: int
    invalid_rows: int
    errors: list[RowError]
    """Only the first max_errors errors are kept; n_errors counts them all."""
    n_errors: int

    @property
    def ok(self) -> bool:
        return self.n_errors == 0


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileReadError(f"{path}: unknown file type {path.suffix!r}; expected one of {sorted(FORMATS)}")
    return fmt


def infer_table(path: Path, columns: list[str]) -> str:
    for marker, table in TABLE_MARKERS:
        if marker in columns:
            return table
    raise FileReadError(
        f"{path}: cannot tell which table the columns {columns[:8]} belong to "
        f"(no {', '.join(m for m, _ in TABLE_MARKERS)} column); pass --table"
    )


def load_schema(table: str, schema_dir: Path = REPO_SCHEMA_DIR) -> dict[str, Any]:
    """The published schema of a table: <schema_dir>/<schema version>/<table>.schema.json."""
    path = committed_schema_path(table, SCHEMA_VERSION, schema_dir)
    if not path.exists():
        raise FileNotFoundError(f"no published schema for table {table!r} at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def read_rows(path: Path) -> tuple[list[str], list[Any]]:
    """The file's column names (first-seen order) and its rows, as read by generic tools.

    Parquet and CSV rows are dicts; a JSON Lines row is whatever the line held (a line
    that is not JSON becomes an InvalidLine, reported against its row).
    """
    fmt = file_format(path)
    if not path.is_file():
        raise FileReadError(f"{path}: no such file")
    if fmt == "jsonl":
        rows = [_json_line(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        columns = list(dict.fromkeys(k for row in rows if isinstance(row, dict) for k in row))
        return columns, rows
    try:
        frame = pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileReadError(f"{path}: cannot read as {fmt}: {exc}") from exc
    return frame.columns, list(frame.iter_rows(named=True))


def _json_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return InvalidLine(f"not JSON: {exc}")


def _property_types(schema: dict[str, Any], field: str) -> set[str]:
    spec = schema.get("properties", {}).get(field, {})
    options = spec.get("anyOf", [spec])
    return {t for option in options for t in _as_list(option.get("type"))}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _csv_cell(text: str | None, types: set[str]) -> Any:
    """A CSV cell as the JSON value the schema expects, when it parses as one; else the text itself."""
    if text is None:
        return None
    if types & {"array", "object"}:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    if "integer" in types:
        try:
            return int(text)
        except ValueError:
            pass
    if "number" in types:
        try:
            return float(text)
        except ValueError:
            pass
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    return text


def to_json_rows(path: Path, rows: list[Any], schema: dict[str, Any]) -> list[Any]:
    """Rows in the serialised form the schema describes: ISO dates, and typed values for CSV cells."""
    if file_format(path) == "csv":
        types = {field: _property_types(schema, field) for field in (rows[0] if rows else {})}
        return [{k: _csv_cell(v, types[k]) for k, v in row.items()} for row in rows]
    return [jsonable(row) if not isinstance(row, InvalidLine) else row for row in rows]


def row_errors(rows: list[Any], schema: dict[str, Any]) -> Iterator[RowError]:
    """Every schema error of every row, in row order and, within a row, in field order.

    jsonschema-rs screens the rows first (about a hundred times faster, which matters at hundreds
    of thousands of rows); a row it doubts is judged by jsonschema, whose verdict and messages
    are the ones reported."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    screen = jsonschema_rs.validator_for(schema, validate_formats=True)
    for number, row in enumerate(rows, start=1):
        if isinstance(row, InvalidLine):
            yield RowError(number, "(row)", row.reason)
            continue
        if screen.is_valid(row):
            continue
        for error in sorted(validator.iter_errors(row), key=lambda e: [str(p) for p in e.absolute_path]):
            field = "/".join(str(p) for p in error.absolute_path) or "(row)"
            yield RowError(number, field, error.message)


def validate_file(
    path: Path, table: str | None = None, max_errors: int = 20, schema: dict[str, Any] | None = None
) -> ValidationReport:
    """Validate every row of path; table is inferred from the columns when not given.

    schema replaces the published schema of the table (a release verifies against the copy it ships).
    """
    columns, rows = read_rows(path)
    table = table or infer_table(path, columns)
    schema = schema if schema is not None else load_schema(table)
    kept: list[RowError] = []
    n_errors = 0
    invalid: set[int] = set()
    for error in row_errors(to_json_rows(path, rows, schema), schema):
        n_errors += 1
        invalid.add(error.row)
        if len(kept) < max_errors:
            kept.append(error)
    return ValidationReport(path, table, len(rows), len(invalid), kept, n_errors)
