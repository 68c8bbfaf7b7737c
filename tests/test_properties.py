"""Property-based tests (hypothesis): invariants that must hold for any input, not only the examples we thought of.

- cleaning: every kept character maps back to the same character of the raw text
  (whitespace to whitespace, NFC-composed characters to the raw characters they compose);
- segmentation: sentences are exact, stripped slices of the text, in order, without
  overlap, and together cover every non-space character;
- dates: every resolved cue has one of the codebook's five precisions and start <= end;
- models: any valid Document, EventMention and Event round-trips through Parquet, CSV
  and JSON unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import typing
import unicodedata
from typing import Any, Literal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from etl.clean import CleanText, clean
from etl.dates import find_dates
from etl.models import DatePrecision, Document, Event, EventMention
from etl.segment import segment
from etl.tables import ID_COLUMNS, read_csv, records_from_frame, to_csv_frame, to_frame

PRECISIONS = set(typing.get_args(DatePrecision))

# Characters that exercise the cleaner: every kind of line break and space, invisible
# format characters, combining marks (for NFC), pictographs, and plain text.
_TRICKY = list("\n\r\x0b\x0c\x1c\x85\u2028\u2029\t \u00a0\u3000\u200b\u00ad\ufeff\u0301\u0327\u0308\U0001f600\u2600") + [
    "e\u0301",
    "\r\n",
]
_FURNITURE = ["Leave a Comment", "Home | News", "Share this", "-----", "https://example.com/x", "Click here to read", "News"]
_WORDS = ["Putin", "said", "talks", "could", "resume.", "Kyiv", "refused", "U.S.", "Mr.", "Zürich", "«ready»", "—", "!", "?"]

raw_texts = st.lists(
    st.one_of(
        st.sampled_from(_TRICKY),
        st.sampled_from(_FURNITURE),
        st.sampled_from(_WORDS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
    ),
    max_size=60,
).map("".join)


def _pieces(cleaned: CleanText) -> list[tuple[str, int, int]]:
    """Runs of cleaned text that map to one raw offset, with that offset and the next run's (or the raw end)."""
    positions = [cleaned.to_raw(offset) for offset in range(len(cleaned.text))]
    runs: list[tuple[str, int, int]] = []
    start = 0
    for offset in range(1, len(positions) + 1):
        if offset == len(positions) or positions[offset] != positions[start]:
            following = positions[offset] if offset < len(positions) else cleaned.raw_length
            runs.append((cleaned.text[start:offset], positions[start], following))
            start = offset
    return runs


@given(raw_texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_kept_character_maps_back_to_the_same_character(raw: str) -> None:
    previous = -1
    for text, position, following in _pieces(clean(raw)):
        assert previous < position < following <= len(raw)
        previous = position
        if text.isspace():
            assert raw[position].isspace(), (text, raw[position])
        else:
            assert unicodedata.normalize("NFC", raw[position:following]).startswith(text), (text, raw[position:following])


@given(raw_texts)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_sentences_cover_the_text_in_order_without_overlap(raw: str) -> None:
    text = clean(raw).text
    sentences = segment(text)
    covered = [False] * len(text)
    end = 0
    for sentence in sentences:
        assert end <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end] == sentence.text.strip()
        assert "\n" not in sentence.text
        for index in range(sentence.start, sentence.end):
            covered[index] = True
        end = sentence.end
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


_CUES = [
    "on Tuesday", "last Friday", "yesterday", "today", "tomorrow", "last week", "next week", "this month",
    "last month", "in March", "on 12 May", "May 12, 2024", "2024-02-29", "12.05.2024", "two days ago",
    "three weeks ago", "a year ago", "this summer", "last winter", "in the spring of 2023", "in 2023", "last year",
    "next year", "over the weekend", "on February 30", "after March 3", "early this year", "the end of last month",
]
sentences_with_dates = st.lists(st.one_of(st.sampled_from(_CUES), st.sampled_from(_WORDS)), max_size=12).map(" ".join)
publication_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@given(st.one_of(sentences_with_dates, raw_texts), publication_dates)
@settings(max_examples=300, deadline=None)
def test_every_resolved_date_has_a_codebook_precision_and_starts_before_it_ends(text: str, published: dt.date) -> None:
    previous = -1
    for mention in find_dates(text, published):
        resolved = mention.resolved
        assert resolved.precision in PRECISIONS
        assert resolved.start <= resolved.end
        assert text[mention.start : mention.end] == resolved.text
        assert mention.start > previous
        previous = mention.start


# -- models: strategies read from the models' own field constraints ------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in ("ge", "le", "min_length", "pattern"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _strategy(annotation: Any, limits: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Any value a field with this annotation and these limits accepts."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, type(int | None)):
        (member,) = [a for a in args if a is not type(None)]
        return st.none() | _strategy(member, limits)
    if origin is Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(_strategy(args[0], {}), min_size=limits.get("min_length", 0), max_size=3)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation)
    if annotation is str:
        return st.from_regex(limits["pattern"], fullmatch=True) if "pattern" in limits else _TEXT
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(min_value=limits.get("ge", -(2**31)), max_value=limits.get("le", 2**31))
    if annotation is float:
        return st.floats(min_value=limits.get("ge"), max_value=limits.get("le"), allow_nan=False, allow_infinity=False)
    if annotation is dt.date:
        return st.dates()
    raise TypeError(f"no strategy for {annotation!r}")


def _model(model: type[BaseModel]) -> st.SearchStrategy[BaseModel]:
    fields = {name: _strategy(f.annotation, _constraints(f.metadata)) for name, f in model.model_fields.items()}
    return st.fixed_dictionaries(fields).map(lambda values: model.model_validate(values))


TABLE_MODELS = {"documents": Document, "mentions": EventMention, "events": Event}


def _table_records(table: str) -> st.SearchStrategy[tuple[str, list[BaseModel]]]:
    id_column = ID_COLUMNS[table]
    records = st.lists(_model(TABLE_MODELS[table]), min_size=1, max_size=3, unique_by=lambda r: getattr(r, id_column))
    return st.tuples(st.just(table), records.map(lambda rs: sorted(rs, key=lambda r: getattr(r, id_column))))


def _read_back(frame: pl.DataFrame, table: str) -> dict[str, pl.DataFrame]:
    parquet, csv = io.BytesIO(), io.BytesIO()
    frame.write_parquet(parquet)
    to_csv_frame(frame).write_csv(csv)
    parquet.seek(0)
    csv.seek(0)
    return {"parquet": pl.read_parquet(parquet), "csv": read_csv(csv, table)}


@given(st.sampled_from(sorted(TABLE_MODELS)).flatmap(_table_records))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_record_round_trips_through_parquet_csv_and_json(table_and_records: tuple[str, list[BaseModel]]) -> None:
    table, records = table_and_records
    model = TABLE_MODELS[table]
    for form, frame in _read_back(to_frame(table, records), table).items():
        assert [model.model_validate(row) for row in records_from_frame(frame, table)] == records, form
    for record in records:
        assert model.model_validate_json(record.model_dump_json()) == record
