"""The expectation suites, built in code: one suite per frame that Great Expectations sees.

Great Expectations compares columns within one frame, so the checks that span tables
or need the CAMEO table are set up by adding columns first (quality.prepare_frames):
the expected quad class and Goldstein value of each row's code, and the known ids of
the table referred to. Each expectation carries its human name in meta["name"], which
the report uses. Great Expectations is imported inside the function: its import costs
seconds, and nothing that merely imports this package should pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from etl.codes import action_codes

KEY_COLUMNS = {
    "events": ["event_id", "actor_code", "action_code", "event_date", "event_date_end", "doc_id"],
    "mentions": ["mention_id", "event_id", "actor_code", "action_code", "event_date", "event_date_end", "doc_id"],
    "documents": ["doc_id"],
}
ID_COLUMN = {"events": "event_id", "mentions": "mention_id", "documents": "doc_id", "event_documents": "event_id"}
REPORTED_TABLE = {"events": "events", "mentions": "mentions", "documents": "documents", "event_documents": "events"}
"""event_documents is events with one row per (event, doc_id): its findings are about events."""


@dataclass(frozen=True)
class Suite:
    frame: str
    expectations: list[Any]


def build_suites(event_ids: list[str], doc_ids: list[str]) -> list[Suite]:
    """Every suite of the release checks; event_ids and doc_ids are the ids that references may name."""
    import great_expectations.expectations as gxe

    def named(expectation_cls: type, name: str, **kwargs: Any) -> Any:
        return expectation_cls(meta={"name": name}, **kwargs)

    def coding(table: str) -> list[Any]:
        ident = ID_COLUMN[table]
        return [
            *(named(gxe.ExpectColumnValuesToNotBeNull, f"{c} not null", column=c) for c in KEY_COLUMNS[table]),
            named(gxe.ExpectColumnValuesToBeUnique, f"{ident} unique", column=ident),
            named(
                gxe.ExpectColumnValuesToBeInSet,
                "action_code in the CAMEO table",
                column="action_code",
                value_set=sorted(action_codes()),
            ),
            named(
                gxe.ExpectColumnPairValuesToBeEqual,
                "quad_class equals the CAMEO table's for the code",
                column_A="quad_class",
                column_B="expected_quad_class",
            ),
            named(
                gxe.ExpectColumnPairValuesToBeEqual,
                "goldstein equals the CAMEO table's for the code",
                column_A="goldstein",
                column_B="expected_goldstein",
            ),
            named(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                "event_date <= event_date_end",
                column_A="event_date_end",
                column_B="event_date",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            named(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                "event_date_end <= source_published",
                column_A="source_published",
                column_B="event_date_end",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            named(
                gxe.ExpectColumnValuesToBeInSet,
                "doc_id present in documents",
                column="doc_id",
                value_set=doc_ids,
            ),
        ]

    return [
        Suite("events", coding("events")),
        Suite(
            "mentions",
            [
                *coding("mentions"),
                named(
                    gxe.ExpectColumnValuesToBeInSet,
                    "event_id present in events",
                    column="event_id",
                    value_set=event_ids,
                ),
            ],
        ),
        Suite(
            "event_documents",
            [
                named(
                    gxe.ExpectColumnValuesToBeInSet,
                    "every doc_ids entry present in documents",
                    column="doc_id",
                    value_set=doc_ids,
                )
            ],
        ),
        Suite(
            "documents",
            [
                named(gxe.ExpectColumnValuesToNotBeNull, "doc_id not null", column="doc_id"),
                named(gxe.ExpectColumnValuesToBeUnique, "doc_id unique", column="doc_id"),
            ],
        ),
    ]
