"""Planning and reading local sources: globs, doc ids, size caps and named failures (HTTP is in test_sources_http)."""

import textwrap
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from etl.sources import PlannedSource, SourceUnavailable, plan_sources, read_file


def write_manifest(folder: Path, sources: str) -> Path:
    path = folder / "manifest.yaml"
    path.write_text("version: 1\ndefaults:\n  outlet: Test\nsources:\n" + textwrap.indent(textwrap.dedent(sources), "  "))
    return path


def test_glob_expansion_is_sorted_and_names_documents(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("b.txt", "a.txt", "c one.txt", "skip.md"):
        (folder / name).write_text(name)
    (folder / "sub.txt").mkdir()
    manifest = load_manifest(
        write_manifest(
            tmp_path,
            """
            - id: batch
              glob: texts/*.txt
            - id: bare
              glob: texts/[ab].txt
              id_from: stem
            """,
        )
    )
    planned = list(plan_sources(manifest))
    assert all(isinstance(item, PlannedSource) for item in planned)
    assert [(item.doc_id, item.location) for item in planned] == [
        ("batch:a", "texts/a.txt"),
        ("batch:b", "texts/b.txt"),
        ("batch:c_one", "texts/c one.txt"),
        ("a", "texts/a.txt"),
        ("b", "texts/b.txt"),
    ]


def test_glob_without_matches_and_repeated_doc_ids_are_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    manifest = load_manifest(
        write_manifest(
            tmp_path,
            """
            - id: a
              path: a.txt
            - id: again
              glob: "*.txt"
              id_from: stem
            - id: none
              glob: "*.html"
            """,
        )
    )
    first, repeated, empty = plan_sources(manifest)
    assert isinstance(first, PlannedSource)
    assert (repeated.doc_id, repeated.reason) == ("a", "duplicate_id")
    assert (empty.doc_id, empty.reason) == ("none", "no_match")


def test_a_glob_match_linking_out_of_the_folder_is_rejected(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (corpus / "link.txt").symlink_to(tmp_path / "secret.txt")
    (corpus / "fine.txt").write_text("y")
    manifest = load_manifest(write_manifest(corpus, "- id: all\n  glob: '*.txt'\n"))
    fine, link = plan_sources(manifest)
    assert isinstance(fine, PlannedSource) and fine.doc_id == "all:fine"
    assert (link.doc_id, link.reason) == ("all:link", "outside_root")


def test_read_file_caps_size_and_names_unreadable_files(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100)
    assert read_file(big, max_bytes=100) == b"x" * 100
    with pytest.raises(SourceUnavailable) as caught:
        read_file(big, max_bytes=99)
    assert caught.value.reason == "too_large"
    for unreadable, reason in ((tmp_path / "absent.txt", "not_found"), (tmp_path, "unreadable")):
        with pytest.raises(SourceUnavailable) as caught:
            read_file(unreadable)
        assert caught.value.reason == reason
        assert str(unreadable) in caught.value.detail
