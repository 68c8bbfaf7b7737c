"""The date resolver against codebook section 6, on sentences written for these tests.

Most cases use one publication date, Wednesday 22 May 2024, so the expected intervals
can be checked by hand against a calendar; the edge cases move it.
"""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.dates import (
    ResolvedDate,
    fallback_date,
    find_dates,
    is_dateline,
    is_term,
    lead_date,
    stated_publication_date,
)
from etl.models import DatePrecision

WEDNESDAY = dt.date(2024, 5, 22)
MONDAY = dt.date(2024, 5, 20)
D = dt.date.fromisoformat


def only(sentence: str, published: dt.date = WEDNESDAY) -> ResolvedDate:
    """The single cue of a sentence, checked to be the words at its offsets."""
    mentions = find_dates(sentence, published)
    assert len(mentions) == 1, [m.resolved.text for m in mentions]
    mention = mentions[0]
    assert sentence[mention.start : mention.end] == mention.resolved.text
    return mention.resolved


def interval(sentence: str, published: dt.date = WEDNESDAY) -> tuple[str, str, str]:
    resolved = only(sentence, published)
    return resolved.start.isoformat(), resolved.end.isoformat(), resolved.precision


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("The envoy flew to Doha on Tuesday, December 19, 2023 for a first round.", "2023-12-19"),
        ("Both delegations signed the protocol May 3, 2024 in Vienna.", "2024-05-03"),
        ("Both delegations signed the protocol on 3 May 2024 in Vienna.", "2024-05-03"),
        ("The ministry's note carries the date 2024-05-03 at the top.", "2024-05-03"),
        ("He repeated the offer on the 3rd of May, 2024, without conditions.", "2024-05-03"),
        ("The cabinet approved the plan on Dec. 19, 2023 after a long session.", "2023-12-19"),
        ("The parties met again December 19th, 2023 in Geneva.", "2023-12-19"),
    ],
)
def test_explicit_date_with_year_is_that_day(sentence: str, day: str) -> None:
    assert interval(sentence) == (day, day, "day")


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("The foreign minister spoke by phone with his counterpart on February 24th.", "2024-02-24"),
        ("A draft was circulated to the allies on December 19.", "2023-12-19"),
        ("The summit host wrote to the delegations on Tuesday, December 19.", "2023-12-19"),
        ("The president announced the proposal December 19th.", "2023-12-19"),
        ("A spokesman confirmed the meeting on May 22.", "2024-05-22"),
        ("A spokesman confirmed the meeting on May 23.", "2023-05-23"),
        ("The mediators arrived on 1 January.", "2024-01-01"),
    ],
)
def test_day_and_month_without_year_is_latest_on_or_before_publication(sentence: str, day: str) -> None:
    assert interval(sentence) == (day, day, "day")


def test_stated_weekday_picks_the_following_year_when_only_it_fits() -> None:
    sunday = dt.date(2025, 5, 11)
    assert interval("He proposed a truce starting from Monday, May 12.", sunday) == ("2025-05-12", "2025-05-12", "day")
    assert interval("He proposed a truce starting on May 12.", sunday) == ("2024-05-12", "2024-05-12", "day")


@pytest.mark.parametrize(
    ("sentence", "published", "day"),
    [
        ("The defence minister said on Sunday that the offer stood.", WEDNESDAY, "2024-05-19"),
        ("The defence minister said on Sunday evening that the offer stood.", WEDNESDAY, "2024-05-19"),
        ("The chancellor said Monday that talks could resume.", WEDNESDAY, "2024-05-20"),
        ("The chancellor said on Wednesday that talks could resume.", WEDNESDAY, "2024-05-22"),
        ("The chancellor said on Thursday that talks could resume.", WEDNESDAY, "2024-05-16"),
        ("Negotiators walked out last Friday.", WEDNESDAY, "2024-05-17"),
        ("Negotiators walked out last Wednesday.", WEDNESDAY, "2024-05-15"),
        ("The envoy returns to the capital on Monday.", MONDAY, "2024-05-20"),
        ("The envoy left the capital last Monday.", MONDAY, "2024-05-13"),
        ("The two leaders will meet next Friday.", WEDNESDAY, "2024-05-24"),
        ("A ceasefire applies from Monday.", WEDNESDAY, "2024-05-27"),
    ],
)
def test_weekday_counts_from_publication(sentence: str, published: dt.date, day: str) -> None:
    assert interval(sentence, published) == (day, day, "day")


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("The opposition leader rejected the plan yesterday.", "2024-05-21"),
        ("The opposition leader rejected the plan yesterday afternoon.", "2024-05-21"),
        ("The opposition leader rejected the plan the day before yesterday.", "2024-05-20"),
        ("The envoy is expected in the capital today.", "2024-05-22"),
        ("The president addresses parliament tonight.", "2024-05-22"),
        ("The government confirmed the exchange this morning.", "2024-05-22"),
        ("The government confirmed the exchange last night.", "2024-05-21"),
        ("The delegations will meet tomorrow.", "2024-05-23"),
    ],
)
def test_relative_day(sentence: str, day: str) -> None:
    assert interval(sentence) == (day, day, "day")


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The ministers spoke last week about a prisoner exchange.", WEDNESDAY, ("2024-05-13", "2024-05-19", "week")),
        ("The ministers spoke this week about a prisoner exchange.", WEDNESDAY, ("2024-05-20", "2024-05-22", "week")),
        ("The ministers spoke earlier this week.", WEDNESDAY, ("2024-05-20", "2024-05-22", "week")),
        ("The ministers will speak later this week.", WEDNESDAY, ("2024-05-22", "2024-05-26", "week")),
        ("The ministers will speak next week.", WEDNESDAY, ("2024-05-27", "2024-06-02", "week")),
        ("The ministers spoke this week about a prisoner exchange.", MONDAY, ("2024-05-20", "2024-05-20", "week")),
        ("The ministers spoke last week about a prisoner exchange.", MONDAY, ("2024-05-13", "2024-05-19", "week")),
        ("The leaders talked by phone over the weekend.", WEDNESDAY, ("2024-05-18", "2024-05-19", "week")),
    ],
)
def test_week(sentence: str, published: dt.date, expected: tuple[str, str, str]) -> None:
    assert interval(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The parliament ratified the accord last month.", ("2024-04-01", "2024-04-30", "month")),
        ("The parliament ratified the accord this month.", ("2024-05-01", "2024-05-22", "month")),
        ("The parliament ratified the accord earlier this month.", ("2024-05-01", "2024-05-22", "month")),
        ("The parliament will vote later this month.", ("2024-05-22", "2024-05-31", "month")),
        ("The parliament will vote next month.", ("2024-06-01", "2024-06-30", "month")),
        ("The first contacts took place in March.", ("2024-03-01", "2024-03-31", "month")),
        ("The first contacts took place at the beginning of March.", ("2024-03-01", "2024-03-31", "month")),
        ("The first contacts took place in early March.", ("2024-03-01", "2024-03-31", "month")),
        ("The first contacts took place in late March.", ("2024-03-01", "2024-03-31", "month")),
        ("The first contacts took place in mid-March.", ("2024-03-01", "2024-03-31", "month")),
        ("The first contacts took place in June.", ("2023-06-01", "2023-06-30", "month")),
        ("The first contacts took place in May.", ("2024-05-01", "2024-05-22", "month")),
        ("The first contacts took place in March 2023.", ("2023-03-01", "2023-03-31", "month")),
        ("The March 2024 round ended without a text.", ("2024-03-01", "2024-03-31", "month")),
        ("Contacts have been frozen since September 2023.", ("2023-09-01", "2023-09-30", "month")),
        ("Contacts have been frozen since March.", ("2024-03-01", "2024-03-31", "month")),
        ("The same demand was made last May.", ("2023-05-01", "2023-05-31", "month")),
        ("A new round is planned for next March.", ("2025-03-01", "2025-03-31", "month")),
    ],
)
def test_month(sentence: str, expected: tuple[str, str, str]) -> None:
    assert interval(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministers met this month.", ("2024-03-01", "2024-03-01", "month")),
        ("The ministers met last month.", ("2024-02-01", "2024-02-29", "month")),
        ("The ministers met in March.", ("2024-03-01", "2024-03-01", "month")),
        ("The ministers met last week.", ("2024-02-19", "2024-02-25", "week")),
        ("The ministers met yesterday.", ("2024-02-29", "2024-02-29", "day")),
    ],
)
def test_publication_on_the_first_of_a_month(sentence: str, expected: tuple[str, str, str]) -> None:
    assert interval(sentence, dt.date(2024, 3, 1)) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The generals were told in the fall of 2022 to hold the line.", WEDNESDAY, ("2022-09-01", "2022-11-30", "season")),
        ("The generals were told in autumn 2022 to hold the line.", WEDNESDAY, ("2022-09-01", "2022-11-30", "season")),
        ("The offer was first floated during the summer of 2023.", WEDNESDAY, ("2023-06-01", "2023-08-31", "season")),
        ("A new offensive is expected this fall.", WEDNESDAY, ("2024-09-01", "2024-11-30", "season")),
        ("The talks collapsed last summer.", WEDNESDAY, ("2023-06-01", "2023-08-31", "season")),
        ("The talks resumed this spring.", WEDNESDAY, ("2024-03-01", "2024-05-22", "season")),
        ("The front froze in the winter of 2022.", WEDNESDAY, ("2021-12-01", "2022-02-28", "season")),
        ("The front froze in the winter of 2023-24.", WEDNESDAY, ("2023-12-01", "2024-02-29", "season")),
        ("The front froze this winter.", dt.date(2024, 12, 10), ("2024-12-01", "2024-12-10", "season")),
        ("The front froze this winter.", dt.date(2025, 1, 15), ("2024-12-01", "2025-01-15", "season")),
        ("The front froze last winter.", dt.date(2025, 1, 15), ("2023-12-01", "2024-02-29", "season")),
        ("The envoys first met in the spring.", dt.date(2024, 2, 10), ("2023-03-01", "2023-05-31", "season")),
    ],
)
def test_season(sentence: str, published: dt.date, expected: tuple[str, str, str]) -> None:
    assert interval(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The treaty was first proposed in 2022.", ("2022-01-01", "2022-12-31", "year")),
        ("The border has been closed since 2014.", ("2014-01-01", "2014-12-31", "year")),
        ("The two sides exchanged drafts in mid-2023.", ("2023-01-01", "2023-12-31", "year")),
        ("The two sides exchanged drafts in 2024.", ("2024-01-01", "2024-05-22", "year")),
        ("The two sides exchanged drafts earlier this year.", ("2024-01-01", "2024-05-22", "year")),
        ("The two sides exchanged drafts last year.", ("2023-01-01", "2023-12-31", "year")),
        ("The two sides will exchange drafts later this year.", ("2024-05-22", "2024-12-31", "year")),
        ("The blockade lasted in 2022-23 along the coast.", ("2022-01-01", "2023-12-31", "year")),
    ],
)
def test_year(sentence: str, expected: tuple[str, str, str]) -> None:
    assert interval(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("He said the same thing a year ago.", WEDNESDAY, ("2023-05-01", "2023-05-31", "month")),
        ("He said the same thing two years ago.", WEDNESDAY, ("2022-05-01", "2022-05-31", "month")),
        ("He said the same thing a year ago.", dt.date(2024, 2, 29), ("2023-02-01", "2023-02-28", "month")),
        ("He said the same thing a month ago.", WEDNESDAY, ("2024-04-01", "2024-04-30", "month")),
        ("He said the same thing three months ago.", WEDNESDAY, ("2024-02-01", "2024-02-29", "month")),
        ("He said the same thing a week ago.", WEDNESDAY, ("2024-05-12", "2024-05-18", "week")),
        ("He said the same thing two weeks ago.", WEDNESDAY, ("2024-05-05", "2024-05-11", "week")),
        ("He said the same thing two days ago.", WEDNESDAY, ("2024-05-20", "2024-05-20", "day")),
        ("He said the same thing a few days ago.", WEDNESDAY, ("2024-05-15", "2024-05-21", "week")),
        ("He said the same thing days ago.", WEDNESDAY, ("2024-05-15", "2024-05-21", "week")),
        ("He said the same thing a few weeks ago.", WEDNESDAY, ("2024-04-24", "2024-05-15", "month")),
        ("He said the same thing a few months ago.", WEDNESDAY, ("2024-01-22", "2024-03-22", "season")),
        ("He said the same thing several months ago.", WEDNESDAY, ("2024-01-22", "2024-03-22", "season")),
        ("He said the same thing months ago.", WEDNESDAY, ("2024-01-22", "2024-03-22", "season")),
    ],
)
def test_time_ago(sentence: str, published: dt.date, expected: tuple[str, str, str]) -> None:
    assert interval(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The summit was held on May 16-17 in a lakeside town.", ("2024-05-16", "2024-05-17", "week")),
        ("The summit was held 16-17 May 2023 in a lakeside town.", ("2023-05-16", "2023-05-17", "week")),
        ("The summit ran from May 16 to May 18.", ("2024-05-16", "2024-05-18", "week")),
        ("The summit runs from May 20 to May 24.", ("2024-05-20", "2024-05-24", "week")),
        ("Delegations met between 10 and 20 April.", ("2024-04-10", "2024-04-20", "month")),
        ("Delegations met from December 30 to January 2.", ("2023-12-30", "2024-01-02", "week")),
        ("The exercise lasted May 1-7.", ("2024-05-01", "2024-05-07", "week")),
        ("The exercise lasted May 1-8.", ("2024-05-01", "2024-05-08", "month")),
    ],
)
def test_explicit_span(sentence: str, expected: tuple[str, str, str]) -> None:
    assert interval(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister spoke after the vote in parliament.",
        "The offer came following a long silence.",
        "The ministry acted in response to the strikes.",
        "As he had said earlier, there would be no concessions.",
        "The president recently hinted at a compromise.",
        "Such offers were made in the past and withdrawn.",
        "Nothing will change before the election.",
        "The city has been shelled since the beginning of the war.",
        "More than 2,024 soldiers were exchanged.",
        "The statement was posted at 4:03 p.m.",
        "The rebels invoked the Minsk-2 framework.",
        "The G20 statement avoided the subject.",
        "Grain exports returned to the level of 1997.",
        "The minister spoke after Sunday's talks.",
        "The minister spoke following the February 24 invasion anniversary.",
        "Nothing moved before March 2024.",
        "The truce did not hold over Good Friday.",
        "They may meet again if the guns fall silent.",
        "Thousands march through the capital.",
        "He recalled the fall of the city.",
        "The reforms of the 1990s were reversed.",
        "Her visit in the last week of the campaign drew crowds.",
        "The Prague Spring was crushed by tanks.",
        "The agreement was concluded many years ago.",
        "He left an hour ago.",
    ],
)
def test_no_cue(sentence: str) -> None:
    assert find_dates(sentence, WEDNESDAY) == []


@pytest.mark.parametrize(
    ("sentence", "published", "day"),
    [
        ("The decree was signed on February 29.", dt.date(2025, 3, 10), "2024-02-29"),
        ("The decree was signed on February 29.", dt.date(2024, 2, 29), "2024-02-29"),
        ("The decree was signed on February 29.", dt.date(2024, 2, 28), "2020-02-29"),
        ("The decree was signed on February 29, 2024.", WEDNESDAY, "2024-02-29"),
    ],
)
def test_leap_day(sentence: str, published: dt.date, day: str) -> None:
    assert interval(sentence, published) == (day, day, "day")


@pytest.mark.parametrize("sentence", ["It was signed on February 29, 2023.", "It was signed on February 30."])
def test_impossible_day_is_no_cue(sentence: str) -> None:
    assert find_dates(sentence, WEDNESDAY) == []


def test_all_cues_in_text_order_with_their_offsets() -> None:
    sentence = "After a call on Sunday, the envoys agreed to meet next week in Geneva."
    mentions = find_dates(sentence, WEDNESDAY)
    assert [m.resolved.text for m in mentions] == ["on Sunday", "next week"]
    assert [sentence[m.start : m.end] for m in mentions] == ["on Sunday", "next week"]
    assert mentions[0].resolved.start == dt.date(2024, 5, 19)


def test_longest_overlapping_cue_wins() -> None:
    resolved = only("The envoy said on Tuesday, December 19 that the door was open.")
    assert resolved.text == "on Tuesday, December 19"
    assert resolved.start == dt.date(2023, 12, 19)


def test_fallback_is_the_week_before_publication() -> None:
    assert fallback_date(WEDNESDAY) == ResolvedDate(D("2024-05-15"), WEDNESDAY, "week", "publication")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2025-05-11 Kremlin signals readiness for talks\nBody text follows.", "2025-05-11"),
        ("Talks resume in Istanbul\nPublished: 12 March 2024\nThe body.", "2024-03-12"),
        ("Posted on Saturday, 25 May 2024\nHeadline", "2024-05-25"),
        ("Headline about the summit\nBy Jane Roe | Mar. 3, 2023\nText.", "2023-03-03"),
        ("12.03.2024 14:05\nHeadline", "2024-03-12"),
        ("June 30, 2024 | 9:15\nA headline\nAna Ruiz\nApril 2, 2024 | 11:20 a.m.\nText.", "2024-04-02"),
        ("Published: May 25, 2024\nUpdated: May 27, 2024\nText.", "2024-05-25"),
        ("\n\nA headline\n\n\nPublished 2024-01-08\n", "2024-01-08"),
    ],
)
def test_stated_publication_date(text: str, expected: str) -> None:
    assert stated_publication_date(text) == D(expected)


@pytest.mark.parametrize(
    "text",
    [
        "February 24, 2022: the day the war began\nText.",
        "A headline\nOfficials said on May 3, 2024 that talks would resume.\nMore.",
        "One\nTwo\nThree\nFour\nFive\nPublished: 12 March 2024\n",
        "A headline without dates\nA body without dates either.",
        "Published: 4:03 p.m.\nText.",
    ],
)
def test_no_stated_publication_date(text: str) -> None:
    assert stated_publication_date(text) is None


CUE_TEMPLATES = [
    "The talks began {cue}, officials said.",
    "{cue} the envoy presented a plan.",
]
CUES = [
    "on Tuesday, December 19, 2023", "December 19th", "on February 29", "on Sunday evening", "last Friday",
    "next Monday", "yesterday", "the day before yesterday", "tomorrow", "last week", "this week", "next week",
    "later this week", "last month", "earlier this month", "later this month", "in March", "in early June",
    "since September 2023", "last March", "this fall", "last summer", "this winter", "in the spring",
    "in the winter of 2023-24", "in 2022", "earlier this year", "a year ago", "two weeks ago", "a few days ago",
    "a few months ago", "a few weeks ago", "May 16-17", "from December 30 to January 2", "over the weekend",
    "this weekend", "last weekend",
]


@given(
    published=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
    cue=st.sampled_from(CUES),
    template=st.sampled_from(CUE_TEMPLATES),
)
def test_every_resolution_is_a_valid_interval(published: dt.date, cue: str, template: str) -> None:
    sentence = template.format(cue=cue)
    mentions = find_dates(sentence, published)
    assert mentions, sentence
    for mention in mentions:
        assert mention.resolved.precision in get_args(DatePrecision)
        assert mention.resolved.start <= mention.resolved.end
        assert sentence[mention.start : mention.end] == mention.resolved.text


@pytest.mark.parametrize(
    ("sentence", "dateline"),
    [
        ("Updated May 21, 2024 at 17:20 PM ET", True),
        ("date 2024-05-21 The talks resumed in Geneva.", True),
        ("21st May 2024", True),
        ("On May 21, 2024, the envoy met the minister.", False),
        ("The minister spoke on Tuesday.", False),
    ],
)
def test_dateline_cue(sentence: str, dateline: bool) -> None:
    mentions = find_dates(sentence, WEDNESDAY)
    assert is_dateline(sentence, mentions[0]) is dateline


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("The envoy proposed a truce from Monday.", True),
        ("They want a meeting by the end of this month.", True),
        ("The ceasefire should begin earlier, on Monday, May 20.", True),
        ("A truce to take effect on Monday was agreed.", True),
        ("The president has signalled openness since March 2023.", True),
        ("The envoy said on Monday that talks would resume.", False),
        ("The delegations started talks on Monday.", False),
    ],
)
def test_term_cue(sentence: str, term: bool) -> None:
    mentions = find_dates(sentence, WEDNESDAY)
    assert is_term(sentence, mentions[0]) is term


def test_lead_date_is_the_first_cue_of_the_week_before_publication() -> None:
    opening = [
        "Updated May 22, 2024 at 09:00",
        "The war began in February 2022.",
        "The envoy arrived in Geneva on Monday for two days of talks.",
        "He met the minister yesterday.",
    ]
    index, resolved = lead_date(opening, WEDNESDAY)
    assert (index, resolved.start, resolved.end, resolved.precision) == (2, MONDAY, MONDAY, "day")
    assert lead_date(["The war began in February 2022.", "A truce from Friday was proposed."], WEDNESDAY) is None
