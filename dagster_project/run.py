"""Run the whole graph in-process, as `parley run` does, and say what happened.

The run goes through the same definitions `dagster dev` serves, with this run's
folders bound as the ParleyPaths resource, so the blocking checks guard the release
exactly as they do in the UI. Dagster's own console log is silenced; instead a listener
on the run's event stream prints one line per step start and per result, built from
the "summary" metadata each asset and check returns.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel

import dagster as dg
from dagster_project.definitions import pipeline
from dagster_project.defs.resources import ParleyCoding, ParleyPaths
from etl.release import release_path as release_folder
from etl.schema import REPO_SCHEMA_DIR
from validation.report import by_reason_text

_QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


class RunSummary(BaseModel):
    """What a run did; ok is False when any step failed or a blocking check stopped the release."""

    ok: bool
    run_id: str
    documents_read: int | None = None
    documents_rejected: int | None = None
    rejected_by_reason: dict[str, int] = {}
    duplicates: int | None = None
    documents_coded: int | None = None
    documents_reused: int | None = None
    mentions: int | None = None
    events: int | None = None
    checks_passed: list[str] = []
    checks_failed: list[str] = []
    failed_steps: list[str] = []
    errors: list[str] = []
    step_seconds: dict[str, float] = {}
    """Seconds each step took, by its assets or checks, in the order the steps ended."""
    version: str | None = None
    release_path: str | None = None
    seconds: float


def _metadata_value(entry: dg.MetadataValue) -> object:
    return getattr(entry, "value", entry)


class _Progress:
    """Turns the run's Dagster events into terminal lines and into the summary's fields."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.started: dict[str, float] = {}
        self.step_names: dict[str, list[str]] = {}
        self.materialized: dict[str, dict[str, object]] = {}
        self.checks: dict[str, tuple[bool, str]] = {}
        self.failed_check_steps: set[str] = set()
        self.failed_steps: list[str] = []
        self.errors: list[str] = []
        self.step_seconds: dict[str, float] = {}

    def _label(self, step: str) -> str:
        return ", ".join(sorted(self.step_names.get(step, [step])))

    def _elapsed(self, step: str | None, now: float) -> str:
        start = self.started.get(step or "")
        return f" [{now - start:.1f} s]" if start is not None else ""

    def _took(self, step: str | None, now: float) -> None:
        start = self.started.get(step or "")
        if start is not None:
            self.step_seconds[self._label(step or "")] = round(now - start, 3)

    def __call__(self, entry: dg.EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        step = event.step_key
        kind = event.event_type
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED:
            self.step_names.setdefault(step, []).append(event.event_specific_data.asset_key.to_user_string())
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED:
            self.step_names.setdefault(step, []).append(f"check {event.event_specific_data.asset_check_key.name}")
        elif kind == dg.DagsterEventType.STEP_START:
            self.started[step] = entry.timestamp
            self.echo(f"  .. {self._label(step)}")
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            name = materialization.asset_key.to_user_string()
            metadata = {k: _metadata_value(v) for k, v in materialization.metadata.items()}
            self.materialized[name] = metadata
            self.echo(f"  ok {name}: {metadata.get('summary', '')}{self._elapsed(step, entry.timestamp)}")
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            name = evaluation.check_name
            summary = str(_metadata_value(evaluation.metadata["summary"])) if "summary" in evaluation.metadata else ""
            self.checks[name] = (evaluation.passed, summary)
            if not evaluation.passed:
                self.failed_check_steps.add(step)
            verdict = "ok" if evaluation.passed else "FAILED"
            self.echo(f"  {verdict} check {name}: {summary}{self._elapsed(step, entry.timestamp)}")
        elif kind == dg.DagsterEventType.STEP_SUCCESS:
            self._took(step, entry.timestamp)
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            self._took(step, entry.timestamp)
            self.failed_steps.append(self._label(step))
            if step in self.failed_check_steps:
                return
            error = event.event_specific_data.error
            while error is not None and error.cause is not None:
                error = error.cause
            message = f"{self._label(step)}: {error.message.strip() if error else 'failed'}"
            self.errors.append(message)
            self.echo(f"  FAILED {message}{self._elapsed(step, entry.timestamp)}")


@contextlib.contextmanager
def _instance() -> Iterator[dg.DagsterInstance]:
    """The DAGSTER_HOME instance when one is set (runs then show in the UI), else a throwaway one."""
    if os.environ.get("DAGSTER_HOME"):
        with dg.DagsterInstance.get() as instance:
            yield instance
    else:
        with dg.DagsterInstance.ephemeral() as instance:
            yield instance


@contextlib.contextmanager
def _work_folder(work_dir: Path | None) -> Iterator[Path]:
    """The given work folder, or a temporary one: the release holds everything a run publishes."""
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
        yield work_dir
    else:
        with tempfile.TemporaryDirectory(prefix="parley-work-") as tmp:
            yield Path(tmp)


def _count(progress: _Progress, asset: str, key: str) -> int | None:
    value = progress.materialized.get(asset, {}).get(key)
    return int(value) if isinstance(value, int) else None


def run_pipeline(
    sources: Path,
    releases_dir: Path,
    version: str | None,
    work_dir: Path | None = None,
    echo: Callable[[str], None] = print,
    *,
    schema_dir: Path | None = None,
    coding: ParleyCoding | None = None,
) -> RunSummary:
    """Materialize documents, mentions, events, their checks and the release in one run.

    A malformed version raises ValueError; a version already published is refused before
    anything runs (the release asset refuses it too, for runs started elsewhere).
    schema_dir replaces the committed schema/ folder as the contract the tables are checked against.
    coding sets the extraction processes and whether documents coded by an earlier run with
    the same work folder are reused (only a kept work_dir has any).
    """
    started = time.monotonic()
    run_id = str(uuid.uuid4())
    progress = _Progress(echo)
    existing = release_folder(Path(releases_dir), version) if version is not None else None
    if existing is not None and existing.exists():
        message = f"release {existing} already exists; choose a new version"
        echo(f"no release: {message}")
        return RunSummary(ok=False, run_id=run_id, errors=[message], seconds=round(time.monotonic() - started, 2))
    with _work_folder(work_dir) as work, _instance() as instance:
        paths = ParleyPaths(
            sources_manifest=str(Path(sources).resolve()),
            releases_dir=str(Path(releases_dir).resolve()),
            work_dir=str(work.resolve()),
            release_version=version,
            schema_dir=str(Path(schema_dir or REPO_SCHEMA_DIR).resolve()),
        )
        echo(f"parley run {run_id[:8]}: sources {paths.sources_manifest} -> releases {paths.releases_dir}")
        job = pipeline().with_resources({"paths": paths, "coding": coding or ParleyCoding()}).resolve_implicit_global_asset_job_def()
        instance.add_event_listener(run_id, progress)
        result = job.execute_in_process(
            instance=instance, run_id=run_id, raise_on_error=False, run_config=_QUIET_LOGS, tags={"parley/cli": "run"}
        )

    checks_failed = sorted(name for name, (passed, _) in progress.checks.items() if not passed)
    release = progress.materialized.get("release", {})
    summary = RunSummary(
        ok=result.success and not checks_failed and "release" in progress.materialized,
        run_id=run_id,
        documents_read=_count(progress, "documents", "rows"),
        documents_rejected=_count(progress, "documents", "rejections"),
        rejected_by_reason=progress.materialized.get("documents", {}).get("rejected_by_reason", {}),
        duplicates=_count(progress, "documents", "duplicates"),
        documents_coded=_count(progress, "event_mentions", "documents_coded"),
        documents_reused=_count(progress, "event_mentions", "documents_reused"),
        mentions=_count(progress, "mentions", "rows"),
        events=_count(progress, "events", "rows"),
        checks_passed=sorted(name for name, (passed, _) in progress.checks.items() if passed),
        checks_failed=checks_failed,
        failed_steps=progress.failed_steps,
        errors=progress.errors,
        step_seconds=progress.step_seconds,
        version=str(release["version"]) if "version" in release else None,
        release_path=str(release["path"]) if "path" in release else None,
        seconds=round(time.monotonic() - started, 2),
    )
    n_checks = len(summary.checks_passed) + len(summary.checks_failed)
    echo(f"summary: {summary.documents_read or 0} documents read, "
         f"{summary.documents_rejected or 0} rejected{by_reason_text(summary.rejected_by_reason)}, "
         f"{summary.duplicates or 0} duplicates, {summary.mentions or 0} mentions, {summary.events or 0} events, "
         f"{len(summary.checks_passed)} of {n_checks} checks passed")
    if summary.ok:
        echo(f"released v{summary.version} at {summary.release_path} in {summary.seconds:.1f} s")
    elif checks_failed:
        echo(f"no release: blocking check(s) failed: {', '.join(checks_failed)}")
    else:
        echo(f"no release: run failed at {', '.join(progress.failed_steps) or 'an unknown step'}")
    return summary
