"""The data-quality report: what was expected of which table, and how the data fared.

It is published with every release (quality.json), so it is plain JSON through pydantic
and never holds Great Expectations objects.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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
    expectations: list[ExpectationOutcome]

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success]
