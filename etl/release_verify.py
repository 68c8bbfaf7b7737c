"""Check a published release folder against its own manifest and schema.

A consumer who downloaded or mirrored a release needs one command that says whether
what they hold is what was published: every file the manifest lists is present with its
size and sha256, no file is there that the manifest does not list, the manifest is the
one index.json recorded, and every row of every table (Parquet and CSV) is valid against
the JSON Schema shipped inside the release. Each problem names the file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from etl.models import TABLES
from etl.release import INDEX_NAME, MANIFEST_NAME, read_index, read_manifest
from etl.validate_files import FileReadError, validate_file

_ERRORS_PER_FILE = 5


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _release_tables(counts: dict[str, int], problems: list[str], manifest_path: Path) -> list[str]:
    """The tables the release holds, from its manifest: an older release lacks tables added to the models since."""
    unknown = sorted(set(counts) - set(TABLES))
    problems.extend(f"{manifest_path}: table {table!r} is unknown to this version of parley; not validated" for table in unknown)
    return [table for table in TABLES if table in counts]


def verify_release(release_dir: Path) -> tuple[list[str], list[str]]:
    """(problems, checks done) for the release folder; the release is sound when problems is empty."""
    problems: list[str] = []
    done: list[str] = []
    manifest_path = release_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        return [f"{manifest_path}: missing; not a published release"], done
    try:
        manifest = read_manifest(release_dir)
    except ValueError as exc:
        return [f"{manifest_path}: not a valid manifest: {exc}"], done

    index_path = release_dir.parent / INDEX_NAME
    if index_path.is_file():
        entry = next((e for e in read_index(release_dir.parent).releases if e.version == manifest.version), None)
        if entry is None:
            problems.append(f"{index_path}: does not list version {manifest.version}")
        elif entry.manifest_sha256 != _sha256(manifest_path):
            problems.append(f"{manifest_path}: sha256 differs from the one {index_path} records")
        else:
            done.append(f"{MANIFEST_NAME} matches {INDEX_NAME}")

    damaged: set[str] = set()
    for name, entry in sorted(manifest.files.items()):
        path = release_dir / name
        if not path.is_file():
            problems.append(f"{path}: listed in the manifest but missing")
            damaged.add(name)
        elif path.stat().st_size != entry.bytes:
            problems.append(f"{path}: {path.stat().st_size} bytes, the manifest says {entry.bytes}")
            damaged.add(name)
        elif _sha256(path) != entry.sha256:
            problems.append(f"{path}: sha256 differs from the manifest's")
            damaged.add(name)
    unlisted = sorted(
        p.relative_to(release_dir).as_posix()
        for p in release_dir.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME and p.relative_to(release_dir).as_posix() not in manifest.files
    )
    problems.extend(f"{release_dir / name}: not listed in the manifest" for name in unlisted)
    done.append(f"{len(manifest.files) - len(damaged)} of {len(manifest.files)} files match their size and sha256")

    for table in _release_tables(manifest.counts, problems, manifest_path):
        schema_name = f"schema/{table}.schema.json"
        if schema_name in damaged or not (release_dir / schema_name).is_file():
            problems.append(f"{release_dir / schema_name}: no sound schema; the {table} rows were not validated")
            continue
        schema = json.loads((release_dir / schema_name).read_text(encoding="utf-8"))
        for name in (f"{table}.parquet", f"{table}.csv"):
            if name in damaged or not (release_dir / name).is_file():
                continue
            try:
                report = validate_file(release_dir / name, table, _ERRORS_PER_FILE, schema)
            except FileReadError as exc:
                problems.append(str(exc))
                continue
            if report.ok:
                done.append(f"{name}: {report.rows} rows valid against {schema_name}")
            else:
                problems.append(f"{release_dir / name}: {report.n_errors} schema errors in {report.invalid_rows} of {report.rows} rows")
                problems.extend(f"{release_dir / name}: {error.render()}" for error in report.errors)
    return problems, done
