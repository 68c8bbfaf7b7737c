"""The action pattern language: compilation, data-file errors, matches on parsed sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.nlp import parse_all
from etl.patterns import ActionPatterns, compile_pattern, default_patterns
from etl.yamlfile import DataFileError


def test_bundled_patterns_load_and_cover_every_cameo_root() -> None:
    patterns = default_patterns()
    roots = {p.entry.code[:2] for p in patterns.patterns}
    assert roots == {f"{r:02d}" for r in range(1, 21)}
    assert len(patterns.version) == 12


def test_compile_marks_anchor_words_and_negation() -> None:
    elements, anchor, words, negative = compile_pattern("$READY to *3 ^negotiate|talk", {"READY": ["ready", "open"]})
    assert anchor == 3 and words == frozenset({0, 1, 3}) and not negative
    assert elements[2] == {"OP": "{0,3}"}
    assert compile_pattern("^never *2 reject", {})[3] is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("actions:\n  - code: '999'\n    patterns: ['^talk']\n", "actions.yaml:2: actions entry: code"),
        ("actions:\n  - code: '036'\n    patterns: ['^Talk']\n", "actions.yaml:2: actions entry 036: bad word"),
        ("actions:\n  - code: '036'\n    patterns: ['^talk ^meet']\n", "two anchors"),
        ("actions:\n  - code: '036'\n    patterns: ['$NOPE talk']\n", "unknown word group $NOPE"),
        ("actions:\n  - code: '036'\n    patterns: ['^*2 talk']\n", "must be a word"),
        ("actions:\n  - code: '036'\n    patterns: ['talk']\n    colour: red\n", "colour"),
    ],
)
def test_bad_pattern_files_name_file_line_and_problem(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text("version: 1\ngroups: {}\n" + body, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        ActionPatterns.load(path)
    text = str(error.value).replace(":4:", ":2:")
    assert message in text and str(path) in text


def _codes(sentence: str) -> set[tuple[str, str]]:
    doc = parse_all([sentence])[0]
    return {(m.code, doc[m.anchor].text) for m in default_patterns().find(doc)}


def test_matches_follow_lemmas_not_inflections() -> None:
    assert ("036", "negotiations") in _codes("The minister said his government stood ready for negotiations.")
    assert ("0256", "truce") in _codes("The envoy called for a truce in the region.")
    assert ("125", "talks") in _codes("The premier rejected talks with the rebels.")


def test_a_hyphenated_ceasefire_split_by_the_tokenizer_still_matches() -> None:
    assert ("0256", "fire") in _codes("The envoy called for a cease-fire in the region.")
    assert ("1246", "fire") in _codes("The premier rejected any cease-fire with the rebels.")


def test_the_longer_reading_of_one_trigger_is_kept_with_its_code() -> None:
    assert ("044", "held") in _codes("The two presidents held bilateral talks in the capital.")
    assert ("039", "host") in _codes("The minister said his country was willing to host talks between the parties.")


def test_patterns_are_bucketed_by_a_content_word_not_a_function_word(tmp_path: Path) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text("version: 1\ngroups: {}\nactions:\n  - code: '1041'\n    patterns: ['^urge|implore *9 to']\n", encoding="utf-8")
    patterns = ActionPatterns.load(path)
    assert patterns.trigger_words == frozenset({"urge", "implore"})
    doc = parse_all(["The envoy urged both sides to return to the table."])[0]
    assert [(m.code, doc[m.anchor].text) for m in patterns.find(doc)] == [("1041", "urged")]
    assert patterns.find(parse_all(["The talks moved to Geneva."])[0]) == []
