"""Where a run reads and writes, and which release version it publishes.

Defaults point into the repository (the bundled corpus, datasets/releases, the
committed schema/ and a git-ignored work folder), so `dagster dev` from the repository root runs as is;
run_pipeline and tests pass their own folders.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from etl.parallel import DEFAULT_BATCH, default_workers
from etl.release import next_version, parse_version
from etl.schema import REPO_SCHEMA_DIR

REPOSITORY = Path(__file__).resolve().parents[2]


class ParleyPaths(dg.ConfigurableResource):
    """Folders of one run, and the version its release gets."""

    sources_manifest: str = str(REPOSITORY / "datasets" / "sources" / "manifest.yaml")
    releases_dir: str = str(REPOSITORY / "datasets" / "releases")
    work_dir: str = str(REPOSITORY / ".dagster_home" / "work")
    release_version: str | None = None
    """X.Y.Z to publish; None publishes the newest existing version bumped by minor (1.0.0 first)."""
    schema_dir: str = str(REPO_SCHEMA_DIR)
    """The published contract the schema checks hold the tables to: <schema_dir>/<schema version>/<table>.schema.json."""

    @property
    def manifest(self) -> Path:
        return Path(self.sources_manifest)

    @property
    def releases(self) -> Path:
        return Path(self.releases_dir)

    @property
    def work(self) -> Path:
        path = Path(self.work_dir)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def version_to_publish(self) -> str:
        if self.release_version is None:
            return next_version(self.releases)
        parse_version(self.release_version)
        return self.release_version


class ParleyCoding(dg.ConfigurableResource):
    """How the coder runs: how many processes, and whether documents coded before are reused."""

    workers: int = 0
    """Extraction processes; 0 means one per core this process may use."""
    batch_size: int = DEFAULT_BATCH
    """Documents per parser batch."""
    reuse_coded: bool = True
    """Skip documents whose content and coder are unchanged since the last run with this work folder;
    False codes every document again and rebuilds the cache from the result."""

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else default_workers()
