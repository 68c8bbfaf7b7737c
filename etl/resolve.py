"""Merge event mentions from many documents into events (codebook section 1).

One event is one (actor, action, target) on one occasion. Two outlets reporting the
same statement give two mentions of one event. Mentions of the same coded triple are
taken to share an occasion when their date intervals overlap; overlap is chained
(single-link), so a week-precision mention can join two day-precision mentions that
fall inside it.

Event ids are hashes of what identifies the event (the triple and the date of its
most precise mention), never of row order, run time or unrelated documents, so the
same event keeps its id across reruns and across releases that add other sources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable

from etl.models import Condition, Document, Event, EventEvidence, EventMention

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}
"""Lower is more precise: the event takes its date from its most precise mention."""

_LAST = dt.date.max
"""Sorts documents without a publication date after every dated one."""


def event_id_for(
    actor_code: str, action_code: str, target_code: str | None, event_date: dt.date, event_date_end: dt.date
) -> str:
    """The stable id of an event: a hash of its triple and its representative date interval."""
    canonical = json.dumps(
        [actor_code, action_code, target_code or "", event_date.isoformat(), event_date_end.isoformat()],
        separators=(",", ":"),
    )
    return "ev_" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def resolve_events(
    mentions: list[EventMention], documents: list[Document]
) -> tuple[list[Event], list[EventMention]]:
    """Group mentions into events; returns the events and the mentions with event_id set.

    Every mention's doc_id must name one of documents: the event's source fields and the
    order of its documents come from there. Both outputs are sorted by id.
    """
    by_doc = {doc.doc_id: doc for doc in documents}
    _check_inputs(mentions, by_doc)

    groups: dict[tuple[str, str, str], list[EventMention]] = defaultdict(list)
    for mention in mentions:
        groups[(mention.actor_code, mention.action_code, mention.target_code or "")].append(mention)

    events: list[Event] = []
    resolved: list[EventMention] = []
    for key in sorted(groups):
        for cluster in _overlapping_clusters(groups[key], by_doc):
            event = _merge(cluster, by_doc)
            events.append(event)
            resolved.extend(m.model_copy(update={"event_id": event.event_id}) for m in cluster)

    events.sort(key=lambda e: e.event_id)
    resolved.sort(key=lambda m: m.mention_id)
    return events, resolved


def _check_inputs(mentions: list[EventMention], by_doc: dict[str, Document]) -> None:
    counts = Counter(m.mention_id for m in mentions)
    duplicates = sorted(mention_id for mention_id, n in counts.items() if n > 1)
    if duplicates:
        raise ValueError(f"mention ids must be unique; repeated: {duplicates[:5]}")
    unknown = sorted({m.doc_id for m in mentions} - by_doc.keys())
    if unknown:
        raise ValueError(f"mentions refer to documents that were not given: {unknown[:5]}")


def _overlapping_clusters(group: list[EventMention], by_doc: dict[str, Document]) -> list[list[EventMention]]:
    """Connected components of the interval-overlap graph, found in one sweep over sorted intervals.

    A mention joins a cluster only if its occasion can have begun before every document of the
    cluster was published: no outlet reports an occasion that had not yet begun, so a chain of
    wide intervals ("in 2022") cannot join a report to an occasion that came after it.
    """
    ordered = sorted(group, key=lambda m: (m.event_date, m.event_date_end, m.mention_id))
    clusters: list[list[EventMention]] = []
    reach = dt.date.min
    first_published = dt.date.max
    for mention in ordered:
        published = by_doc[mention.doc_id].source_published or _LAST
        if clusters and mention.event_date <= reach and mention.event_date <= first_published:
            clusters[-1].append(mention)
            reach = max(reach, mention.event_date_end)
            first_published = min(first_published, published)
        else:
            clusters.append([mention])
            reach, first_published = mention.event_date_end, published
    return clusters


def _doc_order(doc: Document) -> tuple[dt.date, str]:
    return (doc.source_published or _LAST, doc.doc_id)


def _merge(cluster: list[EventMention], by_doc: dict[str, Document]) -> Event:
    """One event from the mentions of one occasion."""
    doc_ids = sorted({m.doc_id for m in cluster}, key=lambda d: _doc_order(by_doc[d]))
    doc_rank = {doc_id: rank for rank, doc_id in enumerate(doc_ids)}
    in_reading_order = sorted(cluster, key=lambda m: (doc_rank[m.doc_id], m.evidence[0].start, m.mention_id))
    representative = min(
        cluster, key=lambda m: (PRECISION_RANK[m.date_precision], m.event_date, m.event_date_end, m.mention_id)
    )
    first_doc = by_doc[doc_ids[0]]
    located = next((m for m in in_reading_order if m.location_name is not None), None)

    coding = representative.model_dump(
        include={
            "actor_name", "actor_code", "actor_country", "actor_role", "actor_id",
            "action_code", "action_root", "action_label", "quad_class", "goldstein", "plover_type", "plover_mode",
            "target_name", "target_code", "target_country", "target_role", "target_id",
            "event_date", "event_date_end", "date_precision", "date_text",
        }
    )
    if first_doc.source_published is not None:
        # The occasion ended by the time it was first reported, whatever the width of the interval
        # its most precise mention gives (a week, from another outlet's later publication date).
        coding["event_date_end"] = min(coding["event_date_end"], first_doc.source_published)
    location = (located or representative).model_dump(
        include={"location_name", "location_country", "location_lat", "location_lon", "location_precision"}
    )
    return Event(
        **coding,
        **location,
        event_id=event_id_for(
            representative.actor_code,
            representative.action_code,
            representative.target_code,
            representative.event_date,
            representative.event_date_end,
        ),
        conditions=_union_conditions(m.conditions for m in cluster),
        attribution=next((m.attribution for m in in_reading_order if m.attribution), None),
        confidence=max(m.confidence for m in cluster),
        doc_id=first_doc.doc_id,
        doc_ids=doc_ids,
        n_mentions=len(cluster),
        n_sources=len({by_doc[d].source_name for d in doc_ids}),
        source_name=first_doc.source_name,
        source_url=first_doc.source_url,
        source_published=first_doc.source_published,
        evidence=_union_evidence(in_reading_order, doc_rank),
    )


def _union_conditions(lists: Iterable[list[Condition]]) -> list[Condition]:
    unique = {(c.category, c.text): c for conditions in lists for c in conditions}
    return [unique[key] for key in sorted(unique)]


def _union_evidence(mentions: list[EventMention], doc_rank: dict[str, int]) -> list[EventEvidence]:
    unique = {
        (doc_rank[m.doc_id], span.start, span.end, span.text): EventEvidence(
            doc_id=m.doc_id, start=span.start, end=span.end, text=span.text
        )
        for m in mentions
        for span in m.evidence
    }
    return [unique[key] for key in sorted(unique)]
