from pathlib import Path

import pytest

from etl import segment as segment_module
from etl.clean import clean
from etl.segment import Sentence, segment

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "sources" / "seeds"


def assert_well_formed(text: str, sentences: list[Sentence]) -> None:
    """In order, no overlap, exact slices without surrounding whitespace, no line break inside, nothing lost."""
    previous_end = 0
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end] == sentence.text.strip()
        assert "\n" not in sentence.text
        assert not text[previous_end : sentence.start].strip(), "text between sentences was skipped"
        previous_end = sentence.end
    assert not text[previous_end:].strip()


def test_sentences_with_offsets():
    text = "The U.S. said Mr. Smith left at 4 p.m. on Monday. Russia disagreed! Did it?"
    sentences = segment(text)
    assert [s.text for s in sentences] == [
        "The U.S. said Mr. Smith left at 4 p.m. on Monday.",
        "Russia disagreed!",
        "Did it?",
    ]
    assert sentences[1] == Sentence(50, 67, "Russia disagreed!")
    assert_well_formed(text, sentences)


def test_line_and_paragraph_breaks_are_hard_boundaries():
    text = "Putin wants to negotiate\nBy Jane Doe\nMay 25, 2024 | 4:03 p.m.\n\nThe talks, he said, would resume in\nIstanbul. Both sides agreed."
    assert [s.text for s in segment(text)] == [
        "Putin wants to negotiate",
        "By Jane Doe",
        "May 25, 2024 | 4:03 p.m.",
        "The talks, he said, would resume in",
        "Istanbul.",
        "Both sides agreed.",
    ]
    assert_well_formed(text, segment(text))


def test_quotes_stay_with_their_sentence():
    text = "Putin says: “Are we ready to negotiate? Absolutely.” He smiled."
    assert [s.text for s in segment(text)] == ["Putin says: “Are we ready to negotiate?", "Absolutely.”", "He smiled."]


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \n \n\t"])
def test_blank_text_has_no_sentences(text):
    assert segment(text) == []


def test_surrounding_whitespace_is_outside_the_offsets():
    text = "  First one.   Second one.  \n\n  Third  "
    sentences = segment(text)
    assert [(s.start, s.end) for s in sentences] == [(2, 12), (15, 26), (32, 37)]
    assert_well_formed(text, sentences)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seed_texts_segment_cleanly(path):
    text = clean(path.read_text(encoding="utf-8")).text
    sentences = segment(text)
    assert len(sentences) > 10
    assert_well_formed(text, sentences)


def test_long_text_is_processed_in_blocks_without_changing_the_result(monkeypatch):
    paragraph = "The minister said talks would resume. Kyiv refused\nA headline line\n\n"
    text = paragraph * 500
    whole = segment(text)
    monkeypatch.setattr(segment_module, "_BLOCK_CHARS", 1000)
    assert segment(text) == whole
    assert len(whole) == 1500
    assert_well_formed(text, whole)


def test_a_line_longer_than_a_block_is_not_cut(monkeypatch):
    monkeypatch.setattr(segment_module, "_BLOCK_CHARS", 50)
    text = "Short line.\n" + "This is one long sentence that goes on " * 5 + "and ends.\nTail."
    sentences = segment(text)
    assert [s.text for s in sentences][0::2] == ["Short line.", "Tail."]
    assert len(sentences) == 3
    assert_well_formed(text, sentences)
