"""The files assets hand to each other in the work folder, and how to read them back.

Assets write their own outputs with polars (no IO manager, no pickles), so a run's
intermediate state is a folder of Parquet files anyone can open. The cleaned texts are
stored with their sentence offsets (texts.parquet) rather than re-read from the
sources by the extraction step: re-reading would fetch URLs a second time (a page can
change or vanish between steps) and re-run cleaning and segmentation, and the mentions'
evidence offsets must refer to exactly the text the documents table describes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl

from etl.documents import LoadedDocument, Rejection
from etl.models import Document, EventMention, RejectedDocument
from etl.segment import Sentence
from etl.tables import to_frame

DOCUMENTS = "documents.parquet"
REJECTIONS = "rejections.parquet"
TEXTS = "texts.parquet"
EVENT_MENTIONS = "event_mentions.parquet"
MENTION_CACHE = "mention_cache"
"""Mentions as extracted, before resolution (event_id null)."""
EVENTS = "events.parquet"
MENTIONS = "mentions.parquet"
"""Mentions as released: resolved, event_id set."""
QUALITY = "quality.json"

RELEASE_TABLES = {"events": EVENTS, "mentions": MENTIONS, "documents": DOCUMENTS, "rejections": REJECTIONS}

_TEXTS_SCHEMA = pl.Schema(
    {
        "doc_id": pl.String(),
        "text": pl.String(),
        "sentences": pl.List(pl.Struct({"start": pl.Int64(), "end": pl.Int64()})),
    }
)


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, compression="zstd", statistics=True)


def texts_frame(loaded: list[LoadedDocument]) -> pl.DataFrame:
    rows = [
        {
            "doc_id": item.document.doc_id,
            "text": item.text,
            "sentences": [{"start": s.start, "end": s.end} for s in item.sentences],
        }
        for item in loaded
    ]
    return pl.DataFrame(rows, schema=_TEXTS_SCHEMA, orient="row").sort("doc_id")


def rejections_frame(rejections: list[Rejection]) -> pl.DataFrame:
    """The rejections in the published table's layout: the release ships this file as it is."""
    records = [RejectedDocument(doc_id=r.doc_id, location=r.location, reason=r.reason, detail=r.detail) for r in rejections]
    return to_frame("rejections", records)


def read_loaded_documents(work_dir: Path) -> list[LoadedDocument]:
    """The documents with their cleaned texts and sentences, as the documents asset loaded them."""
    documents = {
        row["doc_id"]: Document.model_validate(row) for row in pl.read_parquet(work_dir / DOCUMENTS).iter_rows(named=True)
    }
    loaded = []
    for row in pl.read_parquet(work_dir / TEXTS).iter_rows(named=True):
        text = row["text"]
        sentences = tuple(Sentence(s["start"], s["end"], text[s["start"] : s["end"]]) for s in row["sentences"])
        loaded.append(LoadedDocument(documents[row["doc_id"]], text, sentences))
    return loaded


def read_mentions(path: Path) -> list[EventMention]:
    return [EventMention.model_validate(row) for row in pl.read_parquet(path).iter_rows(named=True)]


def read_documents(path: Path) -> list[Document]:
    return [Document.model_validate(row) for row in pl.read_parquet(path).iter_rows(named=True)]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_inputs(work_dir: Path) -> dict[str, str]:
    """sha256 of each release table in the work folder: ties a quality report to the data it judged."""
    return {table: file_sha256(work_dir / name) for table, name in sorted(RELEASE_TABLES.items())}


def write_quality(work_dir: Path, report: dict[str, Any]) -> Path:
    path = work_dir / QUALITY
    payload = {"inputs": release_inputs(work_dir), "report": report}
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_quality_for_current_tables(work_dir: Path) -> dict[str, Any]:
    """The quality report, only if it judged the tables now in the work folder.

    A release asset materialized on its own (say, from the UI) must not ship a report
    about other data: blocking checks only guard the run they are part of.
    """
    path = work_dir / QUALITY
    if not path.exists():
        raise RuntimeError(f"no quality report at {path}: run events_pass_quality_suite with the tables first")
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload["inputs"] != release_inputs(work_dir):
        raise RuntimeError(
            f"the quality report at {path} judged other tables than those now in {work_dir}; "
            "materialize the tables and their checks again in one run"
        )
    if not payload["report"]["success"]:
        raise RuntimeError(f"the quality report at {path} records failed expectations; nothing is released")
    return payload["report"]
