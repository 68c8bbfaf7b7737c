"""The published record types: Document, EventMention, Event, RejectedDocument.

These pydantic models are the single source of truth for the dataset's contract.
The JSON Schema files under schema/ are generated from them (etl.schema), the
release tables are written from them, and consumers validate against that schema,
so a field added, removed or retyped here is a schema change (see SCHEMA_VERSION).
Field names and meanings follow the codebook, section 2.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1.0"

DatePrecision = Literal["day", "week", "month", "season", "year"]

ConditionCategory = Literal[
    "territorial_realities",
    "withdrawal",
    "end_incursion",
    "ceasefire_first",
    "talks_first",
    "no_preconditions",
    "no_rearmament",
    "security_guarantees",
    "neutrality",
    "demilitarization",
    "interlocutor",
    "legal_obstacle",
    "prior_framework",
    "territorial_integrity",
    "sanctions",
    "deadline",
    "other",
]

ActionCode = Field(pattern=r"^[0-9]{3,4}$", description="Full CAMEO event code, 3 or 4 digits as text.")


class _Record(BaseModel):
    """Strict records: an unknown field is an error, so a consumer never meets a silent extra column."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Record):
    """A sentence that states the event, as character offsets into the cleaned document text."""

    start: int = Field(ge=0, description="Offset of the first character in the cleaned text.")
    end: int = Field(ge=0, description="Offset one past the last character in the cleaned text.")
    text: str = Field(description="The cleaned text between start and end.")


class EventEvidence(Span):
    """An evidence span of a merged event, which may come from any of its documents."""

    doc_id: str = Field(description="The document the offsets refer to.")


class Condition(_Record):
    """A term the actor attaches to the action (codebook section 5)."""

    category: ConditionCategory
    text: str = Field(description="The shortest span that states the condition.")


class Document(_Record):
    """One source text as read: where it came from and what it held."""

    doc_id: str = Field(pattern=r"^[A-Za-z0-9_.:-]+$", description="Stable id of the source document.")
    source_name: str = Field(description="The publishing outlet.")
    source_url: str | None = Field(description="The article's address, when known.")
    source_published: dt.date | None = Field(description="Publication date, when known.")
    published_is_estimate: bool = Field(description="True when the publication date was inferred, not stated.")
    published_basis: str = Field(description="Where source_published came from: manifest, text, or unknown.")
    language: str = Field(description="ISO 639-1 code of the text as read.")
    translated_from: str | None = Field(description="ISO 639-1 code of the original, for translations.")
    location: str = Field(description="The file path (relative to the manifest) or URL the text was read from.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the raw bytes.")
    n_bytes: int = Field(ge=0)
    n_chars: int = Field(ge=0, description="Length of the cleaned text, the space evidence offsets refer to.")
    n_sentences: int = Field(ge=0)
    notes: str | None = None


class _Coding(_Record):
    """The who-did-what-to-whom fields shared by mentions and events."""

    actor_name: str
    actor_code: str = Field(pattern=r"^[A-Z]{3,12}$")
    actor_country: str | None = Field(pattern=r"^[A-Z]{3}$")
    actor_role: str | None = Field(pattern=r"^[A-Z]{3}$")
    actor_id: str | None = Field(pattern=r"^Q[0-9]+$", description="Wikidata QID, when known.")
    action_code: str = ActionCode
    action_root: str = Field(pattern=r"^[0-9]{2}$")
    action_label: str
    quad_class: int = Field(ge=1, le=4)
    goldstein: float = Field(ge=-10, le=10)
    plover_type: str | None
    plover_mode: str | None
    target_name: str | None
    target_code: str | None = Field(pattern=r"^[A-Z]{3,12}$")
    target_country: str | None = Field(pattern=r"^[A-Z]{3}$")
    target_role: str | None = Field(pattern=r"^[A-Z]{3}$")
    target_id: str | None = Field(pattern=r"^Q[0-9]+$")
    conditions: list[Condition]
    event_date: dt.date
    event_date_end: dt.date
    date_precision: DatePrecision
    date_text: str
    attribution: str | None
    location_name: str | None = None
    location_country: str | None = None
    location_lat: float | None = Field(default=None, ge=-90, le=90)
    location_lon: float | None = Field(default=None, ge=-180, le=180)
    location_precision: str | None = None
    confidence: float = Field(ge=0, le=1)


class EventMention(_Coding):
    """One coding of one event from one document."""

    mention_id: str = Field(pattern=r"^mn_[0-9a-f]{16}$")
    event_id: str | None = Field(pattern=r"^ev_[0-9a-f]{16}$", description="Set when mentions are resolved into events.")
    doc_id: str
    source_name: str
    source_url: str | None
    source_published: dt.date | None
    evidence: list[Span] = Field(min_length=1)


class Event(_Coding):
    """One event: the mentions of the same actor, action, target and occasion across documents."""

    event_id: str = Field(pattern=r"^ev_[0-9a-f]{16}$")
    doc_id: str = Field(description="The earliest-published document that reports the event.")
    doc_ids: list[str] = Field(min_length=1)
    n_mentions: int = Field(ge=1)
    n_sources: int = Field(ge=1, description="Distinct outlets that report the event.")
    source_name: str
    source_url: str | None
    source_published: dt.date | None
    evidence: list[EventEvidence] = Field(min_length=1)


class RejectedDocument(_Record):
    """A source that did not become a document: published so a release says what it left out, and why."""

    doc_id: str = Field(description="The doc id the source would have had (for a glob that matched nothing, the entry's id).")
    location: str = Field(description="The file path (relative to the manifest), glob or URL the source was read from.")
    reason: str = Field(
        pattern=r"^[a-z_]+$", description="Why it was rejected, a short slug: empty, binary, duplicate, fetch_failed, ..."
    )
    detail: str = Field(description="What exactly went wrong, in words.")


TABLES: dict[str, type[_Record]] = {
    "events": Event,
    "mentions": EventMention,
    "documents": Document,
    "rejections": RejectedDocument,
}
