"""Reruns code only what changed, and the degree of parallelism never changes the output.

A run keeps the mentions of every document it coded in its work folder, keyed by the
document's content and by a fingerprint of the coder; the next run with that folder codes
only new or changed documents and must publish exactly what a run from scratch publishes.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polars as pl
import pytest

from dagster_project.defs.resources import ParleyCoding
from dagster_project.run import run_pipeline
from etl.documents import load_corpus
from etl.extract import extract_mentions
from etl.mention_cache import KEY, MentionCache, coder_fingerprint, coder_modules, document_key
from etl.parallel import batches, extract_corpus

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "datasets" / "sources"
DATA_FILES = ("events.parquet", "mentions.parquet", "documents.parquet", "rejections.parquet", "deletions.parquet")


def _data_hashes(release: Path) -> dict[str, str]:
    return {name: hashlib.sha256((release / name).read_bytes()).hexdigest() for name in DATA_FILES}


@pytest.fixture(scope="module")
def seeds() -> list:
    loaded, rejections = load_corpus(SEEDS / "manifest.yaml")
    assert loaded and not rejections
    return loaded


def test_two_workers_and_any_batch_size_give_what_one_process_gives(seeds):
    alone = [extract_mentions(item) for item in seeds]
    assert sum(map(len, alone)) > 10
    assert list(extract_corpus(seeds, workers=1, batch_size=2)) == alone
    assert list(extract_corpus(iter(seeds), workers=2, batch_size=1)) == alone


def test_batches_cover_the_input_in_order():
    assert list(batches(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches([], 3)) == []
    with pytest.raises(ValueError, match="at least 1"):
        next(extract_corpus([], workers=0))


def test_a_document_key_follows_its_text_and_record(seeds):
    item = seeds[0]
    assert document_key(item) == document_key(item)
    changed_text = type(item)(item.document, item.text + " ", item.sentences)
    changed_date = type(item)(item.document.model_copy(update={"source_published": None}), item.text, item.sentences)
    assert len({document_key(item), document_key(changed_text), document_key(changed_date)}) == 3
    assert len(coder_fingerprint()) == 16


def test_the_fingerprint_covers_the_coder_and_nothing_downstream():
    modules = set(coder_modules())
    assert {"extract", "roles", "patterns", "conditions", "dates", "actors", "nlp", "models"} <= modules
    assert not {"resolve", "release", "mention_cache", "parallel"} & modules


def test_the_cache_keeps_one_coder_and_survives_a_broken_file(tmp_path):
    frame = pl.DataFrame({"mention_id": ["a", "b"], KEY: ["k1", "k2"]})
    old = MentionCache(tmp_path, "old")
    old.save(["k1", "k2", "k3"], frame)
    assert old.load(frame.clear()).keys == {"k1", "k2", "k3"}
    assert old.load(frame.clear()).mentions.equals(frame)
    new = MentionCache(tmp_path, "new")
    assert new.load(frame.clear()).keys == frozenset()
    new.save(["k1"], frame.head(1))
    assert [p.name for p in tmp_path.iterdir()] == ["new"]
    (tmp_path / "new" / "mentions.parquet").write_bytes(b"not parquet")
    broken = new.load(frame.clear())
    assert broken.keys == frozenset() and broken.mentions.height == 0


@pytest.mark.integration
def test_a_rerun_codes_only_new_documents_and_publishes_what_a_fresh_run_does(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    manifest = corpus / "manifest.yaml"
    work = tmp_path / "work"
    coding = ParleyCoding(workers=1)

    first = run_pipeline(manifest, tmp_path / "releases", "1.0.0", work_dir=work, coding=coding, echo=lambda _: None)
    assert first.ok and (first.documents_coded, first.documents_reused) == (5, 0)

    unchanged = run_pipeline(manifest, tmp_path / "releases", "1.1.0", work_dir=work, coding=coding, echo=lambda _: None)
    assert unchanged.ok and (unchanged.documents_coded, unchanged.documents_reused) == (0, 5)
    assert _data_hashes(tmp_path / "releases" / "v1.1.0") == _data_hashes(tmp_path / "releases" / "v1.0.0")

    seed = next((corpus / "seeds").glob("*.txt"))
    (corpus / "seeds" / "added.txt").write_text(seed.read_text(encoding="utf-8").replace("Putin", "Vladimir Putin"), encoding="utf-8")
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + "  - id: added\n    path: seeds/added.txt\n    outlet: Test Wire\n    published: '2024-06-01'\n",
        encoding="utf-8",
    )
    grown = run_pipeline(manifest, tmp_path / "releases", "1.2.0", work_dir=work, coding=coding, echo=lambda _: None)
    assert grown.ok and (grown.documents_coded, grown.documents_reused) == (1, 5)

    fresh = run_pipeline(manifest, tmp_path / "fresh", "1.2.0", work_dir=tmp_path / "fresh-work", coding=coding, echo=lambda _: None)
    assert fresh.ok and fresh.documents_coded == 6
    assert _data_hashes(tmp_path / "releases" / "v1.2.0") == _data_hashes(tmp_path / "fresh" / "v1.2.0")

    recoded = run_pipeline(
        manifest, tmp_path / "releases", "1.3.0", work_dir=work, coding=ParleyCoding(workers=1, reuse_coded=False), echo=lambda _: None
    )
    assert recoded.ok and (recoded.documents_coded, recoded.documents_reused) == (6, 0)
    assert _data_hashes(tmp_path / "releases" / "v1.3.0") == _data_hashes(tmp_path / "fresh" / "v1.2.0")
