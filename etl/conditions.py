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
