"""Action patterns: the data file etl/dictionaries/actions.yaml compiled into a spaCy Matcher.

The pattern language is documented at the top of the data file. Patterns are data so
that a researcher can add wording without touching code, and they compile to spaCy's
token Matcher so that matching cost follows the text rather than a Python loop over
every pattern.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from etl.codes import action_codes
from etl.yamlfile import DataFileError, validate_entries

ACTIONS_YAML = Path(__file__).resolve().parent / "dictionaries" / "actions.yaml"
ACTOR_LABEL = "ACTOR"
FUNCTION_WORDS = frozenset(STOP_WORDS)
NEGATION_WORDS = frozenset({"not", "n't", "no", "never", "without", "nor", "neither"})

# An actor's name may follow an article or possessive ("urged the African leaders"): dictionary
# matches leave it out, so "@" allows one before the name. Not counted as a literal.
OPTIONAL_DETERMINER = {"POS": "DET", "OP": "?"}

_WILDCARD = re.compile(r"^\*(\d)$")
_WORD = re.compile(r"^[a-z][a-z'-]*$")


class ActionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[0-9]{3,4}$")
    negated: str | None = Field(default=None, pattern=r"^[0-9]{3,4}$")
    patterns: list[str] = Field(min_length=1)

    @field_validator("code", "negated")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in action_codes():
            raise ValueError(f"{value!r} is not a CAMEO code of cameo_event_codes.csv")
        return value


@dataclass(frozen=True)
class CompiledPattern:
    entry: ActionEntry
    source: str
    line: int
    anchor: int  # index of the anchor element in the token pattern
    words: frozenset[int]  # indices of the elements that match words (not wildcards or actors)
    literals: int  # non-wildcard elements: the more, the more specific
    negative: bool  # the pattern itself states a negation ("never rejected talks")


@dataclass(frozen=True)
class ActionMatch:
    """One pattern match in a sentence: its code, token span and anchor token index."""

    code: str
    negated_code: str | None
    start: int
    end: int
    anchor: int
    words: tuple[int, ...]  # doc indices of the tokens matched by word elements: the trigger itself
    literals: int
    negative: bool
    pattern: str

    def priority(self) -> tuple[int, int, int]:
        return (self.literals, len(self.code), self.end - self.start)


def _alternatives(token: str, groups: dict[str, list[str]]) -> list[str]:
    """The lemmas a token accepts: words and $GROUPs separated by |."""
    words: list[str] = []
    for alt in token.split("|"):
        if alt.startswith("$"):
            if alt[1:] not in groups:
                raise ValueError(f"unknown word group {alt}")
            words.extend(groups[alt[1:]])
        elif _WORD.match(alt):
            words.append(alt)
        else:
            raise ValueError(f"bad word {alt!r} in token {token!r}: use lower-case lemmas")
    return words


def _element(token: str, groups: dict[str, list[str]]) -> tuple[dict, bool]:
    """One token of the pattern language as a spaCy Matcher element; also whether it is literal."""
    optional = token.endswith("?") and len(token) > 1
    if optional:
        token = token[:-1]
    if wildcard := _WILDCARD.match(token):
        return {"OP": f"{{0,{wildcard.group(1)}}}"}, False
    if token == "@":
        element: dict = {"ENT_TYPE": ACTOR_LABEL, "OP": "+"}
    elif token.startswith("="):
        element = {"LOWER": token[1:]}
    else:
        element = {"LEMMA": {"IN": _alternatives(token, groups)}}
    if optional:
        element["OP"] = "?"
    return element, True


def compile_pattern(text: str, groups: dict[str, list[str]]) -> tuple[list[dict], int, frozenset[int], bool]:
    """A pattern string -> (Matcher elements, anchor index, word element indices, states a negation)."""
    elements, anchor, negative = [], None, False
    words: set[int] = set()
    for raw in text.split():
        token = raw
        if token.startswith("^"):
            if anchor is not None:
                raise ValueError(f"two anchors (^) in pattern {text!r}")
            anchor, token = len(elements), token[1:]
        element, literal = _element(token, groups)
        if token == "@":
            elements.append(OPTIONAL_DETERMINER)
        if literal and token != "@":
            words.add(len(elements))
        negative |= bool(set(token.lstrip("=").rstrip("?").split("|")) & NEGATION_WORDS)
        elements.append(element)
    anchor = 0 if anchor is None else anchor
    if anchor not in words:
        raise ValueError(f"the anchor of {text!r} must be a word, not a wildcard or an actor")
    return elements, anchor, frozenset(words), negative


class ActionPatterns:
    """The compiled action dictionary.

    Patterns are split into buckets by the words one of their required elements accepts, and a
    sentence runs only the buckets whose words it contains: matching cost then follows the text
    and the few patterns it can trigger, not the size of the dictionary.
    """

    def __init__(self, path: Path, patterns: list[CompiledPattern], groups: dict[str, list[str]], version: str) -> None:
        self.path = path
        self.patterns = patterns
        self.groups = groups
        self.version = version
        buckets: dict[frozenset[str], list[int]] = {}
        for index, pattern in enumerate(patterns):
            buckets.setdefault(self._bucket_key(pattern.source, groups), []).append(index)
        self._buckets = list(buckets.values())
        self._bucket_index: dict[str, list[int]] = {}
        for number, key in enumerate(buckets):
            for word in key:
                self._bucket_index.setdefault(word, []).append(number)
        self.trigger_words = frozenset(self._bucket_index)
        self._matchers: dict[int, Matcher] = {}
        self._vocab = None

    @staticmethod
    def _words(token: str, groups: dict[str, list[str]]) -> list[str]:
        token = token.lstrip("^").rstrip("?")
        if token.startswith("="):
            return [token[1:]]
        if token == "@" or _WILDCARD.match(token):
            return []
        return _alternatives(token, groups)

    @classmethod
    def _bucket_key(cls, source: str, groups: dict[str, list[str]]) -> frozenset[str]:
        """The words of the pattern's most selective required element: a sentence without any of
        them cannot match. A pattern's anchor is always a word, so every pattern has one.

        Selective means rare in text, not short: "to" or "be" alone would put a pattern in a bucket
        that nearly every sentence runs, so elements with a function word come last."""
        required = [
            frozenset(words)
            for token in source.split()
            if not token.endswith("?") and (words := cls._words(token, groups))
        ]
        return min(required, key=lambda words: (not FUNCTION_WORDS.isdisjoint(words), len(words), sorted(words)))

    @classmethod
    def load(cls, path: Path = ACTIONS_YAML) -> ActionPatterns:
        data, entries = validate_entries(path, "actions", ActionEntry)
        groups = data.get("groups") or {}
        if not isinstance(groups, dict) or not all(isinstance(v, list) for v in groups.values()):
            raise DataFileError(path, 1, "groups: expected a mapping of names to lists of lemmas")
        compiled: list[CompiledPattern] = []
        for line, entry in entries:
            for source in entry.patterns:
                try:
                    elements, anchor, words, negative = compile_pattern(source, groups)
                except ValueError as exc:
                    raise DataFileError(path, line, f"actions entry {entry.code}: {exc}") from exc
                literals = sum(("OP" not in e or e["OP"] in ("?", "+")) and e is not OPTIONAL_DETERMINER for e in elements)
                compiled.append(CompiledPattern(entry, source, line, anchor, words, literals, negative))
        version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return cls(path, compiled, groups, version)

    def _matcher(self, bucket: int, vocab) -> Matcher:
        if self._vocab is not vocab:
            self._matchers, self._vocab = {}, vocab
        matcher = self._matchers.get(bucket)
        if matcher is None:
            matcher = Matcher(vocab)
            for index in self._buckets[bucket]:
                elements, *_ = compile_pattern(self.patterns[index].source, self.groups)
                matcher.add(str(index), [elements])
            self._matchers[bucket] = matcher
        return matcher

    def _candidate_buckets(self, sentence: Doc | Span) -> list[int]:
        words = {t.lemma_ for t in sentence} | {t.lower_ for t in sentence}
        return sorted({bucket for word in words for bucket in self._bucket_index.get(word, ())})

    def find(self, sentence: Doc | Span) -> list[ActionMatch]:
        """Every pattern match in a parsed sentence (actor spans set as entities), overlapping ones included.

        Of two patterns that give the same code at the same anchor, the more specific wins, and
        on a tie the one written first in the data file."""
        doc = sentence.doc if isinstance(sentence, Span) else sentence
        offset = sentence.start if isinstance(sentence, Span) else 0
        found: dict[tuple[str, int], tuple[ActionMatch, int]] = {}
        for bucket in self._candidate_buckets(sentence):
            for match_id, start, end, alignment in self._matcher(bucket, doc.vocab)(sentence, with_alignments=True, as_spans=False):
                index = int(doc.vocab.strings[match_id])
                pattern = self.patterns[index]
                anchor = offset + start + alignment.index(pattern.anchor)
                words = tuple(offset + start + i for i, element in enumerate(alignment) if element in pattern.words)
                match = ActionMatch(
                    pattern.entry.code, pattern.entry.negated, offset + start, offset + end, anchor, words,
                    pattern.literals, pattern.negative, pattern.source,
                )
                key = (match.code, anchor)
                rank = (match.priority(), -index)
                if key not in found or rank > (found[key][0].priority(), -found[key][1]):
                    found[key] = (match, index)
        return sorted((match for match, _ in found.values()), key=lambda m: (m.start, m.anchor, m.code))


@cache
def default_patterns() -> ActionPatterns:
    return ActionPatterns.load()
