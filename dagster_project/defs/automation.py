"""When a release is built without anyone typing `parley run`: a sources sensor and a daily schedule.

Both are STOPPED until someone turns them on (UI toggle, or `dagster sensor start` /
`dagster schedule start`), so loading the code location never starts publishing
releases by itself. Both request the same job, parley_release: every asset and its
blocking checks, exactly what `parley run` materializes.

The sensor fingerprints each planned source by the sha256 of its bytes, not by size
and mtime: a git checkout, `touch` or a fresh copy changes mtimes without changing a
byte (a release for nothing), while `cp -p`, `rsync -t` and tar keep the old mtime on new
bytes (a missed change). The documents step reads every byte anyway; hashing them
measured about a second per GB from the page cache (docs/cluster.md), and a file over
the size cap, which the pipeline never reads, is fingerprinted by its size alone. URL
sources are never fetched at tick time: the manifest's own hash notices when their
entries change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from dagster_project.defs.resources import ParleyPaths
from etl.documents import corpus_manifest
from etl.manifest import ManifestError
from etl.sources import MAX_FILE_BYTES, PlannedSource, Rejection, plan_sources

CURSOR_VERSION = 1
_SHORT = 16
"""Hex digits kept per fingerprint: 64 bits tell a changed file from an unchanged one with
room to spare, and keep the cursor near 40 bytes per source."""
_LISTED = 10
"""How many changed doc ids a tick names in its log."""

parley_release = dg.define_asset_job(
    "parley_release",
    selection=dg.AssetSelection.all(),
    description="Every asset and its blocking checks: read the sources, code, resolve, publish a release.",
    run_tags={"parley/serial": "work-folder"},
)
"""The run tag lets a deployment allow one run at a time (docs/cluster.md): runs share
one work folder and each publishes the next version, so two at once would collide."""


def _short(digest: str) -> str:
    return digest[:_SHORT]


def _file_fingerprint(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"too_large:{size}"
        with path.open("rb") as fh:
            return _short(hashlib.file_digest(fh, "sha256").hexdigest())
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def _item_fingerprint(item: PlannedSource | Rejection, max_bytes: int) -> tuple[str, str]:
    if isinstance(item, Rejection):
        return f"!{item.reason}:{item.doc_id}:{item.location}", "-"
    if item.file is not None:
        return item.doc_id, _file_fingerprint(item.file, max_bytes)
    return item.doc_id, f"url:{_short(hashlib.sha256(item.location.encode()).hexdigest())}"


@dataclass(frozen=True)
class CorpusState:
    """What the corpus looked like at one tick: the manifest's hash and one fingerprint per planned source."""

    manifest: str
    sources: Mapping[str, str]
    generation: int = 0
    """How many changes the sensor has seen; part of the run key (see run_key)."""

    @classmethod
    def read(cls, sources: Path, *, max_bytes: int = MAX_FILE_BYTES) -> CorpusState:
        """Plan and fingerprint the corpus; ManifestError when the manifest cannot be used."""
        manifest = corpus_manifest(sources)
        manifest_hash = _file_fingerprint(manifest.file, max_bytes) if manifest.file.is_file() else "folder"
        return cls(manifest_hash, dict(_item_fingerprint(item, max_bytes) for item in plan_sources(manifest)))

    @property
    def digest(self) -> str:
        canonical = json.dumps({"m": self.manifest, "s": self.sources}, sort_keys=True, separators=(",", ":"))
        return _short(hashlib.sha256(canonical.encode()).hexdigest())

    def same_corpus(self, other: CorpusState | None) -> bool:
        return other is not None and self.manifest == other.manifest and dict(self.sources) == dict(other.sources)

    def run_key(self) -> str:
        """The digest alone would make a corpus that returns to an earlier state (a file removed by
        mistake, then restored) reuse an old run key, which Dagster silently drops; the generation
        keeps every change distinct while a repeated tick on the same cursor repeats its key."""
        return f"sources-{self.generation}-{self.digest}"

    def to_cursor(self) -> str:
        return json.dumps(
            {"v": CURSOR_VERSION, "n": self.generation, "m": self.manifest, "s": dict(sorted(self.sources.items()))},
            separators=(",", ":"),
        )

    @classmethod
    def from_cursor(cls, cursor: str | None) -> CorpusState | None:
        """None for no cursor or one this version cannot read: the next tick then requests a run."""
        if not cursor:
            return None
        try:
            data = json.loads(cursor)
            if data.get("v") != CURSOR_VERSION:
                return None
            return cls(str(data["m"]), {str(k): str(v) for k, v in data["s"].items()}, int(data["n"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


@dataclass(frozen=True)
class CorpusChange:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @classmethod
    def between(cls, before: Mapping[str, str], after: Mapping[str, str]) -> CorpusChange:
        return cls(
            added=sorted(after.keys() - before.keys()),
            changed=sorted(k for k in after.keys() & before.keys() if after[k] != before[k]),
            removed=sorted(before.keys() - after.keys()),
        )

    def tags(self) -> dict[str, str]:
        return {f"parley/sources_{name}": str(len(ids)) for name, ids in self._parts()}

    def describe(self) -> str:
        parts = [f"{len(ids)} {name} ({_listed(ids)})" for name, ids in self._parts() if ids]
        return ", ".join(parts) or "only the manifest changed"

    def _parts(self) -> Iterable[tuple[str, list[str]]]:
        return (("added", self.added), ("changed", self.changed), ("removed", self.removed))


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    return shown + (f", ... {len(ids) - _LISTED} more" if len(ids) > _LISTED else "")


@dg.sensor(
    job=parley_release,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Requests a parley_release run when a source file, a glob's matches or the manifest change "
    "(sha256 of the bytes; URLs are not fetched).",
)
def parley_sources_sensor(context: dg.SensorEvaluationContext, paths: ParleyPaths) -> dg.SensorResult | dg.SkipReason:
    previous = CorpusState.from_cursor(context.cursor)
    try:
        current = CorpusState.read(paths.manifest)
    except ManifestError as exc:
        return dg.SkipReason(f"cannot plan the sources: {exc}")
    if current.same_corpus(previous):
        return dg.SkipReason(f"no source changed since the last request ({len(current.sources)} sources)")
    generation = previous.generation + 1 if previous is not None else 1
    current = CorpusState(current.manifest, current.sources, generation)
    change = CorpusChange.between(previous.sources if previous is not None else {}, current.sources)
    context.log.info(f"sources changed: {change.describe()}")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=current.run_key(), tags={"parley/trigger": "sources", **change.tags()})
        ],
        cursor=current.to_cursor(),
    )


daily_release = dg.ScheduleDefinition(
    name="parley_daily_release",
    job=parley_release,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    tags={"parley/trigger": "schedule"},
    description="Builds a release every day at 06:00 UTC, whether or not the sources changed.",
)
