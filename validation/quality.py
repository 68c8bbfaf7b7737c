"""Run the release's data-quality suites on the real Great Expectations engine.

Great Expectations 1.x has no polars engine, so each frame is narrowed to the scalar
columns the suites read and handed over as pandas. The context is ephemeral: nothing
is written to disk, and the published record of the run is the QualityReport.
"""

from __future__ import annotations

import polars as pl

from etl.codes import action_codes
from validation.report import ExpectationOutcome, QualityReport, ReleaseCounts
from validation.suites import ID_COLUMN, REPORTED_TABLE, build_suites

_EXAMPLES = 5
_CODING_COLUMNS = [
    "actor_code",
    "action_code",
    "quad_class",
    "goldstein",
    "event_date",
    "event_date_end",
    "doc_id",
    "source_published",
]


def _with_expected_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the CAMEO table's quad class and Goldstein value for each row's code (null for an unknown code)."""
    table = action_codes()
    codes = pl.DataFrame(
        {
            "action_code": list(table),
            "expected_quad_class": [c.quad_class for c in table.values()],
            "expected_goldstein": [c.goldstein for c in table.values()],
        },
        schema={"action_code": pl.String, "expected_quad_class": pl.Int64, "expected_goldstein": pl.Float64},
    )
    return frame.join(codes, on="action_code", how="left", maintain_order="left")


def prepare_frames(events: pl.DataFrame, mentions: pl.DataFrame, documents: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The frames the suites run on, keyed by suite frame name."""
    return {
        "events": _with_expected_codes(events.select("event_id", *_CODING_COLUMNS)),
        "mentions": _with_expected_codes(mentions.select("mention_id", "event_id", *_CODING_COLUMNS)),
        "event_documents": events.select("event_id", pl.col("doc_ids").alias("doc_id")).explode("doc_id"),
        "documents": documents.select("doc_id"),
    }


def run_quality(
    events: pl.DataFrame, mentions: pl.DataFrame, documents: pl.DataFrame, rejections: pl.DataFrame
) -> QualityReport:
    """Evaluate every expectation on the events, mentions and documents; success only if all pass.

    The rejections are only counted: a rejected source is a fact about the corpus, not a defect of the tables.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("parley")

    frames = prepare_frames(events, mentions, documents)
    suites = build_suites(
        event_ids=events.get_column("event_id").drop_nulls().unique().sort().to_list(),
        doc_ids=documents.get_column("doc_id").drop_nulls().unique().sort().to_list(),
    )
    outcomes: list[ExpectationOutcome] = []
    for suite in suites:
        batch = (
            source.add_dataframe_asset(suite.frame)
            .add_batch_definition_whole_dataframe("whole")
            .get_batch(batch_parameters={"dataframe": frames[suite.frame].to_pandas()})
        )
        gx_suite = gx.ExpectationSuite(name=suite.frame, expectations=suite.expectations)
        ident = ID_COLUMN[suite.frame]
        result = batch.validate(
            gx_suite, result_format={"result_format": "SUMMARY", "unexpected_index_column_names": [ident]}
        )
        for item in result.results:
            details = item.result
            examples = [str(row.get(ident)) for row in details.get("partial_unexpected_index_list") or []]
            outcomes.append(
                ExpectationOutcome(
                    name=item.expectation_config.meta["name"],
                    table=REPORTED_TABLE[suite.frame],
                    expectation=item.expectation_config.type,
                    success=bool(item.success),
                    unexpected_count=int(details.get("unexpected_count") or 0),
                    element_count=int(details.get("element_count") or 0),
                    examples=list(dict.fromkeys(examples))[:_EXAMPLES],
                )
            )
    outcomes.sort(key=lambda o: (o.table, o.name, o.expectation))
    return QualityReport(
        success=all(o.success for o in outcomes),
        engine=f"great_expectations {gx.__version__}",
        counts=ReleaseCounts.of(events, mentions, documents, rejections),
        expectations=outcomes,
    )
