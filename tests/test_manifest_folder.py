"""A bare folder of texts is a corpus: each visible file one source, named by its stem, dated from its text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.documents import load_corpus
from etl.folder import FOLDER_OUTLET, manifest_from_folder
from etl.sources import PlannedSource, plan_sources

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "datasets" / "sources"

DATED = "Published: 2024-05-25\n\nThe minister said on Tuesday that talks could resume.\n"
UNDATED = "The minister said on Tuesday that talks could resume. Kyiv refused.\n"


def test_a_folder_becomes_one_source_per_visible_file_named_by_its_stem(tmp_path):
    for name in ("b.txt", "a story.md", ".hidden", "c"):
        (tmp_path / name).write_text(UNDATED + name, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text(UNDATED, encoding="utf-8")
    manifest = manifest_from_folder(tmp_path)
    assert manifest.folder == tmp_path and manifest.file == tmp_path
    planned = list(plan_sources(manifest))
    assert all(isinstance(item, PlannedSource) for item in planned)
    assert [(item.doc_id, item.location) for item in planned] == [("a_story", "a story.md"), ("b", "b.txt"), ("c", "c")]


def test_dates_come_from_the_text_when_stated_else_they_are_unknown(tmp_path):
    (tmp_path / "dated.txt").write_text(DATED, encoding="utf-8")
    (tmp_path / "undated.txt").write_text(UNDATED, encoding="utf-8")
    documents, rejections = load_corpus(tmp_path)
    assert rejections == []
    dated, undated = (loaded.document for loaded in documents)
    assert (dated.doc_id, dated.source_published, dated.published_basis) == ("dated", dt.date(2024, 5, 25), "text")
    assert (undated.doc_id, undated.source_published, undated.published_basis) == ("undated", None, "unknown")
    assert {dated.source_name, undated.source_name} == {FOLDER_OUTLET}
    assert undated.notes == f"read from the folder {tmp_path} without a manifest"


def test_a_folder_holding_a_manifest_is_read_through_it():
    documents, rejections = load_corpus(BUNDLED)
    assert rejections == []
    assert [loaded.document.published_basis for loaded in documents] == ["manifest"] * 5


def test_the_seed_folder_loads_without_a_manifest():
    documents, rejections = load_corpus(BUNDLED / "seeds")
    assert rejections == []
    assert [loaded.document.doc_id for loaded in documents] == sorted(p.stem for p in (BUNDLED / "seeds").glob("*.txt"))


def test_an_empty_folder_is_one_named_rejection(tmp_path):
    documents, rejections = load_corpus(tmp_path)
    assert documents == []
    assert [(r.doc_id, r.reason) for r in rejections] == [("folder", "no_match")]


def test_a_missing_sources_path_names_itself(tmp_path):
    with pytest.raises(ValueError, match="nowhere"):
        load_corpus(tmp_path / "nowhere")
