"""Regression cases for the conditions and the event date the coder attaches to an event.

Sentences written for these tests (never copied from the seeds or the development set). Each case is
a short text, its publication date, the event it is about (actor code and action root), and the
condition categories and the date interval that event must carry (codebook sections 5 and 6).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.documents import load_text_file
from etl.extract import extract_mentions
from etl.models import EventMention

PUBLISHED = dt.date(2024, 6, 14)  # a Friday
WEEK = (dt.date(2024, 6, 7), PUBLISHED, "week")  # the codebook's fallback: no cue
PEACE = "Kremlin spokesman Dmitry Peskov said Russia remains open to talks with Ukraine"


def code(tmp_path: Path, text: str, published: dt.date = PUBLISHED) -> list[EventMention]:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return extract_mentions(load_text_file(path, published=published, source_name="Test Wire"))


def event(mentions: list[EventMention], actor: str, root: str) -> list[EventMention]:
    found = [m for m in mentions if m.actor_code == actor and m.action_root == root]
    assert found, f"no {actor} {root} event in {[(m.actor_code, m.action_code) for m in mentions]}"
    return found


def categories(mentions: list[EventMention]) -> set[str]:
    return {c.category for m in mentions for c in m.conditions}


# (text, actor, root, condition categories of the event)
CONDITION_CASES = [
    # territorial_realities
    ("The Kremlin said Russia was ready to negotiate, but only on the basis of the new territorial realities.",
     "RUSGOV", "03", {"territorial_realities"}),
    ("The Kremlin said Russia was ready to negotiate, as long as Kyiv accepts the loss of four regions.",
     "RUSGOV", "03", {"territorial_realities"}),
    # withdrawal
    ("Ukraine's president said Kyiv was ready to negotiate once Russia withdraws its troops from all occupied regions.",
     "UKRGOV", "03", {"withdrawal"}),
    # end_incursion
    ("The Russian foreign minister said Moscow was open to talks once Ukrainian units leave the Kursk region.",
     "RUSGOV", "03", {"end_incursion"}),
    # ceasefire_first
    ("The German chancellor called for a ceasefire as a precondition for any negotiations.",
     "DEUGOV", "02", {"ceasefire_first"}),
    ("The Ukrainian president urged Russia to agree to a ceasefire, saying peace talks cannot succeed amid the shelling of cities.",
     "UKRGOV", "02", {"ceasefire_first"}),
    # talks_first
    (f"{PEACE}, but the root causes of the conflict must be addressed first.", "RUSGOV", "03", {"talks_first"}),
    # no_preconditions
    ("The Turkish president offered to host talks between Russia and Ukraine without preconditions.",
     "TURGOV", "03", {"no_preconditions"}),
    # no_rearmament
    ("The Kremlin said Russia was ready for a truce, but warned that Kyiv must not use any pause to rearm.",
     "RUSGOV", "03", {"no_rearmament"}),
    # security_guarantees
    ("Ukraine's president said Kyiv was ready for peace talks if it receives security guarantees from its allies.",
     "UKRGOV", "03", {"security_guarantees"}),
    # neutrality
    ("Russia's foreign minister demanded that Ukraine renounce its bid to join NATO.", "RUSGOV", "10", {"neutrality"}),
    # demilitarization
    ("The Kremlin demanded limits on the size of Ukraine's armed forces.", "RUSGOV", "10", {"demilitarization"}),
    # interlocutor
    ("The Kremlin said Moscow was ready for talks, but only with Washington.", "RUSGOV", "03", {"interlocutor"}),
    # legal_obstacle
    ("The Kremlin said Russia was ready to negotiate if Kyiv revokes the decree banning negotiations.",
     "RUSGOV", "03", {"legal_obstacle"}),
    # prior_framework
    ("Russia's foreign minister said Moscow was ready to negotiate on the basis of the Istanbul communique.",
     "RUSGOV", "03", {"prior_framework"}),
    # territorial_integrity
    ("The French president called on Russia to negotiate a peace that respects Ukraine's territorial integrity.",
     "FRAGOV", "02", {"territorial_integrity"}),
    # sanctions
    ("The Kremlin said Russia was ready to negotiate in exchange for the lifting of Western sanctions.",
     "RUSGOV", "03", {"sanctions"}),
    # deadline: a time limit, the start of a truce
    (f"{PEACE} and proposed a new round by the end of the month.", "RUSGOV", "03", {"deadline"}),
    ("Kremlin spokesman Dmitry Peskov said Russia was ready for a truce from Monday.", "RUSGOV", "03", {"deadline"}),
    # other: a cue whose clause fits no category
    ("Ukraine's president said Kyiv was ready for a ceasefire provided that Russia returns all prisoners of war.",
     "UKRGOV", "03", {"other"}),
    # no condition: an elapsed time is no deadline, "as long as necessary" no term
    (f"{PEACE}, less than 24 hours after the attack.", "RUSGOV", "03", set()),
    (f"{PEACE}, as long as necessary.", "RUSGOV", "03", set()),
    # the terms stated in the next sentence of the same statement belong to it
    (f"{PEACE}.\nThe talks would have to start within two weeks, he said.", "RUSGOV", "03", {"deadline"}),
    (("The Kremlin issued an ultimatum to Ukraine on Monday.\n"
     "\"Our proposals for the demilitarisation of Ukraine are well known,\" state media quoted the foreign minister as saying."),
     "RUSGOV", "13", {"demilitarization"}),
    (("Russia's foreign minister said Moscow was ready to negotiate with Kyiv.\n"
     "\"For us, the recognition of the new regions is not up for discussion,\" he added."),
     "RUSGOV", "03", {"territorial_realities"}),
    # a sentence that does not go on with the statement adds nothing
    (f"{PEACE}.\nAnalysts said the offer would be ridiculous if Russia negotiated with Kyiv under pressure.",
     "RUSGOV", "03", set()),
]


@pytest.mark.parametrize(("text", "actor", "root", "expected"), CONDITION_CASES)
def test_conditions_of_the_event(tmp_path: Path, text: str, actor: str, root: str, expected: set[str]) -> None:
    assert categories(event(code(tmp_path, text), actor, root)) == expected


def test_each_party_keeps_its_own_position(tmp_path: Path) -> None:
    mentions = code(tmp_path, "Ukraine and Russia are open to peace negotiations.\n"
                              "For Kyiv, a ceasefire is a precondition for this.\n"
                              "For Moscow, talks must come before any ceasefire.")
    assert categories(event(mentions, "UKRGOV", "03")) == {"ceasefire_first"}
    assert categories(event(mentions, "RUSGOV", "03")) == {"talks_first"}


def test_terms_in_a_relative_clause_on_another_party_are_not_the_actors(tmp_path: Path) -> None:
    mentions = code(tmp_path, "The Russian president welcomed the African peace initiative and encouraged the delegates "
                              "to talk to Kyiv, which refuses talks until Russian troops pull back.")
    assert "withdrawal" not in categories(event(mentions, "RUSGOV", "04"))


def test_a_threat_of_sanctions_has_no_sanctions_condition(tmp_path: Path) -> None:
    mentions = code(tmp_path, "Emmanuel Macron and Olaf Scholz called on Vladimir Putin to agree to a ceasefire.\n"
                              "Otherwise, they would impose new sanctions on Moscow.")
    assert "sanctions" in categories(event(mentions, "FRAGOV", "02"))
    assert "sanctions" not in categories([m for m in mentions if m.action_code.startswith("131")])


# (text, publication date, actor, root, start, end, precision)
DATE_CASES = [
    # explicit day, with and without a weekday; a yearless day is the latest on or before publication
    ("On May 25, 2023, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03",
     dt.date(2023, 5, 25), dt.date(2023, 5, 25), "day"),
    ("Kremlin spokesman Dmitry Peskov said on Tuesday, June 11, that Russia remains open to talks with Ukraine.",
     PUBLISHED, "RUSGOV", "03", dt.date(2024, 6, 11), dt.date(2024, 6, 11), "day"),
    ("On February 24th, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03",
     dt.date(2024, 2, 24), dt.date(2024, 2, 24), "day"),
    # weekday and relative day, counted back from publication
    ("Kremlin spokesman Dmitry Peskov said on Tuesday that Russia remains open to talks with Ukraine.", PUBLISHED,
     "RUSGOV", "03", dt.date(2024, 6, 11), dt.date(2024, 6, 11), "day"),
    ("Kremlin spokesman Dmitry Peskov said yesterday that Russia remains open to talks with Ukraine.", PUBLISHED,
     "RUSGOV", "03", dt.date(2024, 6, 13), dt.date(2024, 6, 13), "day"),
    # week, month, season, year, "a year ago", "a few months ago"
    ("Kremlin spokesman Dmitry Peskov said last week that Russia remains open to talks with Ukraine.", PUBLISHED,
     "RUSGOV", "03", dt.date(2024, 6, 3), dt.date(2024, 6, 9), "week"),
    ("In March, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03",
     dt.date(2024, 3, 1), dt.date(2024, 3, 31), "month"),
    ("In the fall of 2022, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03",
     dt.date(2022, 9, 1), dt.date(2022, 11, 30), "season"),
    (PEACE + " in 2022.", PUBLISHED, "RUSGOV", "03", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "year"),
    ("A year ago, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03",
     dt.date(2023, 6, 1), dt.date(2023, 6, 30), "month"),
    ("A few months ago, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03",
     dt.date(2024, 2, 14), dt.date(2024, 4, 14), "season"),
    # a span of days
    ("Russia and Ukraine held talks in Istanbul on May 16-17.", PUBLISHED, "RUSGOV", "04",
     dt.date(2024, 5, 16), dt.date(2024, 5, 17), "week"),
    # no cue: the week before publication
    (PEACE + ".", PUBLISHED, "RUSGOV", "03", *WEEK),
    # a cue that dates another occasion is no cue
    ("After the summit on Tuesday, " + PEACE[0].lower() + PEACE[1:] + ".", PUBLISHED, "RUSGOV", "03", *WEEK),
    ("Kremlin spokesman Dmitry Peskov, who visited Minsk in May, said Russia remains open to talks with Ukraine.",
     PUBLISHED, "RUSGOV", "03", *WEEK),
    # the start or time limit of what is proposed is a term, not the date of the statement
    ("Kremlin spokesman Dmitry Peskov said Russia was ready for a truce from Monday.", PUBLISHED, "RUSGOV", "03", *WEEK),
    (PEACE + " and proposed a meeting from June 20 to 30.", PUBLISHED, "RUSGOV", "03", *WEEK),
    # a dateline dates the document, not the event
    ("Updated June 12, 2024 at 10:15 AM\nUkraine's president said Kyiv was ready for peace talks.", PUBLISHED,
     "UKRGOV", "03", *WEEK),
    # an undated statement takes the date of the sentence that names its speaker with a date
    (("Chinese President Xi Jinping urged Russia and Ukraine to resume peace talks.\n"
     "Xi, speaking on Wednesday, said dialogue was the only way out of the war."), PUBLISHED, "CHNGOV", "02",
     dt.date(2024, 6, 12), dt.date(2024, 6, 12), "day"),
    # ... and otherwise the occasion the article's lead reports, when it lies in the week before publication
    (("MOSCOW – Russian President Vladimir Putin on Sunday hosted the Turkish president in Sochi.\n"
     "The Turkish president said Ankara was ready to host negotiations between the two sides."),
     dt.date(2024, 6, 10), "TURGOV", "03", dt.date(2024, 6, 9), dt.date(2024, 6, 9), "day"),
    # a lead date older than that week is not carried
    (("In 2022, Russian President Vladimir Putin hosted the Turkish president in Sochi.\n"
     "The Turkish president said Ankara was ready to host negotiations between the two sides."),
     PUBLISHED, "TURGOV", "03", *WEEK),
]


@pytest.mark.parametrize(("text", "published", "actor", "root", "start", "end", "precision"), DATE_CASES)
def test_date_of_the_event(
    tmp_path: Path, text: str, published: dt.date, actor: str, root: str, start: dt.date, end: dt.date, precision: str
) -> None:
    mentions = event(code(tmp_path, text, published), actor, root)
    assert {(m.event_date, m.event_date_end, m.date_precision) for m in mentions} == {(start, end, precision)}
