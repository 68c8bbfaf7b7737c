"""Sentence segmentation of cleaned text, with character offsets.

Evidence spans are sentence offsets into the cleaned text, so segmentation must be
exact about offsets and stable across runs. spaCy's rule-based sentencizer on a blank
English pipeline gives that without a trained model (nothing to download, nothing
that changes between model versions), and its tokenizer knows abbreviations such as
"U.S." and "Mr." that a hand-written regex would split on. Line breaks are hard
boundaries on top of that: in news pages a headline, a byline or a dateline sits on
its own line and rarely ends with a full stop.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

# Text is handed to spaCy in blocks of whole lines of about this size: large enough to
# keep per-call overhead negligible, small enough to stay far below spaCy's max_length.
_BLOCK_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**8
    return nlp


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Split at line breaks into blocks of about _BLOCK_CHARS; a line is never cut."""
    start = 0
    while start < len(text):
        end = start + _BLOCK_CHARS
        if end >= len(text):
            end = len(text)
        else:
            cut = text.rfind("\n", start, end)
            if cut == -1:
                cut = text.find("\n", end)
            end = len(text) if cut == -1 else cut + 1
        yield start, text[start:end]
        start = end


def _stripped(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end]) if end > start else None


def segment(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, without overlap, each stripped of surrounding whitespace."""
    sentences: list[Sentence] = []
    blocks = list(_blocks(text))
    for (offset, _), doc in zip(blocks, _nlp().pipe(block for _, block in blocks)):
        for span in doc.sents:
            start, end = offset + span.start_char, offset + span.end_char
            cut = text.find("\n", start, end)
            while cut != -1:
                sentence = _stripped(text, start, cut)
                if sentence is not None:
                    sentences.append(sentence)
                start = cut + 1
                cut = text.find("\n", start, end)
            sentence = _stripped(text, start, end)
            if sentence is not None:
                sentences.append(sentence)
    return sentences
