"""Publish checked tables as an immutable, versioned release folder.

A reader must never see half a release, and a published version must never change
under a reader. So a release is written into a hidden temporary folder beside its
target, flushed to disk, and renamed into place in one step; a version that exists is
refused, never overwritten. Data files carry no timestamps, so a rebuild of the same
inputs gives the same bytes; only manifest.json records when the release was made.

Layout of DIR/vX.Y.Z/:
    events|mentions|documents .parquet and .csv   the tables (CSV nests lists as JSON text)
    rejections .parquet and .csv                   the sources that did not become documents, and why
    deletions .parquet and .csv                    events of the previous release absent from this one
    schema/<table>.schema.json                     the JSON Schema the tables follow
    datapackage.json                               a Frictionless Data Package describing the CSV tables
    codebook/                                      the codebook and code tables the coder used
    quality.json                                   the data-quality results they passed
    NOTES.md                                       what changed since the previous release
    README.md, CITATION.cff, plots/*.png           the dataset card, its plots, and how to cite the release
    manifest.json                                  version, counts, sizes and sha256 of every file
DIR/index.json lists every release, rebuilt from the manifests on each publish.

The previous release is the newest published version below the one being written; the
deletions and notes compare with it, so a rebuild gives the same bytes only against the
same previous release.
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
from typing import Any, get_args

import polars as pl
from pydantic import BaseModel, ConfigDict

from etl.datapackage import build_datapackage, table_schema
from etl.models import SCHEMA_VERSION, TABLES, ConditionCategory
from etl.release_card import citation_cff, dataset_card
from etl.release_notes import (
    DELETIONS_DESCRIPTIONS,
    DELETIONS_SCHEMA,
    DELETIONS_TITLE,
    deletions_frame,
    release_notes,
)
from etl.release_plots import write_plots
from etl.schema import write_schemas
from etl.tables import frame_schema, to_csv_frame

VERSION_PATTERN = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
INDEX_NAME = "index.json"
MANIFEST_NAME = "manifest.json"
_LOCK_NAME = ".publish.lock"
CODEBOOK_DIR = Path(__file__).resolve().parent / "codebook"
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


def previous_version(releases_dir: Path, version: str) -> str | None:
    """The newest published version below version, which a new release is compared with."""
    below = [v for v in published_versions(releases_dir) if parse_version(v) < parse_version(version)]
    return below[-1] if below else None


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
            previous = previous_version(releases_dir, version)
            previous_events = (
                pl.read_parquet(release_path(releases_dir, previous) / "events.parquet") if previous else None
            )
            _write_release(work, version, frames, quality, coder_info, previous, previous_events)
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


def _write_release(
    folder: Path,
    version: str,
    frames: dict[str, pl.DataFrame],
    quality: dict,
    coder_info: dict,
    previous: str | None,
    previous_events: pl.DataFrame | None,
) -> None:
    deletions = deletions_frame(previous_events, frames["events"], previous)
    for table, frame in [*frames.items(), ("deletions", deletions)]:
        frame.write_parquet(folder / f"{table}.parquet", compression="zstd", statistics=True)
        to_csv_frame(frame).write_csv(folder / f"{table}.csv")
    write_schemas(folder / "schema")
    (folder / "quality.json").write_text(_json_text(quality), encoding="utf-8")
    _write_codebook(folder / "codebook")
    (folder / "NOTES.md").write_text(release_notes(version, frames["events"], previous_events, previous), encoding="utf-8")
    (folder / "CITATION.cff").write_text(citation_cff(version, SCHEMA_VERSION), encoding="utf-8")
    plots = write_plots(folder, frames["events"])
    (folder / "README.md").write_text(
        dataset_card(version, SCHEMA_VERSION, frames, coder_info, previous, plots), encoding="utf-8"
    )
    deletions_schema = table_schema(
        DELETIONS_SCHEMA,
        ["event_id"],
        {"properties": {k: {"description": v} for k, v in DELETIONS_DESCRIPTIONS.items()}, "required": [c for c in DELETIONS_SCHEMA if c != "target_code"]},
    )
    package = build_datapackage(folder, version, {"deletions": (DELETIONS_TITLE, deletions_schema)})
    (folder / "datapackage.json").write_text(_json_text(package), encoding="utf-8")

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


def _write_codebook(folder: Path) -> None:
    """Copy the codebook and code tables the coder used, and list the condition categories the schema allows."""
    folder.mkdir()
    for source in sorted(CODEBOOK_DIR.iterdir()):
        if source.is_file():
            shutil.copyfile(source, folder / source.name)
            os.chmod(folder / source.name, _PUBLISHED_FILE_MODE)
    categories = "category\n" + "".join(f"{c}\n" for c in get_args(ConditionCategory))
    (folder / "condition_categories.csv").write_text(categories, encoding="utf-8")


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
    """Serialise publishers on this machine, so the exists-check, the rename and the index agree.

    The kernel drops an flock when its holder dies, so a publisher killed mid-write
    leaves a lock file that the next one simply takes. What it does leave is its hidden
    work folder or index temp file; work files are only ever made under this lock, so
    whatever of them is present once the lock is held belongs to a dead publisher and
    is removed.
    """
    with (releases_dir / _LOCK_NAME).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            _remove_dead_work(releases_dir)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_dead_work(releases_dir: Path) -> None:
    """Delete the hidden work folders and index temp files a killed publisher left (call with the lock held)."""
    for child in releases_dir.iterdir():
        if child.name.startswith(".v") and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(f".{INDEX_NAME}.") and child.is_file():
            child.unlink(missing_ok=True)


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
