"""The actor dictionary: names, titles and metonyms in news text -> CAMEO actor codes on a date.

The knowledge lives in etl/dictionaries/actors*.yaml so that coders and reviewers change data,
not code, and a release records which dictionary coded it (ActorDictionary.version). A role
depends on the date (Trump is USAELI in 2024 and USAGOV in 2025), so entries carry dated roles,
and titles such as "the Russian president" are offices whose holder is looked up on the event
date. Matching uses one Aho-Corasick pass per case mode, so its cost grows with the text and
not with the number of aliases.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import ahocorasick
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from etl.codes import CODEBOOK_DIR

DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionaries"

Kind = Literal["person", "organisation", "country", "metonym", "collective", "group", "office", "title", "stop"]
# offices resolve to their holder, titles only glue onto a following name, stop phrases only
# shadow the names inside them ("Kyiv Independent", "the West Bank"): none of them is an actor.
_PREFIX_KINDS = frozenset({"office", "title"})
_HIDDEN_KINDS = frozenset({"title", "stop"})
_INTERNATIONAL = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "INT", "UIS"})


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    name: str
    code: str
    country: str | None
    role: str | None
    qid: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class ActorMatch:
    start: int
    end: int
    text: str
    entry_id: str


class ActorDictionaryError(ValueError):
    """Every problem found in the dictionary files, one "file:line: entry 'id': field: problem" per line."""


# ---------------------------------------------------------------- codes


@cache
def _code_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(country and region codes, every other 3-letter segment the tables use): anything else is a typo."""
    places: set[str] = set()
    with (CODEBOOK_DIR / "cameo_country_codes.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            places.update(c for c in (row["code"], row["iso3166_alpha3"]) if c)
    others: set[str] = set()
    with (CODEBOOK_DIR / "cameo_actor_type_codes.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            full = row["full_code_example"]
            others.add(row["code"])
            others.update(full[i : i + 3] for i in range(0, len(full), 3))
    return frozenset(places), frozenset(others)


def split_code(code: str) -> tuple[str | None, str | None]:
    """(country, role) of a CAMEO-style code, as the codebook's actor_country and actor_role read it.

    IGOWSTNAT -> (WST, IGO), IGOUNO -> (None, IGO), RUSGOV -> (RUS, GOV), WST -> (WST, None).
    """
    places, _ = _code_tables()
    head, rest = code[:3], code[3:6]
    if head in _INTERNATIONAL:
        return (rest if rest in places else None), head
    return head, (rest or None)


def _check_code(code: str) -> str:
    places, others = _code_tables()
    if not re.fullmatch(r"(?:[A-Z]{3}){1,4}", code):
        raise ValueError(f"invalid code {code!r}: 3 to 12 capital letters in groups of three")
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    if chunks[0] not in places and chunks[0] not in _INTERNATIONAL:
        raise ValueError(f"invalid code {code!r}: {chunks[0]!r} is no country, region or international type")
    for chunk in chunks[1:]:
        if chunk not in places and chunk not in others:
            raise ValueError(f"invalid code {code!r}: unknown segment {chunk!r}")
    return code


# ---------------------------------------------------------------- schema


def _parse_date(value: Any) -> Any:
    """Dates are read as text (see _Loader) so that a bad one is reported with its line, not as a crash."""
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"invalid date {value!r}")


Date = Annotated[dt.date | None, BeforeValidator(_parse_date)]
Code = Annotated[str, BeforeValidator(lambda v: _check_code(v) if isinstance(v, str) else v)]
OptionalCode = Annotated[str | None, BeforeValidator(lambda v: _check_code(v) if isinstance(v, str) else v)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Dated(_Strict):
    start: Date = None
    end: Date = None

    @model_validator(mode="after")
    def _ordered(self) -> _Dated:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Role(_Dated):
    code: Code


class Holder(_Dated):
    person: str


class Alias(_Strict):
    text: str = Field(min_length=1)
    case_insensitive: bool | None = None


class Entry(_Strict):
    """One actor, office, title or stop phrase as written in the YAML files."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Kind
    name: str | None = None
    qid: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$")
    case_insensitive: bool = False
    aliases: list[Alias] = Field(default_factory=list)
    code: OptionalCode = None
    roles: list[Role] = Field(default_factory=list)
    holders: list[Holder] = Field(default_factory=list)

    @field_validator("aliases", mode="before")
    @classmethod
    def _plain_aliases(cls, value: Any) -> Any:
        return [{"text": a} if isinstance(a, str) else a for a in value] if isinstance(value, list) else value

    @field_validator("roles", "holders")
    @classmethod
    def _in_order(cls, spans: list[Any]) -> list[Any]:
        """Dated roles and holders must be sorted and must not overlap, so a date picks at most one."""
        for i in range(1, len(spans)):
            before, after = spans[i - 1], spans[i]
            if before.end is None or after.start is None or after.start <= before.end:
                raise ValueError(f"item {i} overlaps item {i - 1} (sort them; close the earlier one with end)")
        return spans

    @model_validator(mode="after")
    def _shape(self) -> Entry:
        if self.kind in _HIDDEN_KINDS:
            if self.name or self.code or self.roles or self.holders or self.qid:
                raise ValueError(f"a {self.kind} entry has aliases only")
        elif self.kind == "office":
            if not (self.name and self.code) or self.roles:
                raise ValueError("an office needs name and code (used when no holder is known), and no roles")
        else:
            if not self.name or bool(self.code) == bool(self.roles) or self.holders:
                raise ValueError("an actor needs a name and exactly one of code or roles")
        if not self.aliases:
            raise ValueError("no aliases")
        return self

    def alias_modes(self) -> Iterator[tuple[int, str, bool]]:
        for i, alias in enumerate(self.aliases):
            ci = self.case_insensitive if alias.case_insensitive is None else alias.case_insensitive
            yield i, alias.text, ci


# ---------------------------------------------------------------- text normalisation

_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4`"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_UNDECOMPOSED = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "æ": "a", "Æ": "A"}


class _FoldTable(dict[int, str]):
    """Code point -> the one character it is matched as, filled on first use.

    One character for one keeps match offsets valid in the original text: curly apostrophes
    become straight, any space becomes " ", dashes become "-", and accented letters lose their
    accent so that "Orbán" and "Orban", "Erdoğan" and "Erdogan" are one alias.
    """

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        if char in _APOSTROPHES:
            out = "'"
        elif char.isspace():
            out = " "
        elif char in _DASHES:
            out = "-"
        elif char in _UNDECOMPOSED:
            out = _UNDECOMPOSED[char]
        else:
            parts = unicodedata.normalize("NFD", char)
            out = parts[0] if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]) else char
        self[codepoint] = out
        return out


_FOLD = _FoldTable()
_UNFOLDED = re.compile(r"[^\x20-\x7e]|`")


def _fold(text: str) -> str:
    """Only characters outside printable ASCII can change, and news text has few of them."""
    return _UNFOLDED.sub(lambda m: _FOLD[ord(m.group())], text)


def _lower(folded: str) -> str:
    low = folded.lower()
    if len(low) == len(folded):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def _alias_key(text: str) -> str:
    return " ".join(_fold(text).split())


def _bounded(text: str, start: int, end: int) -> bool:
    """Whole words only; a trailing possessive ("Putin's") is left outside the match."""
    if text[start].isalnum() and start > 0:
        before = text[start - 1]
        if before.isalnum() or (before == "'" and start > 1 and text[start - 2].isalnum()):
            return False
    if text[end - 1].isalnum() and end < len(text):
        after = text[end]
        if after.isalnum():
            return False
        if after == "'" and end + 1 < len(text) and text[end + 1].isalnum():
            possessive = text[end + 1] in "sS" and (end + 2 == len(text) or not text[end + 2].isalnum())
            if not possessive:
                return False
    return True


# ---------------------------------------------------------------- loading


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading (the libyaml one when present: ten times faster) that keeps dates as text, so
    pydantic reports a bad date with its file, line and field instead of the parser failing."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _display(path: Path) -> str:
    """Bundled files are named from the repository root, as in "etl/dictionaries/actors_offices.yaml:12"."""
    try:
        return str(path.resolve().relative_to(DICTIONARY_DIR.parent.parent))
    except ValueError:
        return str(path)


def _node_line(node: yaml.Node, loc: Sequence[str | int]) -> int:
    """1-based line of the deepest YAML node that an error location reaches."""
    for step in loc:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            child = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _loc_text(loc: Sequence[str | int]) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _error_text(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "missing field"
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"])


@dataclass(frozen=True)
class _Source:
    file: str
    line: int


def _read(path: Path, data: bytes, errors: list[str]) -> list[tuple[Entry, yaml.Node, _Source]]:
    name = _display(path)
    try:
        root = yaml.compose(data.decode("utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.append(f"{name}:{mark.line + 1 if mark else 1}: YAML syntax error: {getattr(exc, 'problem', exc)}")
        return []
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        errors.append(f"{name}:{root.start_mark.line + 1}: expected a list of entries")
        return []
    loader = _Loader("")
    out = []
    for node in root.value:
        line = node.start_mark.line + 1
        raw = loader.construct_object(node, deep=True)
        label = f"entry {raw.get('id')!r}" if isinstance(raw, dict) and raw.get("id") else "entry"
        try:
            entry = Entry.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                where = _loc_text(error["loc"])
                prefix = f"{where}: " if where else ""
                errors.append(f"{name}:{_node_line(node, error['loc'])}: {label}: {prefix}{_error_text(error)}")
            continue
        out.append((entry, node, _Source(name, line)))
    return out


def default_paths() -> list[Path]:
    return sorted(DICTIONARY_DIR.glob("actors*.yaml"))


class ActorDictionary:
    """Loaded, validated actor entries with a matcher over their aliases."""

    def __init__(self, entries: Mapping[str, Entry], version: str) -> None:
        self.version = version
        self.entries: Mapping[str, Entry] = MappingProxyType(dict(entries))
        self._ids = list(self.entries)
        self._kinds = [self.entries[i].kind for i in self._ids]
        self._cs = ahocorasick.Automaton()
        self._ci = ahocorasick.Automaton()
        for index, entry_id in enumerate(self._ids):
            for _, text, ci in self.entries[entry_id].alias_modes():
                key = _alias_key(text)
                automaton = self._ci if ci else self._cs
                automaton.add_word(_lower(key) if ci else key, (index, len(key)))
        for automaton in (self._cs, self._ci):
            if len(automaton):
                automaton.make_automaton()

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> ActorDictionary:
        paths = default_paths() if paths is None else [Path(p) for p in paths]
        errors: list[str] = []
        digest = hashlib.sha256()
        read: list[tuple[Entry, yaml.Node, _Source]] = []
        for path in paths:
            data = path.read_bytes()
            digest.update(data)
            read.extend(_read(path, data, errors))
        entries = _cross_check(read, errors)
        if errors:
            raise ActorDictionaryError("\n".join(errors))
        return cls(entries, digest.hexdigest()[:12])

    def find(self, text: str) -> list[ActorMatch]:
        """Leftmost-longest, non-overlapping, whole-word matches in text order.

        A title or office directly followed by a person's name ("Russian Foreign Minister Sergei
        Lavrov") becomes one match for that person; a bare title is dropped, a bare office kept.
        """
        folded = _fold(text)
        found: list[tuple[int, int, int]] = []
        for haystack, automaton in ((folded, self._cs), (_lower(folded), self._ci)):
            if len(automaton):
                found.extend(
                    (last - length + 1, -length, index)
                    for last, (index, length) in automaton.iter(haystack)
                    if _bounded(folded, last - length + 1, last + 1)
                )
        found.sort()
        chosen: list[tuple[int, int, int]] = []
        for start, negative_length, index in found:
            if not chosen or start >= chosen[-1][1]:
                chosen.append((start, start - negative_length, index))
        return [ActorMatch(s, e, text[s:e], self._ids[i]) for s, e, i in self._glue(chosen, folded)]

    def _glue(self, chosen: list[tuple[int, int, int]], folded: str) -> list[tuple[int, int, int]]:
        """Merge titles and offices that run straight into a name, so the name decides who acts."""
        out: list[tuple[int, int, int]] = []
        i = 0
        while i < len(chosen):
            j = i
            while j + 1 < len(chosen) and self._kinds[chosen[j][2]] in _PREFIX_KINDS:
                gap = folded[chosen[j][1] : chosen[j + 1][0]]
                if not (gap and len(gap) <= 3 and gap.isspace()):
                    break
                j += 1
            if j > i and self._kinds[chosen[j][2]] == "person":
                out.append((chosen[i][0], chosen[j][1], chosen[j][2]))
                i = j + 1
                continue
            if self._kinds[chosen[i][2]] not in _HIDDEN_KINDS:
                out.append(chosen[i])
            i += 1
        return out

    def resolve(self, entry_id: str, on: dt.date) -> ResolvedActor | None:
        """The actor an entry denotes on a date; None when it has no role then (or is no actor)."""
        entry = self.entries[entry_id]
        if entry.kind in _HIDDEN_KINDS:
            return None
        if entry.kind == "office":
            assert entry.code is not None
            holder = next((h for h in entry.holders if h.covers(on)), None)
            person = self.resolve(holder.person, on) if holder else None
            if person is None:
                country, role = split_code(entry.code)
                return ResolvedActor(entry.name or entry.id, entry.code, country, role, None, "person")
            return person
        if entry.code:
            code = entry.code
        else:
            role_on = next((r for r in entry.roles if r.covers(on)), None)
            if role_on is None:
                return None
            code = role_on.code
        country, role = split_code(code)
        return ResolvedActor(entry.name or entry.id, code, country, role, entry.qid, entry.kind)


def _cross_check(read: list[tuple[Entry, yaml.Node, _Source]], errors: list[str]) -> dict[str, Entry]:
    """What one entry cannot check alone: unique ids, unique aliases, holders that exist."""
    entries: dict[str, Entry] = {}
    where: dict[str, _Source] = {}
    for entry, _, source in read:
        if entry.id in where:
            first = where[entry.id]
            errors.append(
                f"{source.file}:{source.line}: entry {entry.id!r}: id: duplicate id"
                f" (first at {first.file}:{first.line})"
            )
            continue
        entries[entry.id] = entry
        where[entry.id] = source
    owners: dict[str, list[tuple[str, str, bool, tuple[_Source, yaml.Node, int]]]] = {}
    for entry, node, source in read:
        if entries.get(entry.id) is not entry:
            continue
        for i, text, ci in entry.alias_modes():
            key = _alias_key(text)
            if not any(c.isalnum() for c in key):
                place = _alias_place(source, node, i)
                errors.append(f"{place}: entry {entry.id!r}: aliases[{i}]: no letters or digits")
                continue
            # two entries clash on equal text, or on equal lowercase text when either side ignores case
            same = owners.setdefault(_lower(key), [])
            clash = next((o for o in same if o[0] != entry.id and (ci or o[2] or o[1] == key)), None)
            if clash:
                errors.append(
                    f"{_alias_place(source, node, i)}: entry {entry.id!r}: aliases[{i}]: duplicate alias {text!r}"
                    f" (also entry {clash[0]!r} at {_alias_place(*clash[3])})"
                )
                continue
            same.append((entry.id, key, ci, (source, node, i)))
        for i, holder in enumerate(entry.holders):
            target = entries.get(holder.person)
            if target is None or target.kind != "person":
                errors.append(
                    f"{source.file}:{_node_line(node, ('holders', i, 'person'))}: entry {entry.id!r}:"
                    f" holders[{i}].person: {holder.person!r} is not a person entry"
                )
    return entries


def _alias_place(source: _Source, node: yaml.Node, index: int) -> str:
    return f"{source.file}:{_node_line(node, ('aliases', index))}"


@cache
def default_actors() -> ActorDictionary:
    """The bundled dictionary, loaded once per process."""
    return ActorDictionary.load()
