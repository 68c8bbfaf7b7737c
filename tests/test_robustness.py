"""One of each bad input beside the five seed articles: every bad file is rejected by name, the rest load.

The corpus (tests/bad_corpus.py) is built at test time in tmp_path as a bare folder,
the way a user would hand Parley a folder of texts.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from bad_corpus import (
    ARTICLE,
    BAD,
    DECODED,
    HTML_ARTICLE,
    HTML_STUB,
    SEEDS,
    build_corpus,
)

from etl.documents import load_corpus
from etl.html import NoArticleText, article, looks_like_html
from etl.manifest import load_manifest
from etl.sources import RawDocument, Rejection, read_sources


def test_every_bad_input_is_rejected_by_name_and_every_good_one_loads(tmp_path):
    documents, rejections = load_corpus(build_corpus(tmp_path / "corpus"))

    assert {r.doc_id: r.reason for r in rejections} == {Path(name).stem: reason for name, reason in BAD.items()}
    assert all(r.detail and r.location == f"{r.doc_id}{Path(r.location).suffix}" for r in rejections)
    by_id = {loaded.document.doc_id: loaded for loaded in documents}
    seeds = {path.stem for path in SEEDS.glob("*.txt")}
    assert seeds <= set(by_id) and len(seeds) == 5
    assert set(by_id) - seeds == {"latin1", "cp1252", "utf16", "page"}
    for name, text in DECODED.items():
        assert by_id[Path(name).stem].text == text
    page = by_id["page"].text
    assert "realities on the ground" in page and "no negotiations under pressure" in page
    assert "Subscribe" not in page and "Politics" not in page
    dated = by_id["page"].document
    assert (dated.source_published, dated.published_basis) == (dt.date(2024, 3, 14), "text")
    details = {r.doc_id: r.detail for r in rejections}
    assert details["seed_copy"] == details["seed_as_utf16"] == f"same text as {min(seeds)}"
    assert "50000000 bytes" in details["huge"]


def test_the_size_limit_is_a_setting(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(ARTICLE, encoding="utf-8")
    assert len(load_corpus(corpus)[0]) == 1
    documents, rejections = load_corpus(corpus, max_file_bytes=100)
    assert documents == []
    assert [(r.doc_id, r.reason) for r in rejections] == [("story", "too_large")]
    assert "cap of 100" in rejections[0].detail


def test_a_file_that_vanishes_between_listing_and_reading_is_rejected_and_the_rest_read(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Text {name}.", encoding="utf-8")
    manifest_path = tmp_path / "manifest.yaml"
    manifest_path.write_text("version: 1\nsources:\n  - id: all\n    glob: '*.txt'\n    outlet: Wire\n", encoding="utf-8")
    items = read_sources(load_manifest(manifest_path))
    first = next(items)
    os.unlink(tmp_path / "b.txt")
    rest = list(items)
    assert isinstance(first, RawDocument) and first.doc_id == "all:a"
    vanished, last = rest
    assert isinstance(vanished, Rejection)
    assert (vanished.doc_id, vanished.reason) == ("all:b", "vanished")
    assert vanished.detail == "b.txt was listed but was gone when it was read"
    assert str(tmp_path) not in vanished.detail
    assert isinstance(last, RawDocument) and last.content == b"Text c.txt."


def test_html_is_recognised_by_its_opening_or_its_media_type_and_reduced_to_its_article():
    assert looks_like_html(HTML_ARTICLE)
    assert looks_like_html("<!-- cached -->\n<HTML lang=en><p>x</p>")
    assert looks_like_html("<p>fragment</p>", "text/html")
    assert not looks_like_html("He wrote <html> in a sentence.")
    assert not looks_like_html("<p>fragment</p>", "text/plain")
    assert not looks_like_html("Plain prose a server called HTML.", "text/html")
    page = article(HTML_ARTICLE)
    assert page.text.startswith("Minister signals readiness for talks\n")
    assert page.published == dt.date(2024, 3, 14)
    assert article(HTML_ARTICLE.replace("2024-03-14T09:30:00+00:00", "")).published is None
    with pytest.raises(NoArticleText, match="fewer than"):
        article(HTML_STUB)
