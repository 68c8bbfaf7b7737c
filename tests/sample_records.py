"""Valid Document, EventMention and RejectedDocument records for tests, built through the real models.

Coding fields come from the CAMEO table (etl.codes), so a sample mention is one the
extractor could have produced; each test overrides only what it is about.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import polars as pl

from etl.codes import lookup
from etl.models import Condition, Document, EventMention, RejectedDocument, Span
from etl.resolve import resolve_events
from etl.tables import to_frame

ACTORS: dict[str, tuple[str, str | None, str | None]] = {
    "RUSGOV": ("Kremlin", "RUS", "GOV"),
    "UKRGOV": ("Ukrainian government", "UKR", "GOV"),
    "USAGOV": ("White House", "USA", "GOV"),
    "IGOWSTNAT": ("NATO", "WST", "IGO"),
}


def hex16(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def document(
    doc_id: str,
    source_name: str = "Outlet",
    published: dt.date | None = dt.date(2025, 5, 20),
    **overrides: Any,
) -> Document:
    fields: dict[str, Any] = {
        "doc_id": doc_id,
        "source_name": source_name,
        "source_url": f"https://example.org/{doc_id}",
        "source_published": published,
        "published_is_estimate": False,
        "published_basis": "manifest" if published else "unknown",
        "language": "en",
        "translated_from": None,
        "location": f"texts/{doc_id}.txt",
        "sha256": hashlib.sha256(doc_id.encode()).hexdigest(),
        "n_bytes": 1000,
        "n_chars": 990,
        "n_sentences": 12,
    }
    return Document(**{**fields, **overrides})


def mention(
    name: str,
    doc: Document,
    actor: str = "RUSGOV",
    action: str = "036",
    target: str | None = "UKRGOV",
    date: dt.date = dt.date(2025, 5, 16),
    date_end: dt.date | None = None,
    precision: str = "day",
    conditions: list[tuple[str, str]] | None = None,
    evidence: list[tuple[int, int, str]] | None = None,
    **overrides: Any,
) -> EventMention:
    code = lookup(action)
    actor_name, actor_country, actor_role = ACTORS[actor]
    target_name, target_country, target_role = ACTORS[target] if target else (None, None, None)
    fields: dict[str, Any] = {
        "mention_id": "mn_" + hex16(name),
        "event_id": None,
        "actor_name": actor_name,
        "actor_code": actor,
        "actor_country": actor_country,
        "actor_role": actor_role,
        "actor_id": None,
        "action_code": code.code,
        "action_root": code.root,
        "action_label": code.label,
        "quad_class": code.quad_class,
        "goldstein": code.goldstein,
        "plover_type": code.plover_type,
        "plover_mode": code.plover_mode,
        "target_name": target_name,
        "target_code": target,
        "target_country": target_country,
        "target_role": target_role,
        "target_id": None,
        "conditions": [Condition(category=c, text=t) for c, t in conditions or []],
        "event_date": date,
        "event_date_end": date_end or date,
        "date_precision": precision,
        "date_text": "on Friday",
        "attribution": None,
        "confidence": 0.8,
        "doc_id": doc.doc_id,
        "source_name": doc.source_name,
        "source_url": doc.source_url,
        "source_published": doc.source_published,
        "evidence": [Span(start=s, end=e, text=t) for s, e, t in evidence or [(0, 24, "Russia is ready to talk.")]],
    }
    return EventMention(**{**fields, **overrides})


def rejection(doc_id: str, reason: str = "empty", location: str | None = None, detail: str = "no text") -> RejectedDocument:
    return RejectedDocument(doc_id=doc_id, location=location or f"{doc_id}.txt", reason=reason, detail=detail)


def release_frames(
    mentions: list[EventMention], documents: list[Document], rejections: list[RejectedDocument]
) -> dict[str, pl.DataFrame]:
    """The four release tables as the pipeline builds them: mentions resolved into events, each table a frame."""
    events, linked = resolve_events(mentions, documents)
    return {
        "events": to_frame("events", events),
        "mentions": to_frame("mentions", linked),
        "documents": to_frame("documents", documents),
        "rejections": to_frame("rejections", rejections),
    }
