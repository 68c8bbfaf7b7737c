"""Resolution of mentions into events: grouping, occasions, merged fields and stable ids."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sample_records import document, mention

from etl.models import EventEvidence
from etl.resolve import event_id_for, resolve_events

D = dt.date
REUTERS = document("reuters-1", "Reuters", D(2025, 5, 18))
TASS = document("tass-1", "TASS", D(2025, 5, 17))
REUTERS_2 = document("reuters-2", "Reuters", D(2025, 5, 19))
DOCS = [REUTERS, TASS, REUTERS_2]


def test_same_statement_in_two_outlets_is_one_event_with_two_sources() -> None:
    mentions = [
        mention("a", REUTERS, evidence=[(10, 40, "Kremlin says it is open to talks.")], attribution="Kremlin aide"),
        mention("b", TASS, evidence=[(0, 25, "Peskov: ready for talks.")]),
    ]
    events, linked = resolve_events(mentions, DOCS)

    assert len(events) == 1
    event = events[0]
    assert event.doc_ids == ["tass-1", "reuters-1"]  # by publication date, then id
    assert event.doc_id == "tass-1"
    assert (event.source_name, event.source_published) == ("TASS", D(2025, 5, 17))
    assert (event.n_mentions, event.n_sources) == (2, 2)
    assert event.attribution == "Kremlin aide"
    assert event.evidence == [
        EventEvidence(doc_id="tass-1", start=0, end=25, text="Peskov: ready for talks."),
        EventEvidence(doc_id="reuters-1", start=10, end=40, text="Kremlin says it is open to talks."),
    ]
    assert {m.event_id for m in linked} == {event.event_id}
    assert [m.mention_id for m in linked] == sorted(m.mention_id for m in mentions)


def test_two_reports_from_one_outlet_count_as_one_source() -> None:
    events, _ = resolve_events([mention("a", REUTERS), mention("b", REUTERS_2)], DOCS)
    assert (events[0].n_mentions, events[0].n_sources) == (2, 1)


def test_different_triples_are_different_events() -> None:
    mentions = [
        mention("a", REUTERS),
        mention("b", REUTERS, action="0256"),
        mention("c", REUTERS, target=None),
        mention("d", REUTERS, actor="UKRGOV", target="RUSGOV"),
    ]
    events, _ = resolve_events(mentions, DOCS)
    assert len(events) == 4
    assert len({e.event_id for e in events}) == 4


def test_non_overlapping_dates_are_different_occasions() -> None:
    mentions = [mention("a", REUTERS, date=D(2025, 5, 16)), mention("b", TASS, date=D(2025, 3, 2))]
    events, linked = resolve_events(mentions, DOCS)
    assert sorted(e.event_date for e in events) == [D(2025, 3, 2), D(2025, 5, 16)]
    assert len({m.event_id for m in linked}) == 2


def test_overlap_is_chained_and_the_most_precise_date_wins() -> None:
    # a (day 12) -- b (week 12..18) -- c (day 18): one occasion through b.
    mentions = [
        mention("a", REUTERS, date=D(2025, 5, 12)),
        mention("b", REUTERS_2, date=D(2025, 5, 12), date_end=D(2025, 5, 18), precision="week", date_text="last week"),
        mention("c", REUTERS_2, date=D(2025, 5, 18)),
    ]
    events, _ = resolve_events(mentions, DOCS)
    assert len(events) == 1
    event = events[0]
    assert (event.event_date, event.event_date_end, event.date_precision) == (D(2025, 5, 12), D(2025, 5, 12), "day")
    assert event.event_id == event_id_for("RUSGOV", "036", "UKRGOV", D(2025, 5, 12), D(2025, 5, 12))


def test_no_chain_joins_a_report_to_an_occasion_after_its_publication() -> None:
    # TASS (published May 17) reports "in May"; Reuters-2 reports a day after May 17 and one before it.
    mentions = [
        mention("may", TASS, date=D(2025, 5, 1), date_end=D(2025, 5, 17), precision="month", date_text="in May"),
        mention("before", REUTERS_2, date=D(2025, 5, 10), date_text="on Saturday"),
        mention("after", REUTERS_2, date=D(2025, 5, 18), date_text="on Sunday"),
    ]
    events = sorted(resolve_events(mentions, DOCS)[0], key=lambda e: e.event_date)
    assert [(e.event_date, e.n_mentions) for e in events] == [(D(2025, 5, 10), 2), (D(2025, 5, 18), 1)]
    assert all(e.event_date_end <= e.source_published for e in events)


def test_an_interval_ends_by_the_first_report() -> None:
    mentions = [
        mention("early", TASS, date=D(2025, 5, 1), date_end=D(2025, 5, 17), precision="month", date_text="in May"),
        mention("late", REUTERS_2, date=D(2025, 5, 12), date_end=D(2025, 5, 19), precision="week", date_text="this week"),
    ]
    event = resolve_events(mentions, DOCS)[0][0]
    assert (event.event_date, event.event_date_end, event.date_text) == (D(2025, 5, 12), D(2025, 5, 17), "this week")
    assert event.source_published == D(2025, 5, 17)


def test_a_coarse_date_takes_the_finer_one_even_when_published_first() -> None:
    mentions = [
        mention("coarse", TASS, date=D(2025, 5, 1), date_end=D(2025, 5, 31), precision="month", date_text="in May"),
        mention("fine", REUTERS, date=D(2025, 5, 16), date_text="on Friday"),
    ]
    event = resolve_events(mentions, DOCS)[0][0]
    assert (event.event_date, event.date_precision, event.date_text) == (D(2025, 5, 16), "day", "on Friday")
    assert event.doc_id == "tass-1"


def test_conditions_are_a_sorted_union_without_duplicates() -> None:
    mentions = [
        mention("a", REUTERS, conditions=[("neutrality", "Ukraine stays out of NATO"), ("ceasefire_first", "a truce first")]),
        mention("b", TASS, conditions=[("ceasefire_first", "a truce first"), ("deadline", "from Monday")]),
    ]
    event = resolve_events(mentions, DOCS)[0][0]
    assert [(c.category, c.text) for c in event.conditions] == [
        ("ceasefire_first", "a truce first"),
        ("deadline", "from Monday"),
        ("neutrality", "Ukraine stays out of NATO"),
    ]


def test_confidence_is_the_highest() -> None:
    event = resolve_events([mention("a", REUTERS, confidence=0.4), mention("b", TASS, confidence=0.9)], DOCS)[0][0]
    assert event.confidence == 0.9


def test_ids_do_not_depend_on_input_order_or_unrelated_documents() -> None:
    mentions = [
        mention("a", REUTERS),
        mention("b", TASS, date=D(2025, 5, 12), date_end=D(2025, 5, 18), precision="week"),
        mention("c", REUTERS_2, action="0256", target=None, date=D(2025, 5, 19)),
        mention("d", TASS, actor="UKRGOV", target="RUSGOV", date=D(2025, 4, 1)),
    ]
    events, linked = resolve_events(mentions, DOCS)
    shuffled = mentions[:]
    random.Random(7).shuffle(shuffled)
    assert resolve_events(shuffled, list(reversed(DOCS))) == (events, linked)

    other = document("ap-1", "AP", D(2025, 1, 3))
    unrelated = mention("z", other, actor="USAGOV", target="IGOWSTNAT", action="051", date=D(2025, 1, 2))
    more_events, _ = resolve_events([*mentions, unrelated], [*DOCS, other])
    assert {e.event_id for e in events} < {e.event_id for e in more_events}


def test_output_is_sorted_by_id_and_mentions_are_copies() -> None:
    mentions = [mention(name, REUTERS, date=D(2025, 5, day)) for name, day in (("x", 1), ("y", 5), ("z", 9))]
    events, linked = resolve_events(mentions, DOCS)
    assert [e.event_id for e in events] == sorted(e.event_id for e in events)
    assert [m.mention_id for m in linked] == sorted(m.mention_id for m in linked)
    assert all(m.event_id is None for m in mentions)
    assert all(m.event_id is not None for m in linked)


def test_empty_input_gives_no_events() -> None:
    assert resolve_events([], DOCS) == ([], [])


def test_a_mention_of_an_unknown_document_is_an_error() -> None:
    stray = document("stray-1")
    with pytest.raises(ValueError, match="stray-1"):
        resolve_events([mention("a", stray)], DOCS)


def test_repeated_mention_ids_are_an_error() -> None:
    with pytest.raises(ValueError, match="unique"):
        resolve_events([mention("a", REUTERS), mention("a", TASS)], DOCS)
