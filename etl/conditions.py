"""Conditions: the terms an actor attaches to an action, found by category lexicons and cues.

Coding conditions is what sets Parley apart from GDELT, ICEWS and ACLED, so the lexicon is
data (etl/dictionaries/conditions.yaml) that researchers can extend and the release records
by version. A cue such as "only if" whose clause fits no category still yields a condition,
of category `other`, so that no stated term is silently lost.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import get_args

from etl.models import ConditionCategory
from etl.yamlfile import DataFileError, load_mapping

CONDITIONS_YAML = Path(__file__).resolve().parent / "dictionaries" / "conditions.yaml"
CATEGORIES = frozenset(get_args(ConditionCategory))


@dataclass(frozen=True)
class FoundCondition:
    category: str
    text: str
    start: int
    end: int


def _compile(path: Path, line: int, where: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise DataFileError(path, line, f"{where}: expected a regular expression string, got {pattern!r}")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise DataFileError(path, line, f"{where}: bad regular expression {pattern!r}: {exc}") from exc


class ConditionLexicon:
    def __init__(self, categories: dict[str, list[re.Pattern[str]]], cues: list[re.Pattern[str]], version: str) -> None:
        self.categories = categories
        self.cues = cues
        self.version = version

    @classmethod
    def load(cls, path: Path = CONDITIONS_YAML) -> ConditionLexicon:
        data, node = load_mapping(path)
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
        unknown = set(data) - {"version", "cues", "categories"}
        if unknown:
            raise DataFileError(path, lines[sorted(unknown)[0]], f"unknown key(s) {sorted(unknown)}")
        raw_categories = data.get("categories")
        if not isinstance(raw_categories, dict):
            raise DataFileError(path, lines.get("categories", 1), "categories: expected a mapping of category to patterns")
        category_lines = {
            key.value: key.start_mark.line + 1
            for top, value in node.value if top.value == "categories"
            for key, _ in value.value
        }
        categories: dict[str, list[re.Pattern[str]]] = {}
        for name, patterns in raw_categories.items():
            line = category_lines[name]
            if name not in CATEGORIES or name == "other":
                raise DataFileError(path, line, f"categories: {name!r} is not a codebook category (other comes from cues)")
            if not isinstance(patterns, list) or not patterns:
                raise DataFileError(path, line, f"categories.{name}: expected a non-empty list of patterns")
            categories[name] = [_compile(path, line, f"categories.{name}", p) for p in patterns]
        cues = [_compile(path, lines.get("cues", 1), "cues", p) for p in data.get("cues") or []]
        return cls(categories, cues, hashlib.sha256(path.read_bytes()).hexdigest()[:12])

    def find(self, text: str) -> list[FoundCondition]:
        """Every condition stated in text: category matches, then cue clauses that no category covers."""
        found: list[FoundCondition] = []
        for category, patterns in self.categories.items():
            for pattern in patterns:
                for match in pattern.finditer(text):
                    found.append(FoundCondition(category, match.group(0).strip(), match.start(), match.end()))
        for cue in self.cues:
            for match in cue.finditer(text):
                if not any(match.start() <= f.start < match.end() or f.start <= match.start() < f.end for f in found):
                    found.append(FoundCondition("other", match.group(0).strip(), match.start(), match.end()))
        return _dedupe(found)


def _dedupe(found: list[FoundCondition]) -> list[FoundCondition]:
    """One condition per category and span: the shortest text of overlapping matches of one category."""
    kept: list[FoundCondition] = []
    for item in sorted(found, key=lambda f: (f.category, f.end - f.start, f.start)):
        if not any(k.category == item.category and k.start < item.end and item.start < k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: (f.start, f.category))


@cache
def default_conditions() -> ConditionLexicon:
    return ConditionLexicon.load()


# A sentence that goes on with the statement of the sentence before it, so that the terms it states
# belong to that statement (codebook section 5: the union over the event's sentences).
_SPEECH = (
    r"(?:said|says|added|adds|told|tells|stressed|stresses|noted|notes|insisted|insists|continued|wrote|explained"
    r"|argued|warned|declared|declares|emphasi[sz]ed|underlined|stated|states|reiterated|clarified)"
)
_SPEAKER = r"(?P<who>he|she|they|we|(?:the\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,3}?)"
_ATTRIBUTIONS = (
    # "“...,” the ministry said." / "..., Lavrov added."
    re.compile(r"[,”\"’]\s*" + _SPEAKER + r"\s+" + _SPEECH + r"\b", re.IGNORECASE),
    # "“...,” said the minister."
    re.compile(r"[,”\"’]\s*" + _SPEECH + r"\s+" + _SPEAKER + r"\s*[.,]", re.IGNORECASE),
    # "... TASS quoted Mr Lavrov as saying."
    re.compile(r"\bquoted\s+" + _SPEAKER + r"\s+as\s+saying\b", re.IGNORECASE),
    # "Among those principles, he said, are ..."
    re.compile(r"^[^,]{0,80},\s*(?P<who>he|she|they|we)\s+" + _SPEECH + r",\s", re.IGNORECASE),
    # "According to him, ..."
    re.compile(r"\baccording\s+to\s+(?P<who>him|her|them)\b", re.IGNORECASE),
    # "For Moscow, the ceasefire is a subject of the talks." states the named party's position
    re.compile(r"^[\"“‘']?(?-i:For)\s+(?P<who>(?:the\s+)?(?-i:[A-Z])[\w’'-]+(?:\s+(?-i:[A-Z])[\w’'-]+){0,2}),\s"),
)
# "The move, to take effect Aug. 27, ..." names what the previous sentence reported.
_ANAPHORA = re.compile(
    r"^[\"“‘']?(?:according\s+to\s+)?(?:the|this|that|these|those|such\s+an?)\s+(?:\w+\s+)?(?:move|decision|proposal|proposals|plan|offer"
    r"|initiative|ceasefire|cease-fire|truce|order|measure|deal|agreement|statement|document|blueprint|paper"
    r"|resolution|position|demand|demands|ultimatum|principles|terms|conditions|consensus|framework|memorandum"
    r"|communiqu[eé]|declaration|draft|text)\b",
    re.IGNORECASE,
)
# Speakers that name no one new: a pronoun, or a role that the previous sentence named ("the ministry").
_PRONOUNS = frozenset({"he", "she", "they", "we", "him", "her", "them"})
_GENERIC_ROLES = frozenset({
    "ministry", "minister", "president", "leader", "spokesman", "spokeswoman", "spokesperson", "official",
    "officials", "office", "government", "chancellor", "secretary", "premier", "envoy", "diplomat", "delegation",
    "statement", "document", "kremlin", "prime", "adviser", "advisor", "aide", "negotiator", "head", "chief",
})


@dataclass(frozen=True)
class Continuation:
    """How a sentence continues the statement before it: `speaker` is the words it gives for who speaks
    (None for none), `generic` whether they name no one new: a pronoun, a role the previous sentence
    named ("the ministry"), a common noun ("both sides"), or no speaker at all ("The proposal ...")."""

    speaker: str | None
    generic: bool


def continuation(text: str) -> Continuation | None:
    """Whether a sentence continues the previous sentence's statement: a quote or paraphrase with a speech
    tag ("..., the ministry said", "quoted Lavrov as saying", "Among them, he said, are ..."), or a
    sentence that opens by naming what was just reported ("The proposal ...", "The move ...")."""
    stripped = text.strip()
    if _ANAPHORA.match(stripped):
        return Continuation(None, True)
    for pattern in _ATTRIBUTIONS:
        m = pattern.search(stripped)
        if m is None:
            continue
        who = " ".join(m["who"].split())
        words = who.split()
        generic = (
            words[0].lower() in _PRONOUNS
            or (words[0].lower() == "the" and words[-1].lower() in _GENERIC_ROLES)
            or not any(word[:1].isupper() for word in words)
        )
        return Continuation(who, generic)
    return None
