"""Conditions: every codebook category from its lexicon, cue clauses as `other`, data-file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.conditions import ConditionLexicon, default_conditions
from etl.yamlfile import DataFileError

CASES = [
    ("territorial_realities", "Moscow will talk only on the basis of the new territorial realities."),
    ("territorial_realities", "Any truce must freeze the current front lines, the envoy said."),
    ("withdrawal", "Kyiv insists that Moscow withdraw its troops from all occupied regions first."),
    ("end_incursion", "Talks can start once enemy units leave the Kursk region, the minister said."),
    ("ceasefire_first", "For the cabinet, a ceasefire is a precondition for any negotiations."),
    ("talks_first", "The Kremlin wants to address the root causes of the war before any pause."),
    ("no_preconditions", "The president offered talks without preconditions."),
    ("no_rearmament", "He warned that the other side would use a pause to rearm."),
    ("security_guarantees", "The deal must include security guarantees for Kyiv."),
    ("neutrality", "Moscow demands a neutral status for its neighbour."),
    ("demilitarization", "The draft foresees limits on the armed forces of the country."),
    ("interlocutor", "The minister said talks were only possible with Washington."),
    ("legal_obstacle", "Moscow asked Kyiv to revoke the decree that bans negotiations with the Kremlin."),
    ("prior_framework", "Negotiations should build on the Istanbul communique of 2022."),
    ("territorial_integrity", "Any plan must respect the territorial integrity of the country."),
    ("sanctions", "Moscow wants the lifting of sanctions as part of any deal."),
    ("deadline", "They proposed a 30-day truce starting from Monday."),
    # added with the continuation and precision work: phrasings of the same categories
    ("territorial_realities", "The envoy said any deal would have to accept the loss of the eastern regions."),
    ("territorial_realities", "The president said he would never give up the occupied territories."),
    ("territorial_realities", "Officials said he was satisfied with the land his army had captured."),
    ("withdrawal", "Kyiv refuses to talk until Russian troops pull back."),
    ("ceasefire_first", "The minister said talks cannot succeed amid the shelling of cities."),
    ("ceasefire_first", "We will not negotiate under fire, the president said."),
    ("talks_first", "Talks must come before any ceasefire, the Kremlin said."),
    ("talks_first", "Both sides should resume dialogue and ultimately reach a full ceasefire."),
    ("no_preconditions", "He proposed a full, unconditional ceasefire."),
    ("security_guarantees", "Moscow wants the elimination of threats to Russia's security."),
    ("interlocutor", "Only countries that respect the charter would be invited, she said."),
    ("interlocutor", "A conference with the equal participation of all parties was proposed."),
    ("deadline", "The tariff is to take effect Aug. 27."),
    ("deadline", "They offered a truce for two to three days."),
    ("deadline", "He proposed another meeting by the end of this month."),
]

NOT_CONDITIONS = [
    "The port was struck less than 24 hours after the deal was signed.",
    "Despite the 18-month war, trade went on.",
    "The weapons could only be provided by the alliance anyway.",
    "He said the army can fight as long as necessary.",
    "The truce covers not only missiles, but not only with regard to drones.",
    "Fighting stopped along the frontline for the night.",
    "If they want to negotiate, let them negotiate.",
    "Addressing the generals on Tuesday, December 19, he boasted of progress.",
]


@pytest.mark.parametrize("sentence", NOT_CONDITIONS)
def test_phrases_that_state_no_condition(sentence: str) -> None:
    assert default_conditions().find(sentence) == []


@pytest.mark.parametrize(("category", "sentence"), CASES)
def test_each_category_is_found(category: str, sentence: str) -> None:
    assert category in {c.category for c in default_conditions().find(sentence)}


def test_cue_without_category_gives_other_with_its_clause() -> None:
    found = default_conditions().find("The premier will attend the summit provided that the host invites every party.")
    assert [(c.category, c.text) for c in found] == [("other", "provided that the host invites every party")]


def test_cue_covering_a_category_adds_no_other() -> None:
    found = default_conditions().find("They are ready to talk, but only if all troops are withdrawn... unless told otherwise.")
    assert "other" in {c.category for c in found}
    found = default_conditions().find("Ready to talk only if Kyiv accepts neutral status.")
    assert {c.category for c in found} == {"neutrality"}


def test_plain_sentence_has_no_conditions() -> None:
    assert default_conditions().find("The delegations met in Geneva on Tuesday.") == []


def test_condition_text_is_the_shortest_span() -> None:
    found = default_conditions().find("He called for talks without any preconditions at all.")
    assert [(c.category, c.text) for c in found] == [("no_preconditions", "without any preconditions")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("categories:\n  wishes: ['x']\n", ":2: categories: 'wishes' is not a codebook category"),
        ("categories:\n  deadline: ['(unclosed']\n", ":2: categories.deadline: bad regular expression"),
        ("categories:\n  deadline: []\n", ":2: categories.deadline: expected a non-empty list"),
        ("colour: red\ncategories:\n  deadline: ['x']\n", ":1: unknown key(s) ['colour']"),
    ],
)
def test_bad_lexicon_names_file_line_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "conditions.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        ConditionLexicon.load(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)
