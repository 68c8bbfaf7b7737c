"""Release tables of the real coder, built from a sources manifest without Dagster.

The same plain functions the assets call (load, code, resolve), so release tests can use
real coder output at the cost of one coder pass, not a Dagster run.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from sample_records import release_frames

from etl.documents import load_corpus
from etl.extract import extract_mentions

REPOSITORY = Path(__file__).resolve().parents[1]
SOURCES = REPOSITORY / "datasets" / "sources"


def build_frames(manifest: Path) -> dict[str, pl.DataFrame]:
    loaded, rejections = load_corpus(manifest)
    if rejections:
        raise ValueError(f"{manifest}: sources rejected: {rejections}")
    mentions = [m for item in loaded for m in extract_mentions(item)]
    return release_frames(mentions, [item.document for item in loaded], [])
