"""A publisher SIGKILLed while it writes a release leaves nothing a reader can see, and the next publish succeeds.

A child Python process publishes a release large enough to take seconds to write; the
test kills it as soon as its hidden work folder holds a file, i.e. mid-write and while
it holds the publish lock. No release may be listed, no v1.0.0 folder may exist, and
publishing the same version again must succeed and sweep away the dead publisher's
leftovers.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
from sample_records import document, mention

from etl.release import INDEX_NAME, publish_release, published_versions, read_index
from etl.resolve import resolve_events
from etl.tables import to_frame

ROOT = Path(__file__).resolve().parents[1]
VERSION = "1.0.0"
QUALITY = {"success": True, "expectations": []}
CODER = {"coder": "parley-rules", "coder_version": "1.0.0"}
REPEATS = 20_000
"""Copies of the sample rows in the child's tables: enough for the write to take seconds."""
GIVE_UP_S = 120.0
"""Only a guard against a hung child; the kill normally comes within a few seconds."""

CHILD = """
import sys
from pathlib import Path
import polars as pl
from test_crash import CODER, QUALITY, VERSION, sample_frames
from etl.release import publish_release
frames = {name: pl.concat([frame] * int(sys.argv[2])) for name, frame in sample_frames().items()}
publish_release(Path(sys.argv[1]), VERSION, frames, QUALITY, CODER)
"""


def sample_frames() -> dict[str, pl.DataFrame]:
    docs = [document("a-1", "Reuters", dt.date(2025, 5, 18)), document("b-2", "TASS", dt.date(2025, 5, 17))]
    mentions = [mention("m1", docs[0], conditions=[("deadline", "from Monday")]), mention("m2", docs[1])]
    events, linked = resolve_events(mentions, docs)
    return {"events": to_frame("events", events), "mentions": to_frame("mentions", linked), "documents": to_frame("documents", docs), "rejections": to_frame("rejections", [])}


def _work_folders(releases: Path) -> list[Path]:
    return [child for child in releases.iterdir() if child.name.startswith(".v")] if releases.is_dir() else []


def _kill_mid_write(releases: Path) -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)])}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(releases), str(REPEATS)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + GIVE_UP_S
        while not any(any(folder.iterdir()) for folder in _work_folders(releases)):
            assert child.poll() is None, f"the publisher ended (exit {child.returncode}) before it could be killed mid-write"
            assert time.monotonic() < deadline, "the publisher wrote nothing within the guard time"
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
        return child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_a_publisher_killed_mid_write_leaves_no_release_and_the_next_publish_succeeds(tmp_path):
    releases = tmp_path / "releases"

    assert _kill_mid_write(releases) == -signal.SIGKILL

    assert _work_folders(releases), "the kill should have left the dead publisher's hidden work folder"
    assert published_versions(releases) == []
    assert not (releases / f"v{VERSION}").exists()
    assert read_index(releases).releases == []
    assert (releases / ".publish.lock").exists()

    path = publish_release(releases, VERSION, sample_frames(), QUALITY, CODER)

    assert path == releases / f"v{VERSION}"
    assert published_versions(releases) == [VERSION]
    assert [entry.version for entry in read_index(releases).releases] == [VERSION]
    assert _work_folders(releases) == []
    assert not [child for child in releases.iterdir() if child.name.startswith(f".{INDEX_NAME}.")]
