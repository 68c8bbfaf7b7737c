"""Event dates from the date words of a sentence, read against the publication date.

Codebook section 6 asks for an interval and the precision it was reached at, not a
single guessed day, and forbids outside knowledge: every cue is resolved from its own
words and the publication date alone. Words that only tie an event to another one
("after Sunday's talks", "before March 2024") date that other event, so they are read
but never returned. The resolver runs on every sentence of every document, so the
patterns are compiled once and each runs only when cheap substring tests have found
the kind of word it needs.

Choices the codebook leaves open:
- "winter of YYYY" is the winter that ends in YYYY (Dec YYYY-1 .. end of Feb YYYY);
  "winter of 2022-23" names both years. "this <season>" is the occurrence that contains
  the publication date, else the one labelled with the publication year; "last" and
  "next" are one year either side of it.
- "last Friday" is strictly before publication; a bare or "on" weekday may be the
  publication day itself; "next Friday", "from Friday" look forward.
- "N weeks ago" is the week centred on publication minus N weeks (centre +/- 3 days).
- "last night" is the day before publication, as in a morning paper.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from etl.models import DatePrecision


@dataclass(frozen=True)
class ResolvedDate:
    """The interval an event falls in (event_date .. event_date_end), its precision, and
    the words it came from ("publication" for the fallback)."""

    start: dt.date
    end: dt.date
    precision: DatePrecision
    text: str


@dataclass(frozen=True)
class DateMention:
    """A date cue found in a sentence: its character offsets there and what it resolved to."""

    start: int
    end: int
    resolved: ResolvedDate


_Interval = tuple[dt.date, dt.date, DatePrecision]
_Resolver = Callable[[re.Match[str], dt.date], _Interval | None]

_MONTHS: dict[str, int] = {
    name.lower(): number for number, name in enumerate(calendar.month_name) if name
} | {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_FULL_MONTHS = [name.lower() for name in calendar.month_name if name]
_WEEKDAYS: dict[str, int] = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_WEEKDAY_INDEX: dict[str, int] = {name[:3]: number for name, number in _WEEKDAYS.items()}
_WEEKDAY_ABBREVIATIONS = ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]
_RD_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)
_NUMBERS: dict[str, int] = {
    word: number
    for number, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
} | {"a": 1, "an": 1}
_SEASON_START: dict[str, int] = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}


def _capitalised(names: list[str]) -> str:
    """Names as written in running text ("March", "MARCH"), so "march" and "may" the verbs stay out."""
    ordered = sorted(names, key=len, reverse=True)
    return "(?-i:" + "|".join(f"{n.capitalize()}|{n.upper()}" for n in ordered) + ")"


_MON = _capitalised(list(_MONTHS)) + r"(?![\w])"
_MONTH_FULL = _capitalised(_FULL_MONTHS) + r"(?![\w])"
_WD = _capitalised(list(_WEEKDAYS)) + r"(?![\w])"
_WD_ANY = _capitalised(list(_WEEKDAYS) + _WEEKDAY_ABBREVIATIONS) + r"(?![\w])\.?"
_SEASON = r"(?:spring|summer|fall|autumn|winter)\b"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?<![\w,.])(?:19|20)\d\d(?!\d|[,.]\d|s\b)"
_PREP = r"(?:on|in|at|since|from|until|till|by|through|throughout|during|over)"
_MOD = r"(?:early|late|mid|(?:beginning|start|end|middle|first\s+half|second\s+half)\s+of)"
_TO = r"(?:[-–—]|to\b|until\b|till\b|through\b|and\b)"
_NUMBER = r"(?:" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r"|\d{1,2})"
_VAGUE = r"(?:a\s+few|a\s+couple(?:\s+of)?|several|some|few|many)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_ANCHORED = re.compile(
    r"\b(?:after|following|before|ahead\s+of|prior\s+to|in\s+response\s+to|in\s+the\s+wake\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _capped(start: dt.date, end: dt.date, published: dt.date) -> tuple[dt.date, dt.date]:
    """A named period still running at publication can only have held the event up to that day."""
    return start, (published if start <= published < end else end)


def _latest_day(month: int, day: int, published: dt.date) -> dt.date | None:
    """The latest month/day on or before publication; eight years back always reaches a 29 February."""
    for year in range(published.year, published.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _group(m: re.Match[str], name: str) -> str | None:
    """An optional group that only some of the patterns sharing a resolver define."""
    return m.groupdict().get(name)


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_number(token: str) -> int:
    """19 from "19", "19th" or "19TH"."""
    return int(token.rstrip("stndrhSTNDRH"))


def _full_year(year: str, following: str | None) -> int | None:
    """The second year of "2022-23" or "2022/2023", when it follows the first."""
    if following is None:
        return int(year)
    second = int(following) if len(following) == 4 else int(year) // 100 * 100 + int(following)
    return second if second > int(year) else None


def _span_precision(start: dt.date, end: dt.date) -> DatePrecision:
    return "week" if (end - start).days < 7 else "month"


def _explicit_day(m: re.Match[str], published: dt.date) -> _Interval | None:
    """A yearless day is the latest on or before publication, unless its stated weekday
    only fits the next one ("a truce from Monday, May 12" in a paper of Sunday, May 11)."""
    month, day = _MONTHS[m["mon"].lower()], _day_number(m["day"])
    if m["year"]:
        date = _make_date(int(m["year"]), month, day)
    else:
        date = _latest_day(month, day, published)
        if date and m["wd"] and date.weekday() != _WEEKDAY_INDEX[m["wd"][:3].lower()]:
            following = _make_date(date.year + 1, month, day)
            if following and following.weekday() == _WEEKDAY_INDEX[m["wd"][:3].lower()]:
                date = following
    return (date, date, "day") if date else None


def _iso_day(m: re.Match[str], published: dt.date) -> _Interval | None:
    date = _make_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return (date, date, "day") if date else None


def _day_span(m: re.Match[str], published: dt.date) -> _Interval | None:
    end_month = _MONTHS[m["mon2"].lower()] if m["mon2"] else _MONTHS[m["mon1"].lower()]
    start_month = _MONTHS[m["mon1"].lower()] if m["mon1"] else end_month
    first, last = _day_number(m["day1"]), _day_number(m["day2"])
    wraps = (end_month, last) < (start_month, first)
    if m["year"]:
        year = int(m["year"])
        start = _make_date(year - 1 if wraps else year, start_month, first)
        end = _make_date(year, end_month, last)
    else:
        start = _latest_day(start_month, first, published)
        end = _make_date(start.year + 1 if wraps else start.year, end_month, last) if start else None
    if start is None or end is None:
        return None
    return start, end, _span_precision(start, end)


def _weekday(m: re.Match[str], published: dt.date) -> _Interval:
    target = _RD_WEEKDAYS[_WEEKDAYS[m["wd"].lower()]]
    relation = " ".join((m["rel"] or "").lower().split())
    if relation in {"last", "past", "this past"}:
        date = published - relativedelta(days=1, weekday=target(-1))
    elif relation in {"next", "coming", "this coming"}:
        date = published + relativedelta(days=1, weekday=target(+1))
    elif relation in {"from", "starting"}:
        date = published + relativedelta(weekday=target(+1))
    else:
        date = published + relativedelta(weekday=target(-1))
    return date, date, "day"


_RELATIVE_DAYS: dict[str, int] = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "last night": -1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "tomorrow": 1,
    "the day after tomorrow": 2,
}


def _relative_day(m: re.Match[str], published: dt.date) -> _Interval:
    date = published + dt.timedelta(days=_RELATIVE_DAYS[" ".join(m["word"].lower().split())])
    return date, date, "day"


def _relative_period(m: re.Match[str], published: dt.date) -> _Interval:
    unit, relation, later = m["unit"].lower(), m["rel"].lower(), (m["mod"] or "").lower() == "later"
    step = {"last": -1, "this": 0, "next": 1, "coming": 1}[relation]
    if unit == "week":
        monday = published + relativedelta(weekday=MO(-1)) + relativedelta(weeks=step)
        start, end = monday, monday + dt.timedelta(days=6)
    elif unit == "month":
        first = published.replace(day=1) + relativedelta(months=step)
        start, end = _month_span(first.year, first.month)
    else:
        start, end = dt.date(published.year + step, 1, 1), dt.date(published.year + step, 12, 31)
    if step == 0:
        start, end = (published, end) if later else (start, published)
    precision: DatePrecision = "week" if unit == "week" else "month" if unit == "month" else "year"
    return start, end, precision


def _weekend(m: re.Match[str], published: dt.date) -> _Interval:
    relation = " ".join(m["rel"].lower().split())
    on_weekend = published.weekday() >= 5
    saturday = published + relativedelta(weekday=SA(-1))
    if relation in {"next", "coming", "this coming"} or (relation == "this" and not on_weekend):
        saturday = published + relativedelta(days=1, weekday=SA(+1))
    elif relation == "last" and on_weekend:
        saturday -= dt.timedelta(days=7)
    start, end = _capped(saturday, saturday + dt.timedelta(days=1), published)
    return start, end, "week"


def _ago(m: re.Match[str], published: dt.date) -> _Interval | None:
    unit = m["unit"].lower()
    if m["n"] is None:
        if unit == "day":
            return published - dt.timedelta(days=7), published - dt.timedelta(days=1), "week"
        if unit == "week":
            return published - dt.timedelta(days=28), published - dt.timedelta(days=7), "month"
        if unit == "month":
            return published - relativedelta(months=4), published - relativedelta(months=2), "season"
        return None
    count = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    if unit == "day":
        date = published - dt.timedelta(days=count)
        return date, date, "day"
    if unit == "week":
        centre = published - dt.timedelta(weeks=count)
        return centre - dt.timedelta(days=3), centre + dt.timedelta(days=3), "week"
    then = published - (relativedelta(months=count) if unit == "month" else relativedelta(years=count))
    start, end = _month_span(then.year, then.month)
    return start, end, "month"


def _named_month(m: re.Match[str], published: dt.date) -> _Interval:
    month = _MONTHS[m["mon"].lower()]
    relation = (_group(m, "rel") or "").lower()
    if year_text := _group(m, "year"):
        year = int(year_text)
    elif relation == "this":
        year = published.year
    elif relation == "last":
        year = published.year if month < published.month else published.year - 1
    elif relation == "next":
        year = published.year if month > published.month else published.year + 1
    else:
        year = published.year if month <= published.month else published.year - 1
    start, end = _capped(*_month_span(year, month), published)
    return start, end, "month"


def _season_span(season: str, label_year: int) -> tuple[dt.date, dt.date]:
    """Winter carries the label of the year it ends in (Dec 2022 - Feb 2023 is winter 2023)."""
    start_month = _SEASON_START[season]
    start = dt.date(label_year - 1 if start_month == 12 else label_year, start_month, 1)
    return start, start + relativedelta(months=3, days=-1)


def _season(m: re.Match[str], published: dt.date) -> _Interval | None:
    season = m["season"].lower()
    relation = " ".join((_group(m, "rel") or "").lower().split())
    current = published.year + 1 if season == "winter" and published.month == 12 else published.year
    if year_text := _group(m, "year"):
        second = _group(m, "year2")
        label = _full_year(year_text, second)
        if label is None or (second and (season != "winter" or label != int(year_text) + 1)):
            return None
    elif relation == "this":
        label = current
    elif relation == "last":
        label = current - 1
    elif relation in {"next", "coming"}:
        label = current + 1
    elif relation == "this coming":
        label = current if _season_span(season, current)[0] > published else current + 1
    else:
        label = current if _season_span(season, current)[0] <= published else current - 1
    start, end = _capped(*_season_span(season, label), published)
    return start, end, "season"


def _named_year(m: re.Match[str], published: dt.date) -> _Interval | None:
    last = _full_year(m["year"], m["year2"])
    if last is None:
        return None
    start, end = _capped(dt.date(int(m["year"]), 1, 1), dt.date(last, 12, 31), published)
    return start, end, "year"


_EXPLICIT_WEEKDAY = rf"(?:(?P<wd>{_WD_ANY}),?\s+)?"
_CASED_GATES: dict[str, re.Pattern[str]] = {
    "month": re.compile("|".join(f(name[:3]) for name in _FULL_MONTHS for f in (str.capitalize, str.upper))),
    "full_month": re.compile("|".join(f(name) for name in _FULL_MONTHS for f in (str.capitalize, str.upper))),
    "weekday": re.compile("|".join(f(name) for name in _WEEKDAYS for f in (str.capitalize, str.upper))),
    "digit": re.compile(r"\d"),
    "year": re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)"),
}
_LOWERCASE_GATES: dict[str, tuple[str, ...]] = {
    "relative_day": ("yesterday", "today", "tonight", "tomorrow", "night", "morning", "afternoon", "evening"),
    "period": ("week", "month", "year"),
    "weekend": ("weekend",),
    "ago": ("ago",),
    "season": tuple(_SEASON_START),
}


def _gates(text: str) -> set[str]:
    """The kinds of date word a sentence holds, found with cheap tests before any cue pattern runs.

    Most sentences hold no date, and these tests cost far less than the patterns. Month
    and weekday names are looked for as written, since the patterns only take them
    capitalised; the other words in the lowercased sentence.
    """
    lowered = text.lower()
    found = {name for name, pattern in _CASED_GATES.items() if pattern.search(text)}
    found.update(name for name, words in _LOWERCASE_GATES.items() if any(word in lowered for word in words))
    return found


@dataclass(frozen=True)
class _Rule:
    """A cue pattern, its resolver, and the gates (see _gates) it cannot match without."""

    pattern: re.Pattern[str]
    resolve: _Resolver
    needs: frozenset[str]


_RULES: tuple[_Rule, ...] = (
    _Rule(
        _compile(
            rf"\b(?:{_PREP}\s+)?{_EXPLICIT_WEEKDAY}(?:the\s+)?(?P<mon>{_MON})\.?\s+(?P<day>{_DAY})"
            rf"(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _explicit_day,
        frozenset({"month", "digit"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:{_PREP}\s+)?{_EXPLICIT_WEEKDAY}(?:the\s+)?(?<![\w,.:/-])(?P<day>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON})\.?"
            rf"(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _explicit_day,
        frozenset({"month", "digit"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:{_PREP}\s+)?(?<![\w.-])(?P<year>(?:19|20)\d\d)(?P<sep>[-/])(?P<month>0?[1-9]|1[0-2])(?P=sep)"
            rf"(?P<day>3[01]|[12]\d|0?[1-9])(?![\d/-])"
        ),
        _iso_day,
        frozenset({"year"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:(?:{_PREP}|between)\s+)?(?P<mon1>{_MON})\.?\s+(?P<day1>{_DAY})\s*{_TO}\s*"
            rf"(?:(?P<mon2>{_MON})\.?\s+)?(?P<day2>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _day_span,
        frozenset({"month", "digit"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:(?:{_PREP}|between)\s+)?(?:the\s+)?(?<![\w,.:/-])(?P<day1>{_DAY})(?:\s+(?:of\s+)?(?P<mon1>{_MON})\.?)?"
            rf"\s*{_TO}\s*(?:the\s+)?(?P<day2>{_DAY})(?:\s+of)?\s+(?P<mon2>{_MON})\.?(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _day_span,
        frozenset({"month", "digit"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:(?P<rel>last|this\s+past|this\s+coming|past|next|coming|on|from|starting|this)\s+)?"
            rf"(?<!Bloody\s)(?<!Black\s)(?<!Good\s)(?<!Easter\s)(?<!Palm\s)(?<!Super\s)(?P<wd>{_WD}){_PART_OF_DAY}"
        ),
        _weekday,
        frozenset({"weekday"}),
    ),
    _Rule(
        _compile(
            r"\b(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow"
            rf"|last\s+night|this\s+(?:morning|afternoon|evening))\b{_PART_OF_DAY}"
        ),
        _relative_day,
        frozenset({"relative_day"}),
    ),
    _Rule(
        _compile(
            r"\b(?:(?P<mod>earlier|later)\s+)?(?<!the\s)(?P<rel>last|this|next|coming)\s+(?P<unit>week|month|year)\b"
            r"(?!\s+of\b)"
        ),
        _relative_period,
        frozenset({"period"}),
    ),
    _Rule(
        _compile(
            r"\b(?P<rel>this\s+past|this\s+coming|last|this|next|coming|over\s+the|at\s+the|on\s+the|during\s+the)"
            r"\s+weekend\b"
        ),
        _weekend,
        frozenset({"weekend"}),
    ),
    _Rule(
        _compile(rf"\b(?:(?P<n>{_NUMBER})\s+|{_VAGUE}\s+)?(?P<unit>day|week|month|year)s?\s+ago\b"),
        _ago,
        frozenset({"ago"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:{_PREP}\s+)?(?:(?:the\s+)?{_MOD}[\s-]*)?(?P<mon>{_MON})\.?,?\s+(?:of\s+)?(?P<year>{_YEAR})"
        ),
        _named_month,
        frozenset({"month", "digit"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:{_PREP}\s+(?:the\s+)?(?:{_MOD}[\s-]*)?|(?:the\s+)?{_MOD}[\s-]*|(?P<rel>last|this|next)\s+)"
            rf"(?P<mon>{_MONTH_FULL})"
        ),
        _named_month,
        frozenset({"full_month"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:{_PREP}\s+)?(?:the\s+)?(?:(?:early|late|mid)[\s-]*)?(?P<season>{_SEASON})(?:\s+of)?,?\s+"
            rf"(?P<year>{_YEAR})(?:\s*[-–/]\s*(?P<year2>\d{{4}}|\d{{2}})(?![\d-]))?"
        ),
        _season,
        frozenset({"season", "digit"}),
    ),
    _Rule(
        _compile(rf"\b(?P<rel>this\s+past|this\s+coming|last|this|next|coming)\s+(?P<season>{_SEASON})"),
        _season,
        frozenset({"season"}),
    ),
    _Rule(
        _compile(rf"\b{_PREP}\s+(?:the\s+)?(?:(?:early|late|mid)[\s-]*)?(?P<season>{_SEASON})(?!\s+of\b)"),
        _season,
        frozenset({"season"}),
    ),
    _Rule(
        _compile(
            rf"\b(?:(?:in|since|during|throughout|until|till|by|from|through)\s+(?:the\s+)?(?:{_MOD}[\s-]*)?"
            rf"|(?:at\s+)?the\s+(?:beginning|start|end|middle|first\s+half|second\s+half)\s+of\s+|(?:early|late|mid)[\s-]*)"
            rf"(?P<year>{_YEAR})(?:\s*[-–/]\s*(?P<year2>\d{{4}}|\d{{2}})(?![\d-]))?"
        ),
        _named_year,
        frozenset({"year"}),
    ),
)


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """All date cues in a sentence, in text order, resolved against the publication date.

    Where cues overlap the longest wins ("on Tuesday, December 19" over "on Tuesday"). A
    cue that follows "after", "before" and the like, or names no real day ("February 30"),
    is dropped together with its parts, so "on February" is not read out of it.
    """
    gates = _gates(text)
    candidates = [
        (m, rule.resolve) for rule in _RULES if rule.needs <= gates for m in rule.pattern.finditer(text)
    ]
    if not candidates:
        return []
    candidates.sort(key=lambda c: (c[0].start() - c[0].end(), c[0].start()))
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for m, resolve in candidates:
        start, end = m.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        if _ANCHORED.search(text, max(0, start - 40), start):
            continue
        interval = resolve(m, published)
        if interval is None:
            continue
        first, last, precision = interval
        mentions.append(DateMention(start, end, ResolvedDate(first, last, precision, m.group())))
    return sorted(mentions, key=lambda mention: mention.start)


def fallback_date(published: dt.date) -> ResolvedDate:
    """No cue: the week before publication (codebook section 6)."""
    return ResolvedDate(published - dt.timedelta(days=7), published, "week", "publication")


_STATED = _compile(
    rf"(?:{_WD_ANY},?\s+)?(?:"
    rf"(?P<mon1>{_MON})\.?\s+(?P<day1>{_DAY}),?\s+(?P<year1>{_YEAR})"
    rf"|(?<![\w,.:/-])(?P<day2>{_DAY})(?:\s+of)?\s+(?P<mon2>{_MON})\.?,?\s+(?P<year2>{_YEAR})"
    r"|(?<![\w.-])(?P<year3>(?:19|20)\d\d)-(?P<month3>[01]\d)-(?P<day3>[0-3]\d)(?![\d-])"
    r"|(?<![\w.:/-])(?P<day4>[0-3]?\d)\.(?P<month4>[01]?\d)\.(?P<year4>(?:19|20)\d\d)(?![\d.]\d)"
    r")"
)
_STATED_LABEL = re.compile(
    r"\b(?:published|posted|updated|date|dated|modified|created|issued)\b(?:\s+on)?[\s:,\-–—]*$", re.IGNORECASE
)
_STATED_SEPARATOR = re.compile(r"(?:^|[|•·—–,]|\s-)\s*$")
_STATED_TAIL = re.compile(r"\s*(?:$|[|•·—–]|-\s|\(|,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}|T\d{2}:)", re.IGNORECASE)


def _stated_date(m: re.Match[str]) -> dt.date | None:
    if m["year1"]:
        return _make_date(int(m["year1"]), _MONTHS[m["mon1"].lower()], _day_number(m["day1"]))
    if m["year2"]:
        return _make_date(int(m["year2"]), _MONTHS[m["mon2"].lower()], _day_number(m["day2"]))
    if m["year3"]:
        return _make_date(int(m["year3"]), int(m["month3"]), int(m["day3"]))
    return _make_date(int(m["year4"]), int(m["month4"]), int(m["day4"]))


def stated_publication_date(text: str) -> dt.date | None:
    """A publication date stated in a document's dateline or first lines, for texts given without metadata.

    Only a dateline counts: a date after a label ("Published:", "date") or one standing on
    its own between separators, a time or the line's ends; a date inside a headline or a
    lede sentence is an event date, not the publication. A page can also carry its print
    or crawl time and an "updated" stamp, both later than the publication, so the
    earliest dateline of the first five non-empty lines is taken.
    """
    lines = [line for line in text.splitlines() if line.strip()][:5]
    found: list[dt.date] = []
    for line in lines:
        for m in _STATED.finditer(line):
            before, after = line[: m.start()], line[m.end() :]
            labelled = _STATED_LABEL.search(before) is not None
            standalone = _STATED_SEPARATOR.search(before) is not None and _STATED_TAIL.match(after) is not None
            if (labelled or standalone) and (date := _stated_date(m)):
                found.append(date)
    return min(found, default=None)


# A cue that dates the document, not an event: an ISO stamp or a date after a dateline label
# ("Updated February 24, 2025 at 17:20", "date 2025-02-24 ...").
_DATELINE_BEFORE = re.compile(r"\b(?:published|posted|updated|date|dated|modified|created|issued)\b(?:\s+on)?[\s:,\-–—|•]*$", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{3,}")
_ISO = re.compile(r"^(?:\w+\s+)?(?:19|20)\d\d-[01]\d-[0-3]\d$")
# Words that make a cue a term of the action, its start or its time limit, rather than its occasion:
# "a truce from Monday", "a meeting by the end of the month", "to begin on Monday, May 12",
# "has signalled since September".
_TERM_WORDS = (
    r"(?:from|starting|beginning|by|until|till|through|before|since|as\s+of|effective|no\s+later\s+than"
    r"|(?:take|takes|taking|come|comes|coming|go|goes|enter|enters)\s+(?:into\s+)?(?:effect|force)"
    r"|(?:to|should|would|will|must|could|can|shall)\s+(?:begin|start|commence|resume|run|last|end|expire))"
)
_TERM_BEFORE = re.compile(
    _TERM_WORDS + r"\s+(?:[a-z]+,?\s+)?(?:the\s+(?:end|start|beginning|middle|first\s+half|second\s+half)\s+of\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)
_TERM_START = re.compile(r"^(?:from|starting|by|until|till|through|since)\b", re.IGNORECASE)


def is_dateline(text: str, mention: DateMention) -> bool:
    """Whether a cue is the document's own dateline (its publication or update stamp), which dates no event."""
    if mention.resolved.precision == "day" and not _WORDS.search(text[: mention.start] + text[mention.end :]):
        return True  # a line holding a date and nothing else: "22nd Nov 2024", "March 3, 2025 10:15"
    return _ISO.match(mention.resolved.text) is not None or (
        mention.resolved.precision == "day"
        and _STATED.search(mention.resolved.text) is not None
        and _DATELINE_BEFORE.search(text, max(0, mention.start - 30), mention.start) is not None
    )


def is_term(text: str, mention: DateMention) -> bool:
    """Whether a cue states when something proposed or demanded is to start or end ("a truce from Monday",
    "talks by the end of the month") rather than when the statement was made."""
    return _TERM_START.match(mention.resolved.text) is not None or _TERM_BEFORE.search(
        text, max(0, mention.start - 40), mention.start
    ) is not None


# How far back a date taken from the context of an undated statement may lie: the fallback's week.
CONTEXT_DAYS = 7


def in_news_week(resolved: ResolvedDate, published: dt.date) -> bool:
    """Whether a date lies in the week before publication, the span an undated report falls back to."""
    return published - dt.timedelta(days=CONTEXT_DAYS) <= resolved.start <= published


def lead_date(texts: list[str], published: dt.date) -> tuple[int, ResolvedDate] | None:
    """The occasion a news article's lead reports: the first date cue of its opening sentences that lies in
    the week before publication ("Putin courted leaders at a summit on Friday"), leaving out datelines and
    the terms of proposals. Statements the article reports without a date of their own are of that
    occasion more often than of any other day of the week, so they take it instead of the bare fallback.
    Returns the index of the sentence it came from, with the date."""
    for index, text in enumerate(texts):
        for mention in find_dates(text, published):
            if is_dateline(text, mention) or is_term(text, mention):
                continue
            if in_news_week(mention.resolved, published):
                return index, ResolvedDate(mention.resolved.start, min(mention.resolved.end, published),
                                           mention.resolved.precision, mention.resolved.text)
    return None
