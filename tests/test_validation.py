"""The quality suites on the real Great Expectations engine: good tables pass, each fault is caught."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from sample_records import document, mention

from etl.resolve import resolve_events
from etl.tables import to_frame
from validation.quality import run_quality
from validation.report import QualityReport

D = dt.date
Tables = dict[str, pl.DataFrame]


@pytest.fixture(scope="module")
def good() -> Tables:
    docs = [document("a-1", "Reuters", D(2025, 5, 18)), document("b-2", "TASS", D(2025, 5, 17)), document("c-3", published=None)]
    mentions = [
        mention("m1", docs[0]),
        mention("m2", docs[1], date=D(2025, 5, 11), date_end=D(2025, 5, 17), precision="week"),
        mention("m3", docs[1], action="0256", target=None),
        mention("m4", docs[2], action="1246", date=D(2025, 6, 1)),
    ]
    events, linked = resolve_events(mentions, docs)
    return {"events": to_frame("events", events), "mentions": to_frame("mentions", linked), "documents": to_frame("documents", docs), "rejections": to_frame("rejections", [])}


def _run(tables: Tables) -> QualityReport:
    return run_quality(tables["events"], tables["mentions"], tables["documents"], tables["rejections"])


def _failed(report: QualityReport) -> set[tuple[str, str]]:
    return {(f.table, f.name) for f in report.failures}


def _first_id(frame: pl.DataFrame, column: str) -> str:
    return frame[column][0]


def test_good_tables_pass_every_expectation(good: Tables) -> None:
    report = _run(good)
    assert report.success, report.failures
    assert report.engine.startswith("great_expectations 1.")
    assert len(report.expectations) >= 25
    assert all(e.element_count > 0 for e in report.expectations)
    assert json.loads(report.model_dump_json())["success"] is True


def test_empty_tables_pass(good: Tables) -> None:
    assert _run({name: frame.clear() for name, frame in good.items()}).success


def test_a_code_outside_the_cameo_table_fails(good: Tables) -> None:
    bad = {**good, "events": good["events"].with_columns(pl.lit("0999").alias("action_code"))}
    report = _run(bad)
    assert ("events", "action_code in the CAMEO table") in _failed(report)
    outcome = next(f for f in report.failures if f.name == "action_code in the CAMEO table")
    assert outcome.unexpected_count == bad["events"].height == outcome.element_count
    assert _first_id(bad["events"], "event_id") in outcome.examples


def test_a_wrong_goldstein_or_quad_class_fails(good: Tables) -> None:
    events = good["events"]
    first = pl.int_range(pl.len()) == 0
    wrong = events.with_columns(
        pl.when(first).then(pl.col("goldstein") + 1.5).otherwise(pl.col("goldstein")).alias("goldstein"),
        pl.when(first).then(4).otherwise(pl.col("quad_class")).alias("quad_class"),
    )
    report = _run({**good, "events": wrong})
    assert _failed(report) == {
        ("events", "goldstein equals the CAMEO table's for the code"),
        ("events", "quad_class equals the CAMEO table's for the code"),
    }
    assert all(f.unexpected_count == 1 and f.examples == [_first_id(events, "event_id")] for f in report.failures)


def test_an_event_dated_after_publication_fails(good: Tables) -> None:
    late = good["mentions"].with_columns(
        pl.when(pl.col("source_published").is_not_null())
        .then(pl.col("source_published") + pl.duration(days=3))
        .otherwise(pl.col("event_date_end"))
        .alias("event_date_end")
    )
    report = _run({**good, "mentions": late})
    assert _failed(report) == {("mentions", "event_date_end <= source_published")}
    assert report.failures[0].unexpected_count == 3  # the undated document's mention is not judged


def test_an_end_before_the_start_fails(good: Tables) -> None:
    swapped = good["events"].with_columns(pl.col("event_date_end") - pl.duration(days=40))
    assert ("events", "event_date <= event_date_end") in _failed(_run({**good, "events": swapped}))


def test_a_duplicate_id_fails(good: Tables) -> None:
    mentions = good["mentions"]
    duplicated = pl.concat([mentions, mentions.head(1)])
    events = good["events"]
    report = _run({**good, "mentions": duplicated, "events": pl.concat([events, events.tail(1)])})
    assert {("mentions", "mention_id unique"), ("events", "event_id unique")} <= _failed(report)


def test_a_dangling_event_id_fails(good: Tables) -> None:
    dangling = good["mentions"].with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ev_0000000000000000")).otherwise(pl.col("event_id")).alias("event_id")
    )
    report = _run({**good, "mentions": dangling})
    assert _failed(report) == {("mentions", "event_id present in events")}
    assert report.failures[0].examples == [_first_id(dangling, "mention_id")]


def test_an_event_citing_a_missing_document_fails(good: Tables) -> None:
    documents = good["documents"].filter(pl.col("doc_id") != "b-2")
    failed = _failed(_run({**good, "documents": documents}))
    assert {
        ("events", "every doc_ids entry present in documents"),
        ("events", "doc_id present in documents"),
        ("mentions", "doc_id present in documents"),
    } <= failed


def test_null_keys_fail(good: Tables) -> None:
    nulls = good["events"].with_columns(pl.lit(None, dtype=pl.String).alias("actor_code"))
    assert ("events", "actor_code not null") in _failed(_run({**good, "events": nulls}))
