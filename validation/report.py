"""The data-quality report: what was expected of which table, and how the data fared.

It is published with every release (quality.json), so it is plain JSON through pydantic
and never holds Great Expectations objects.
"""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

DUPLICATE_REASON = "duplicate"
"""The rejection reason of a source whose cleaned text an earlier source already had (etl.documents)."""


def rejected_by_reason(rejections: pl.DataFrame) -> dict[str, int]:
    """How many sources were rejected for each reason, reasons sorted, so the report's bytes are stable."""
    counts = rejections.get_column("reason").value_counts(name="n").sort("reason")
    return {row["reason"]: row["n"] for row in counts.iter_rows(named=True)}


def by_reason_text(by_reason: dict[str, int]) -> str:
    """' (duplicate 1, empty 2)' for a summary line, or '' when nothing was rejected."""
    return f" ({', '.join(f'{reason} {n}' for reason, n in by_reason.items())})" if by_reason else ""


class ReleaseCounts(BaseModel):
    """What went into the tables and what was left out: a reader can judge coverage from the report alone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    documents_read: int
    documents_rejected: int
    rejected_by_reason: dict[str, int]
    duplicates: int = Field(description="Sources rejected as the same text as an earlier one (reason 'duplicate').")
    mentions: int
    events: int

    @classmethod
    def of(cls, events: pl.DataFrame, mentions: pl.DataFrame, documents: pl.DataFrame, rejections: pl.DataFrame) -> ReleaseCounts:
        by_reason = rejected_by_reason(rejections)
        return cls(
            documents_read=documents.height,
            documents_rejected=rejections.height,
            rejected_by_reason=by_reason,
            duplicates=by_reason.get(DUPLICATE_REASON, 0),
            mentions=mentions.height,
            events=events.height,
        )


class ExpectationOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="What was expected, in words: 'action_code in the CAMEO table'.")
    table: str = Field(description="The release table the expectation is about.")
    expectation: str = Field(description="The Great Expectations expectation type that tested it.")
    success: bool
    unexpected_count: int
    element_count: int
    examples: list[str] = Field(default_factory=list, description="Ids of a few failing rows.")


class QualityReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    success: bool
    engine: str = Field(description="The engine and version that evaluated the expectations.")
    counts: ReleaseCounts
    expectations: list[ExpectationOutcome]

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success]
