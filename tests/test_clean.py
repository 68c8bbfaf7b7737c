import unicodedata
from pathlib import Path

import pytest

from etl.clean import LINE_RULES, TAIL_RULES, CleanText, clean

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "sources" / "seeds"

# Per seed: furniture that must be gone, and news text that must survive.
GONE = {
    "000_952f3988412a1fbc": ["source site-34"],
    "001_3503fa3ca202dff6": [
        "Home SECURITY & DEFENCE",
        "Click here for more News",
        "_____",
        "YouTube:",
        "youtube.com",
        "You may also like",
        "Leave a Comment",
        "EU Today brings you the latest news",
        "Editors' Picks",
        "Latest Posts",
        "Putin’s Approval: War Begins to Strain Public Confidence",
    ],
    "002_972089927f84bf4a": ["More news"],
    "003_53f2a08e55973b2a": ["KEYSTONE", "Show more", "pic.twitter.com", "(@Scavino47)", "(@East_Calling)", "🈁"],
    "004_8235ea2f9a28f427": ["- News"],
}
KEPT = {
    "000_952f3988412a1fbc": [
        "Signals for everyone: Does Putin want to negotiate?",
        "“We have never rejected negotiations,” he said",
        "By the way, this is the reason why Ukraine is currently rejecting negotiations.",
    ],
    "001_3503fa3ca202dff6": [
        "Putin’s Mixed Signals on Ukraine Talks: A Strategic Play or Genuine Diplomacy?\n\nby EUToday Correspondents",
        "Putin’s Diplomatic Façade: A Strategy to Mask Continued Aggression Against Ukraine",
        "while continuing his aggressive actions against Ukraine.",
    ],
    "002_972089927f84bf4a": [
        "Jesus Carames\n\nMay 25, 2024 | 4:03 p.m.",
        "«Putin currently has no desire to end his aggression against Ukraine.",
        "Putin insisted that any battlefield gains in a deal are non-negotiable, according to all sources.",
    ],
    "003_53f2a08e55973b2a": [
        "date 2025-05-11 Putin wants to negotiate: Is this a turn towards peace or another diversionary maneuver"
        " from the chief strategist in the Kremlin?\n\n",
        "And not the first one to be discussed.\n\n",
        "POTUS: “A potentially great day for Russia and Ukraine!",
        "It will be a whole new, and much better, WORLD.…”\n\n",
        "Peskov to CNN Source\n\nWell, if you look during the history",
        "We are open for dialogue.",
        "while Ukraine continues to resist conquest by Russia.",
    ],
    "004_8235ea2f9a28f427": [
        "Putin isn't against negotiations, but won't give up seized Ukrainian territories - media\nAccording to US",
        "- The United States believes that Ukraine",
    ],
}


def seed(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def assert_maps_back(raw: str, cleaned: CleanText) -> None:
    """Every cleaned character maps to the same raw character, or to raw whitespace if it is whitespace."""
    for index, char in enumerate(cleaned.text):
        source = raw[cleaned.to_raw(index)]
        assert source == char or (char.isspace() and source.isspace()), (index, char, source)
    positions = [cleaned.to_raw(i) for i in range(len(cleaned.text))]
    assert positions == sorted(positions)


@pytest.mark.parametrize("stem", sorted(GONE))
def test_seed_furniture_goes_and_news_stays(stem):
    raw = seed(stem)
    cleaned = clean(raw)
    for furniture in GONE[stem]:
        assert furniture in raw
        assert furniture not in cleaned.text, furniture
    for news in KEPT[stem]:
        assert news in cleaned.text, news
    assert_maps_back(raw, cleaned)


@pytest.mark.parametrize("stem", sorted(GONE))
def test_seed_cleaning_keeps_every_line_of_prose(stem):
    """Conservative: the end of every raw line that reads as a sentence survives.

    Only the end is compared because a line may lose a navigation trail or a stray
    pictograph at its start; lines of known furniture (a site's tagline) are skipped.
    """
    cleaned = clean(seed(stem)).text
    for line in seed(stem).splitlines():
        line = " ".join(line.split())
        furniture = any(known in line for known in GONE[stem])
        if not furniture and len(line.split()) >= 8 and line.rstrip("”\"’").endswith((".", "?", "!", ".…")):
            assert line[-60:] in cleaned, line


def test_seed_text_is_shaped_as_paragraphs():
    cleaned = clean(seed("001_3503fa3ca202dff6")).text
    assert cleaned.startswith("Putin’s Mixed Signals")
    assert "\n\n\n" not in cleaned
    assert not cleaned.endswith("\n")
    assert "  " not in cleaned


def test_line_endings_whitespace_and_paragraphs():
    raw = "  Title here \r\nBy Jane\u00a0\u00a0Doe\r\n\r\n\r\n First\tparagraph  goes on.\rSecond line.\n \n\nLast."
    cleaned = clean(raw)
    assert cleaned.text == "Title here\nBy Jane Doe\n\nFirst paragraph goes on.\nSecond line.\n\nLast."
    assert_maps_back(raw, cleaned)


def test_invisible_characters_and_pictographs_are_removed_text_is_not():
    raw = "Zero\u200bwidth, soft\u00adhyphen, \ufeffBOM, 🈁emoji 👍🏽 and ✅ marks; café “quotes” – ‘kept’ °C €5 №3."
    cleaned = clean(raw)
    assert cleaned.text == "Zerowidth, softhyphen, BOM, emoji and marks; café “quotes” – ‘kept’ °C €5 №3."
    assert_maps_back(raw, cleaned)


def test_nfc_composes_and_maps_to_the_base_character():
    raw = "Cafe\u0301 in Zu\u0308rich.\nPlain line."
    cleaned = clean(raw)
    assert cleaned.text == "Café in Zürich.\nPlain line."
    assert unicodedata.is_normalized("NFC", cleaned.text)
    assert raw[cleaned.to_raw(cleaned.text.index("é"))] == "e"
    assert raw[cleaned.to_raw(cleaned.text.index("P"))] == "P"
    assert cleaned.to_raw(cleaned.text.index(" in")) == raw.index(" in")


def test_span_to_raw_covers_the_raw_text_of_a_span():
    raw = "Home | World\n\nPutin  said   on Tuesday\u200b that talks could resume. KEYSTONE\n\nLeave a Comment"
    cleaned = clean(raw)
    assert cleaned.text == "Putin said on Tuesday that talks could resume."
    start, end = cleaned.span_to_raw(0, len(cleaned.text))
    assert raw[start:end] == "Putin  said   on Tuesday\u200b that talks could resume."
    assert cleaned.to_raw(len(cleaned.text)) == end
    with pytest.raises(IndexError):
        cleaned.to_raw(len(cleaned.text) + 1)


@pytest.mark.parametrize(
    "line",
    [
        "______________________",
        "- - - - -".replace(" ", ""),
        "source site-7",
        "Click here for more News & Current Affairs at Some Site",
        "You might also like:",
        "Read more",
        "Related articles",
        "Editor’s Picks",
        "Share this article",
        "Advertisement",
        "Home | Politics | Europe",
        "Telegram: @some_channel",
        "https://example.com/some/page",
        "Example Daily brings you the latest news from the region.",
        "News",
    ],
)
def test_furniture_lines_are_dropped(line):
    assert clean(f"The talks resumed on Monday.\n{line}\nBoth sides agreed.").text == "The talks resumed on Monday.\nBoth sides agreed."


@pytest.mark.parametrize(
    "line",
    [
        "Home Secretary James Cleverly said the talks would resume.",
        "Readers can click here, the minister joked, but the talks are over.",
        "More news is expected after the summit on Friday.",
        "The comments came after the meeting.",
        "Russia shares a long border with Ukraine.",
        "He wrote on X: we will never surrender.",
        "“We are ready,” Putin said — according to TASS (@tass_agency) he repeated it.",
        "NATO allies met in Brussels. The USA and UK joined them.",
    ],
)
def test_lines_of_news_are_kept(line):
    raw = f"The talks resumed on Monday.\n{line}\nBoth sides agreed."
    assert clean(raw).text == raw


def test_embedded_post_keeps_the_statement_and_drops_the_attribution():
    raw = (
        "Zelensky wrote:\n"
        "“We are ready for a ceasefire.\n"
        "But not at any price.” pic.twitter.com/AbC123xyz — Volodymyr Zelensky (@ZelenskyyUa) March 3, 2025\n"
        "The Kremlin did not respond."
    )
    assert clean(raw).text == (
        "Zelensky wrote:\n“We are ready for a ceasefire.\nBut not at any price.”\nThe Kremlin did not respond."
    )


def test_an_embed_that_is_only_attribution_leaves_nothing():
    raw = "Talks resumed.\n\npic.twitter.com/AbC123 — Some One (@someone) May 1, 2024\n\nBoth sides agreed."
    assert clean(raw).text == "Talks resumed.\n\nBoth sides agreed."


def test_tails_are_cut_only_after_a_finished_sentence():
    assert clean("Talks resumed. Show more").text == "Talks resumed."
    assert clean("Was it a feint? REUTERS").text == "Was it a feint?"
    assert clean("Click the button to show more").text == "Click the button to show more"
    assert clean("He met the head of NATO").text == "He met the head of NATO"


def test_a_navigation_trail_before_a_repeated_headline_is_dropped():
    raw = "Home WORLD NEWS Putin offers talks without preconditions\n\nPutin offers talks without preconditions\n\nBody."
    assert clean(raw).text == "Putin offers talks without preconditions\n\nBody."


def test_footer_teasers_go_only_when_furniture_follows():
    with_footer = "Putin spoke.\n\nAnother Story About Talks\n\nRead more\n\nLatest Posts"
    assert clean(with_footer).text == "Putin spoke."
    without_footer = "Putin spoke.\n\nWhat Comes Next"
    assert clean(without_footer).text == without_footer


def test_empty_and_furniture_only_texts_clean_to_nothing():
    for raw in ("", "   \n\n \t", "Leave a Comment\n\nLatest Posts"):
        cleaned = clean(raw)
        assert cleaned.text == ""
        assert cleaned.to_raw(0) == 0


def test_rules_are_named_and_explained():
    names = [rule.name for rule in LINE_RULES + TAIL_RULES]
    assert len(names) == len(set(names))
    assert all(len(rule.why) > 20 for rule in LINE_RULES + TAIL_RULES)
