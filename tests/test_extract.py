"""Regression suite of the coder: sentences written for these tests, each with its expected coding.

Each case is a short text, its publication date, and the (actor, action, target) triples
that must be coded; `absent` lists triples that must not be. Conditions and dates are
checked where the case is about them. Never copy seed or development sentences here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from etl.documents import load_text_file
from etl.extract import extract_mentions
from etl.models import EventMention
from etl.schema import build_schema

PUBLISHED = dt.date(2024, 6, 14)  # a Friday


def code(tmp_path: Path, text: str, published: dt.date = PUBLISHED) -> list[EventMention]:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return extract_mentions(load_text_file(path, published=published, source_name="Test Wire"))


def triples(mentions: list[EventMention]) -> set[tuple[str, str, str | None]]:
    return {(m.actor_code, m.action_code, m.target_code) for m in mentions}


CASES = [
    # an article between the appeal verb and the addressee
    ("The Indian prime minister encouraged the European leaders to talk to Beijing.",
     {("INDGOV", "026", "EUR")}, set()),
    ("The Kremlin said it would carefully review the peace proposal.", {("RUSGOV", "014", None)}, set()),
    ("The Brazilian president said he looked forward to meeting Xi Jinping.", {("BRAGOV", "036", "CHNGOV")}, set()),
    # intent to negotiate, reported speech: the reported party acts
    ("Kremlin spokesman Dmitry Peskov said Russia remains open to talks with Ukraine.",
     {("RUSGOV", "036", "UKRGOV")}, set()),
    ("The Chinese foreign minister said Beijing was willing to host negotiations between the two sides.",
     {("CHNGOV", "039", None)}, set()),
    # negation turns intent into refusal
    ("Ukraine's foreign minister said Kyiv was not ready to negotiate with Moscow.",
     {("UKRGOV", "125", "RUSGOV")}, {("UKRGOV", "036", "RUSGOV")}),
    ("The Kremlin ruled out any talks with the government in Kyiv.",
     {("RUSGOV", "125", "UKRGOV")}, set()),
    # appeals with compound targets
    ("Chinese President Xi Jinping urged Russia and Ukraine to resume peace talks.",
     {("CHNGOV", "026", "RUSGOV"), ("CHNGOV", "026", "UKRGOV")}, set()),
    ("Pope Francis called for a ceasefire between Russia and Ukraine.",
     {("VATGOV", "0256", "RUSGOV"), ("VATGOV", "0256", "UKRGOV")}, set()),
    # compound actors
    ("Emmanuel Macron and Olaf Scholz called on Vladimir Putin to agree to a ceasefire.",
     {("FRAGOV", "0256", "RUSGOV"), ("DEUGOV", "0256", "RUSGOV")}, set()),
    # consultations
    ("Turkish President Recep Tayyip Erdogan hosted Vladimir Putin in Ankara.",
     {("TURGOV", "043", "RUSGOV")}, set()),
    ("Indian Prime Minister Narendra Modi met Volodymyr Zelensky on the sidelines of the summit.",
     {("INDGOV", "044", "UKRGOV")}, set()),
    # disapproval
    ("Vladimir Putin accused the West of prolonging the war.", {("RUSGOV", "112", "WST")}, set()),
    ("NATO Secretary General Jens Stoltenberg condemned Russia for the strikes.",
     {("IGOWSTNAT", "111", "RUSGOV")}, set()),
    # a criticism about another's stance is not that party's intent
    ("Zelensky said he saw no sign that Moscow wanted to negotiate.",
     {("UKRGOV", "111", "RUSGOV")}, {("RUSGOV", "036", "UKRGOV")}),
    # material conflict and sanctions
    ("The European Union imposed new sanctions on Russia.", {("IGOEUREEC", "163", "RUSGOV")}, set()),
    # passive voice: the agent acts
    ("The offer of talks was rejected by Moscow.", {("RUSGOV", "125", "UKRGOV")}, set()),
    # hypotheticals and analysts are not events
    ("If Russia agreed to a truce, the fighting would stop.", set(), {("RUSGOV", "0356", "UKRGOV")}),
    ("Analysts said the talks were unlikely to resume soon.", set(), set()),
    # a country that only labels a war is no target
    ("Narendra Modi urged Vladimir Putin to end the Ukraine conflict.",
     {("INDGOV", "0256", "RUSGOV")}, {("INDGOV", "0256", "UKRGOV"), ("INDGOV", "0256", "UKR")}),
    # hyphenated durations do not use up the words a pattern may skip
    ("Emmanuel Macron called on Vladimir Putin to accept a 30-day ceasefire.", {("FRAGOV", "0256", "RUSGOV")}, set()),
    # "a proposal from X" names the proposer, the target of the rejection
    ("The Kremlin rejected the proposal from France and Germany.",
     {("RUSGOV", "120", "FRAGOV"), ("RUSGOV", "120", "DEUGOV")}, set()),
    # hosting a visitor at a place
    ("Joe Biden welcomed Volodymyr Zelensky at the White House.", {("USAGOV", "043", "UKRGOV")}, {("USAGOV", "051", "UKRGOV")}),
    ("Recep Tayyip Erdogan expressed optimism about a peace deal.", {("TURGOV", "013", None)}, set()),
    ("The United States hit China with new tariffs.", {("USAGOV", "163", "CHNGOV")}, set()),
    ("The Indian foreign ministry called the new tariffs unjustified.", {("INDGOV", "111", None)}, set()),
    # a light verb makes the noun the act
    ("Sergei Lavrov issued an ultimatum to Kyiv.", {("RUSGOV", "139", "UKRGOV")}, set()),
    # "the two leaders" are the last two parties named, each acting towards the other
    ("Xi Jinping received Lula in Beijing. The two leaders held talks on the war.",
     {("CHNGOV", "046", "BRAGOV"), ("BRAGOV", "046", "CHNGOV")}, set()),
    # an intent stated by two parties together is aimed at each other
    ("Norway and Ukraine will convene a peace conference next month, the two governments said.",
     {("NORGOV", "036", "UKRGOV"), ("UKRGOV", "036", "NORGOV")}, set()),
    ("Russian diplomats postponed the meeting with the Qatari mediators.", {("RUSGOV", "164", None)}, set()),
    ("Kyiv accepted the U.S. proposal for a 30-day truce.", {("UKRGOV", "0356", "USAGOV")}, set()),
]


@pytest.mark.parametrize(("text", "expected", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_coding(tmp_path: Path, text: str, expected: set, absent: set) -> None:
    found = triples(code(tmp_path, text))
    assert expected <= found, f"missing {expected - found}; coded {found}"
    assert not (absent & found), f"coded {absent & found}"
    if not expected:
        assert not {t for t in found if t[1][:2] in ("03", "02")}, found


def test_force_by_a_state_is_coded_as_its_military(tmp_path: Path) -> None:
    actors = {(m.actor_code, m.action_root) for m in code(tmp_path, "Russia bombed the port of Mykolaiv on Tuesday.")}
    assert ("RUSMIL", "19") in actors and ("RUSGOV", "19") not in actors


def test_an_otherwise_sentence_aims_the_threat_and_adds_its_terms_to_the_appeal(tmp_path: Path) -> None:
    text = ("Emmanuel Macron called on Vladimir Putin to accept a ceasefire. "
            "Otherwise, France would increase the pressure with sanctions.")
    mentions = code(tmp_path, text)
    assert ("FRAGOV", "1312", "RUSGOV") in triples(mentions)
    [appeal] = [m for m in mentions if m.action_code == "0256"]
    assert "sanctions" in {c.category for c in appeal.conditions}


def test_pronoun_in_quote_resolves_to_the_speaker(tmp_path: Path) -> None:
    mentions = code(tmp_path, 'Vladimir Putin spoke to reporters in Minsk.\n"We are open to negotiations," he said.')
    assert ("RUSGOV", "036", "UKRGOV") in triples(mentions)


def test_conditions_are_attached_and_carried_to_the_next_sentence(tmp_path: Path) -> None:
    text = ("Sergei Lavrov said Moscow was ready for negotiations without preconditions. "
            "But he added that any deal must recognise the new territorial realities.")
    [mention] = [m for m in code(tmp_path, text) if m.action_code == "036"]
    assert {c.category for c in mention.conditions} == {"no_preconditions", "territorial_realities"}
    assert len(mention.evidence) == 2


def test_dated_roles_follow_the_publication_date(tmp_path: Path) -> None:
    text = "Donald Trump called for an immediate ceasefire in Ukraine."
    assert ("USAELI", "0256") in {(m.actor_code, m.action_code) for m in code(tmp_path, text, dt.date(2024, 6, 1))}
    assert ("USAGOV", "0256") in {(m.actor_code, m.action_code) for m in code(tmp_path, text, dt.date(2025, 6, 1))}


def test_event_date_comes_from_the_sentence(tmp_path: Path) -> None:
    [mention] = code(tmp_path, "On Tuesday, Sergei Lavrov said Russia was ready for talks with Ukraine.")
    assert (mention.event_date, mention.date_precision) == (dt.date(2024, 6, 11), "day")
    assert mention.date_text != "publication"


def test_undated_event_falls_back_to_the_publication_week(tmp_path: Path) -> None:
    [mention] = code(tmp_path, "Sergei Lavrov said Russia was ready for talks with Ukraine.")
    assert (mention.event_date, mention.event_date_end, mention.date_precision, mention.date_text) == (
        PUBLISHED - dt.timedelta(days=7), PUBLISHED, "week", "publication")


def test_same_statement_in_two_sentences_is_one_mention(tmp_path: Path) -> None:
    text = "Peskov said Russia was open to dialogue with Ukraine. Russia remains ready for talks, Peskov added."
    mentions = [m for m in code(tmp_path, text) if m.action_code == "036"]
    assert len(mentions) == 1 and len(mentions[0].evidence) == 2


def test_evidence_offsets_point_into_the_cleaned_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Headline\n\nKremlin spokesman Dmitry Peskov said Russia remains open to talks.", encoding="utf-8")
    loaded = load_text_file(path, published=PUBLISHED)
    for mention in extract_mentions(loaded):
        for span in mention.evidence:
            assert loaded.text[span.start : span.end] == span.text


def test_output_is_deterministic_and_valid_against_the_mentions_schema(tmp_path: Path) -> None:
    text = " ".join(c[0] for c in CASES)
    first = [m.model_dump(mode="json") for m in code(tmp_path, text)]
    second = [m.model_dump(mode="json") for m in code(tmp_path, text)]
    assert first == second and first
    validator = Draft202012Validator(build_schema("mentions"))
    for record in first:
        assert not list(validator.iter_errors(record))
