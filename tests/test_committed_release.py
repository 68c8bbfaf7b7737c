"""The release committed under datasets/releases/ is intact: what researchers download verifies."""

from __future__ import annotations

from pathlib import Path

import frictionless
import polars as pl
import pytest

from etl.release_verify import verify_release

RELEASES = Path(__file__).resolve().parent.parent / "datasets" / "releases"
COMMITTED = sorted(p for p in RELEASES.glob("v*") if p.is_dir())


def test_at_least_the_first_release_is_committed() -> None:
    assert RELEASES / "v1.0.0" in COMMITTED


@pytest.mark.parametrize("release", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_release_verifies(release: Path) -> None:
    problems, _ = verify_release(release)
    assert problems == []
    assert frictionless.validate(release / "datapackage.json").valid


def test_the_readme_loading_lines_work() -> None:
    events = pl.read_parquet(RELEASES / "v1.0.0" / "events.parquet")
    assert events.height >= 10 and {"actor_code", "action_code", "conditions"} <= set(events.columns)
