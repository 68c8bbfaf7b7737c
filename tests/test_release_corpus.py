"""Releases of the real coder's output: stable event ids, exact diffs, and files external tools accept.

The tables are built from a sources manifest without Dagster (corpus_frames), so these
tests cost one coder pass per corpus. The coder is being tuned, so no test asserts how
many events it finds; they assert how ids, diffs and releases relate whatever that number is.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from corpus_frames import SOURCES, build_frames

from etl.release import publish_release
from etl.release_diff import diff_events
from etl.release_verify import verify_release

QUALITY = {"success": True, "expectations": []}
CODER = {"coder": "parley-rules"}
NEW_ID = "101_unrelated_helsinki"
NEW_TEXT = """Helsinki, 10 September 2025

Finnish President Alexander Stubb said on Tuesday that Finland is ready to host talks between Russia and
Ukraine, but only if a ceasefire is agreed first.

NATO Secretary General Mark Rutte condemned Russia on Wednesday for the drone incursion into Polish airspace.
"""
NEW_ENTRY = f"""
  - id: "{NEW_ID}"
    path: added/{NEW_ID}.txt
    outlet: Parley test desk
    published: 2025-09-10
"""


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled manifest and seeds in a temporary folder, and a second manifest with one unrelated text added."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copytree(SOURCES / "seeds", folder / "seeds")
    (folder / "added").mkdir()
    (folder / "added" / f"{NEW_ID}.txt").write_text(NEW_TEXT, encoding="utf-8")
    bundled = (SOURCES / "manifest.yaml").read_text(encoding="utf-8")
    (folder / "seeds.yaml").write_text(bundled, encoding="utf-8")
    (folder / "seeds_plus_one.yaml").write_text(bundled.rstrip("\n") + "\n" + NEW_ENTRY, encoding="utf-8")
    return folder / "seeds.yaml", folder / "seeds_plus_one.yaml"


@pytest.fixture(scope="module")
def releases(corpora: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("releases")
    seeds, seeds_plus_one = corpora
    publish_release(folder, "1.0.0", build_frames(seeds), QUALITY, CODER)
    publish_release(folder, "1.1.0", build_frames(seeds_plus_one), QUALITY, CODER)
    return folder


def _events(releases: Path, version: str) -> pl.DataFrame:
    return pl.read_parquet(releases / f"v{version}" / "events.parquet")


def test_the_same_inputs_give_the_same_events_and_ids(corpora: tuple[Path, Path], releases: Path) -> None:
    rebuilt = build_frames(corpora[0])["events"]
    assert rebuilt.height > 0
    assert rebuilt.equals(_events(releases, "1.0.0"))


def test_events_keep_their_ids_when_an_unrelated_document_is_added(releases: Path) -> None:
    before, after = _events(releases, "1.0.0"), _events(releases, "1.1.0")
    kept = after.filter(pl.col("event_id").is_in(before.get_column("event_id").to_list()))
    assert kept.equals(before), "an event of the seeds changed id or content when an unrelated text was added"
    new = after.filter(~pl.col("event_id").is_in(before.get_column("event_id").to_list()))
    assert new.height > 0, "the added text should be coded into at least one event"
    assert all(ids == [NEW_ID] for ids in new.get_column("doc_ids").to_list())


def test_the_diff_shows_exactly_the_new_events(releases: Path) -> None:
    before, after = _events(releases, "1.0.0"), _events(releases, "1.1.0")
    diff = diff_events(before, after)
    assert diff.removed.height == 0 and diff.changed.height == 0
    assert set(diff.added.get_column("event_id")) == set(after.get_column("event_id")) - set(before.get_column("event_id"))
    assert pl.read_csv(releases / "v1.1.0" / "deletions.csv").height == 0
    assert f"{diff.added.height} events added, 0 removed, 0 changed" in (releases / "v1.1.0" / "NOTES.md").read_text()


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_frictionless_validates_the_data_package(releases: Path, version: str) -> None:
    frictionless = Path(sys.executable).with_name("frictionless")
    completed = subprocess.run(
        [str(frictionless), "validate", "datapackage.json"],
        cwd=releases / f"v{version}",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_verify_passes_on_releases_of_the_real_coder(releases: Path) -> None:
    for version in ("1.0.0", "1.1.0"):
        problems, done = verify_release(releases / f"v{version}")
        assert problems == [], problems
        assert any("events.csv" in line for line in done)


def test_the_card_states_coverage(releases: Path) -> None:
    card = (releases / "v1.1.0" / "README.md").read_text(encoding="utf-8")
    assert "Parley test desk (1)" in card and "Espreso (1)" in card
    assert "Languages as read (documents): en (6)" in card
    assert "Translated from: de (2), es (1)" in card
    assert "version 1.1.0" in card
