"""Publish checked tables as an immutable, versioned release folder.

A reader must never see half a release, and a published version must never change
under a reader. So a release is written into a hidden temporary folder beside its
target, flushed to disk, and renamed into place in one step; a version that exists is
refused, never overwritten. Data files carry no timestamps, so a rebuild of the same
inputs gives the same bytes; only manifest.json records when the release was made.

Layout of DIR/vX.Y.Z/:
    events|mentions|documents .parquet and .csv   the tables (CSV nests lists as JSON text)
    schema/<table>.schema.json                     the JSON Schema the tables follow
    quality.json                                   the data-quality results they passed
    manifest.json                                  version, counts, sizes and sha256 of every file
DIR/index.json lists every release, rebuilt from the manifests on each publish.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict

from etl.models import SCHEMA_VERSION, TABLES
from etl.schema import write_schemas
from etl.tables import frame_schema, to_csv_frame

VERSION_PATTERN = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
INDEX_NAME = "index.json"
MANIFEST_NAME = "manifest.json"
_LOCK_NAME = ".publish.lock"
_PUBLISHED_DIR_MODE = 0o755
_PUBLISHED_FILE_MODE = 0o644
"""Temporary files are private by default; a published release is for everyone to read."""


class ReleaseExistsError(FileExistsError):
    """The version is already published; releases are immutable."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"release {path} already exists; a published version is never overwritten, choose a new version")
        self.path = path


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bytes: int
    sha256: str


class ReleaseManifest(BaseModel):
    """What a consumer needs to trust a release folder: what is in it and how to verify each file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    created: str
    schema_version: str
    counts: dict[str, int]
    files: dict[str, FileEntry]
    coder: dict[str, Any]


class IndexEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    created: str
    schema_version: str
    counts: dict[str, int]
    manifest_sha256: str


class ReleaseIndex(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    releases: list[IndexEntry]


def parse_version(version: str) -> tuple[int, int, int]:
    match = VERSION_PATTERN.match(version)
    if match is None:
        raise ValueError(f"release version must look like X.Y.Z (e.g. 1.2.0), got {version!r}")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def release_path(releases_dir: Path, version: str) -> Path:
    parse_version(version)
    return releases_dir / f"v{version}"


def published_versions(releases_dir: Path) -> list[str]:
    """Versions with a release folder, oldest first; hidden work folders never count."""
    if not releases_dir.is_dir():
        return []
    found = []
    for child in releases_dir.iterdir():
        if child.is_dir() and child.name.startswith("v") and VERSION_PATTERN.match(child.name[1:]):
            found.append(child.name[1:])
    return sorted(found, key=parse_version)


def next_version(releases_dir: Path) -> str:
    """The newest published version with its minor part bumped, or 1.0.0 for the first release."""
    versions = published_versions(releases_dir)
    if not versions:
        return "1.0.0"
    major, minor, _ = parse_version(versions[-1])
    return f"{major}.{minor + 1}.0"


def publish_release(
    releases_dir: Path, version: str, frames: dict[str, pl.DataFrame], quality: dict, coder_info: dict
) -> Path:
    """Write the release folder for version atomically and add it to the index; returns its path."""
    target = release_path(releases_dir, version)
    _check_frames(frames)
    releases_dir.mkdir(parents=True, exist_ok=True)
    with _publish_lock(releases_dir):
        if target.exists():
            raise ReleaseExistsError(target)
        work = Path(tempfile.mkdtemp(prefix=f".v{version}.", dir=releases_dir))
        try:
            os.chmod(work, _PUBLISHED_DIR_MODE)
            _write_release(work, version, frames, quality, coder_info)
            if target.exists():
                raise ReleaseExistsError(target)
            os.rename(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _fsync_dir(releases_dir)
        _write_index(releases_dir)
    return target


def read_manifest(release_dir: Path) -> ReleaseManifest:
    return ReleaseManifest.model_validate_json((release_dir / MANIFEST_NAME).read_text(encoding="utf-8"))


def read_index(releases_dir: Path) -> ReleaseIndex:
    path = releases_dir / INDEX_NAME
    if not path.exists():
        return ReleaseIndex(releases=[])
    return ReleaseIndex.model_validate_json(path.read_text(encoding="utf-8"))


def _check_frames(frames: dict[str, pl.DataFrame]) -> None:
    if set(frames) != set(TABLES):
        raise ValueError(f"a release holds exactly the tables {sorted(TABLES)}, got {sorted(frames)}")
    for table, frame in frames.items():
        expected = frame_schema(table)
        if frame.schema != expected:
            raise ValueError(
                f"table {table!r} does not have the published layout; "
                f"expected {list(expected.items())}, found {list(frame.schema.items())}"
            )


def _json_text(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _write_release(folder: Path, version: str, frames: dict[str, pl.DataFrame], quality: dict, coder_info: dict) -> None:
    for table, frame in frames.items():
        frame.write_parquet(folder / f"{table}.parquet", compression="zstd", statistics=True)
        to_csv_frame(frame).write_csv(folder / f"{table}.csv")
    write_schemas(folder / "schema")
    (folder / "quality.json").write_text(_json_text(quality), encoding="utf-8")

    files = {
        path.relative_to(folder).as_posix(): FileEntry(bytes=path.stat().st_size, sha256=_sha256(path))
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = ReleaseManifest(
        version=version,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        schema_version=SCHEMA_VERSION,
        counts={table: frame.height for table, frame in sorted(frames.items())},
        files=files,
        coder=coder_info,
    )
    (folder / MANIFEST_NAME).write_text(_json_text(manifest.model_dump(mode="json")), encoding="utf-8")

    for path in folder.rglob("*"):
        if path.is_file():
            _fsync_file(path)
    for sub in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        _fsync_dir(sub)


def _write_index(releases_dir: Path) -> None:
    """Rebuild the index from the manifests on disk, so it can never drift from the releases."""
    entries = []
    for version in published_versions(releases_dir):
        folder = release_path(releases_dir, version)
        manifest = read_manifest(folder)
        entries.append(
            IndexEntry(
                version=manifest.version,
                created=manifest.created,
                schema_version=manifest.schema_version,
                counts=manifest.counts,
                manifest_sha256=_sha256(folder / MANIFEST_NAME),
            )
        )
    text = _json_text(ReleaseIndex(releases=entries).model_dump(mode="json"))
    fd, tmp = tempfile.mkstemp(prefix=f".{INDEX_NAME}.", dir=releases_dir)
    try:
        os.chmod(tmp, _PUBLISHED_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, releases_dir / INDEX_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(releases_dir)


@contextmanager
def _publish_lock(releases_dir: Path) -> Iterator[None]:
    """Serialise publishers on this machine, so the exists-check, the rename and the index agree."""
    with (releases_dir / _LOCK_NAME).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
