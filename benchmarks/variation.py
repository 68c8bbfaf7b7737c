"""Text variations that make recombined seed sentences read like other stories: other names, dates, weekdays.

A corpus built by copying five seeds over and over would let any cache or duplicate check
short-circuit the work, and would repeat the same few actors; varying names and dates keeps
every generated document distinct while its length, sentence shapes and density of actors
and dates stay those of real news text. Every function here is pure (randomness comes in as
an explicit random.Random or as drawn parameters), so a corpus is a function of its seed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from etl.actors import ActorDictionary, ActorMatch

# Kinds whose names are swapped for another entry of the same kind. Offices, groups and
# metonyms ("the Russian president", "Russian officials", "the Kremlin") stay: they carry no
# personal name, and changing them would change which sentences the coder can code at all.
SWAPPED_KINDS = ("person", "country")
SWAP_PROBABILITY = 0.5
WEEKDAYS = tuple(calendar.day_name)

_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(_MONTHS)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# One alternation, longest forms first, so "May 25, 2024" is one date and not a month plus a year.
_DATES = re.compile(
    rf"(?P<iso>\b(?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d)\b)"
    rf"|(?P<mdy>\b(?P<m1>{_MONTH}) (?P<d1>\d{{1,2}})(?:, (?P<y1>{_YEAR}))?\b)"
    rf"|(?P<dmy>\b(?P<d2>\d{{1,2}}) (?P<m2>{_MONTH})(?: (?P<y2>{_YEAR}))?\b)"
    rf"|(?P<my>\b(?P<m3>{_MONTH}) (?P<y3>{_YEAR})\b)"
    rf"|(?P<year>(?<![\d$€£.,]){_YEAR}(?![\d]|[.,]\d))"
)
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})\b")


@dataclass(frozen=True)
class Shift:
    """How far a generated document moves its dates: whole years, then days."""

    years: int
    days: int

    def date(self, day: dt.date) -> dt.date:
        return _add_years(day, self.years) + dt.timedelta(days=self.days)

    def year(self, year: int) -> int:
        return year + self.years


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day so many years on; 29 February becomes the 28th in a common year."""
    target = day.year + years
    return day.replace(year=target, day=min(day.day, calendar.monthrange(target, day.month)[1]))


def draw_shift(rng: random.Random) -> Shift:
    return Shift(years=rng.randint(-3, 1), days=rng.randint(-45, 45))


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shifted(match: re.Match[str], shift: Shift, reference_year: int) -> str:
    """One date expression moved by the shift, written as it was (with or without its year)."""
    groups = match.groupdict()
    if groups["iso"]:
        day = _valid(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        return shift.date(day).isoformat() if day else match.group()
    if groups["mdy"] or groups["dmy"]:
        month = _MONTHS[groups["m1"] or groups["m2"]]
        written_year = groups["y1"] or groups["y2"]
        day = _valid(int(written_year or reference_year), month, int(groups["d1"] or groups["d2"]))
        if day is None:
            return match.group()
        moved = shift.date(day)
        name = calendar.month_name[moved.month]
        if groups["mdy"]:
            return f"{name} {moved.day}" + (f", {moved.year}" if written_year else "")
        return f"{moved.day} {name}" + (f" {moved.year}" if written_year else "")
    if groups["my"]:
        return f"{groups['m3']} {shift.year(int(groups['y3']))}"
    return str(shift.year(int(match.group())))


def shift_dates(text: str, shift: Shift, reference_year: int) -> str:
    """Move every explicit date and year by the shift; dates without a year are read in reference_year."""
    return _DATES.sub(lambda match: _shifted(match, shift, reference_year), text)


def vary_weekdays(text: str, rng: random.Random) -> str:
    """Replace each weekday name by one drawn at random, as another story would name another day."""
    return _WEEKDAY.sub(lambda _: rng.choice(WEEKDAYS), text)


@dataclass(frozen=True)
class Names:
    """What the swapper needs from the actor dictionary, in a fixed order so draws are reproducible."""

    kinds: Mapping[str, str]
    pools: Mapping[str, tuple[str, ...]]
    full: Mapping[str, str]
    short: Mapping[str, str]
    aliases: Mapping[str, tuple[str, ...]]


def _short_name(name: str, aliases: Sequence[str]) -> str:
    """A one-word alias the dictionary knows (the surname when listed), so a swapped "Putin" still matches."""
    single = [alias for alias in aliases if " " not in alias and not alias.isupper()]
    surname = name.split()[-1]
    return surname if surname in single else (single[0] if single else name)


def names_from(dictionary: ActorDictionary) -> Names:
    kinds: dict[str, str] = {}
    pools: dict[str, list[str]] = {kind: [] for kind in SWAPPED_KINDS}
    full: dict[str, str] = {}
    short: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for entry_id in sorted(dictionary.entries):
        entry = dictionary.entries[entry_id]
        if entry.kind not in SWAPPED_KINDS or not entry.name:
            continue
        texts = [alias.text for alias in entry.aliases]
        kinds[entry_id] = entry.kind
        pools[entry.kind].append(entry_id)
        full[entry_id] = entry.name
        short[entry_id] = _short_name(entry.name, texts)
        aliases[entry_id] = tuple(sorted(texts, key=len, reverse=True))
    return Names(kinds, {kind: tuple(ids) for kind, ids in pools.items()}, full, short, aliases)


def draw_swaps(entry_ids: Sequence[str], names: Names, rng: random.Random) -> dict[str, str]:
    """Who becomes whom in one document: each swappable actor, in order of first mention, keeps
    its name or takes another of its kind, the same one at every mention so the story stays coherent."""
    swaps: dict[str, str] = {}
    for entry_id in entry_ids:
        if entry_id in swaps or entry_id not in names.kinds:
            continue
        pool = names.pools[names.kinds[entry_id]]
        swaps[entry_id] = rng.choice(pool) if rng.random() < SWAP_PROBABILITY else entry_id
    return swaps


def _named_part(text: str, aliases: Sequence[str]) -> str | None:
    """The alias a match ends with: a match may start with a title ("Foreign Minister Sergei Lavrov")
    that stays, only the name is replaced."""
    return next((a for a in aliases if len(a) <= len(text) and text[len(text) - len(a) :].casefold() == a.casefold()), None)


def swap_names(text: str, matches: Sequence[ActorMatch], swaps: Mapping[str, str], names: Names) -> str:
    """Replace the names of matched actors as swaps says: a one-word mention by the other's short name,
    a longer one by the other's full name. Matches carry offsets into text and must not overlap."""
    pieces, cursor = [], 0
    for match in matches:
        other = swaps.get(match.entry_id, match.entry_id)
        if other == match.entry_id:
            continue
        alias = _named_part(match.text, names.aliases[match.entry_id])
        if alias is None:
            continue
        start = match.end - len(alias)
        pieces += [text[cursor:start], names.short[other] if " " not in alias else names.full[other]]
        cursor = match.end
    return "".join(pieces) + text[cursor:]
