import datetime as dt
import textwrap
from pathlib import Path

import pytest

from etl.manifest import ManifestError, load_manifest

BUNDLED = Path(__file__).resolve().parents[1] / "datasets" / "sources" / "manifest.yaml"

SEED_PUBLISHED = {
    "000_952f3988412a1fbc": (dt.date(2024, 3, 19), True),
    "001_3503fa3ca202dff6": (dt.date(2024, 8, 27), True),
    "002_972089927f84bf4a": (dt.date(2024, 5, 25), False),
    "003_53f2a08e55973b2a": (dt.date(2025, 5, 11), False),
    "004_8235ea2f9a28f427": (dt.date(2023, 12, 23), True),
}


def write(folder: Path, text: str, name: str = "manifest.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problem(folder: Path, text: str) -> str:
    path = write(folder, text)
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return str(caught.value)


def test_bundled_manifest_names_every_seed_by_its_file_stem():
    manifest = load_manifest(BUNDLED)
    assert [entry.id for entry in manifest.sources] == list(SEED_PUBLISHED)
    for entry in manifest.sources:
        assert entry.path == f"seeds/{entry.id}.txt"
        assert (manifest.folder / entry.path).is_file()
        assert (entry.published, entry.published_is_estimate) == SEED_PUBLISHED[entry.id]
        assert entry.language == "en"
    by_id = {entry.id: entry for entry in manifest.sources}
    assert by_id["002_972089927f84bf4a"].url is None
    assert by_id["002_972089927f84bf4a"].translated_from == "es"
    assert by_id["001_3503fa3ca202dff6"].translated_from is None
    assert by_id["003_53f2a08e55973b2a"].outlet == "blue News"


def test_defaults_fill_what_an_entry_leaves_out(tmp_path):
    path = write(
        tmp_path,
        """
        version: 1
        defaults:
          outlet: Wire
          language: de
          published_is_estimate: true
        sources:
          - id: a
            path: a.txt
          - id: b
            path: b.txt
            outlet: Other
            language: en
        """,
    )
    first, second = load_manifest(path).sources
    assert (first.outlet, first.language, first.published_is_estimate) == ("Wire", "de", True)
    assert (second.outlet, second.language) == ("Other", "en")


def test_language_defaults_to_english(tmp_path):
    path = write(tmp_path, "version: 1\nsources:\n  - id: a\n    path: a.txt\n    outlet: X\n")
    assert load_manifest(path).sources[0].language == "en"


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        ("    pubished: 2024-01-01\n", 5, "sources[0].pubished", "unknown key"),
        ("    published: 2024-02-30\n", 5, "sources[0].published", "YYYY-MM-DD"),
        ("    published: 2024-3-1\n", 5, "sources[0].published", "YYYY-MM-DD"),
        ("    published: yesterday\n", 5, "sources[0].published", "YYYY-MM-DD"),
        ("    url: ftp://example.com/a\n", 5, "sources[0].url", "unsupported URL scheme 'ftp'"),
        ("    language: english\n", 5, "sources[0].language", "pattern"),
        ("    id_from: stem\n", 5, "sources[0].id_from", "glob entries only"),
    ],
)
def test_a_bad_field_is_reported_with_file_line_and_field(tmp_path, body, line, field, words):
    message = problem(tmp_path, "version: 1\nsources:\n  - id: a\n    path: a.txt\n" + body + "    outlet: X\n")
    assert f"manifest.yaml:{line}: {field}: " in message
    assert words in message


def test_missing_fields_are_reported_at_their_entry(tmp_path):
    message = problem(
        tmp_path,
        """
        version: 1
        sources:
          - id: a
            path: a.txt
          - path: b.txt
            outlet: X
        """,
    )
    assert "manifest.yaml:3: sources[0].outlet: missing field (set it here or in defaults)" in message
    assert "manifest.yaml:5: sources[1].id: missing field" in message


def test_missing_version_and_unknown_top_level_key(tmp_path):
    message = problem(tmp_path, "sorces: []\n")
    assert "manifest.yaml:1: version: missing field" in message
    assert "manifest.yaml:1: sorces: unknown key" in message


def test_wrong_version(tmp_path):
    assert "manifest.yaml:1: version: " in problem(tmp_path, "version: 2\nsources:\n  - {id: a, path: a.txt, outlet: X}\n")


def test_duplicate_id_names_both_lines(tmp_path):
    message = problem(
        tmp_path,
        """
        version: 1
        sources:
          - id: a
            path: a.txt
            outlet: X
          - id: a
            path: b.txt
            outlet: X
        """,
    )
    assert "manifest.yaml:6: sources[1].id: duplicate id 'a' (first on line 3)" in message


def test_duplicate_key_is_an_error_not_a_silent_overwrite(tmp_path):
    message = problem(tmp_path, "version: 1\nsources:\n  - id: a\n    path: a.txt\n    outlet: X\n    outlet: Y\n")
    assert "manifest.yaml:6: sources[0].outlet: duplicate key" in message


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ("path: ../outside.txt", "path"),
        ("path: /etc/hostname", "path"),
        ("glob: ../*.txt", "glob"),
        ("glob: sub/../../*.txt", "glob"),
    ],
)
def test_a_location_that_escapes_the_folder_is_refused(tmp_path, location, field):
    message = problem(tmp_path, f"version: 1\nsources:\n  - id: a\n    {location}\n    outlet: X\n")
    assert f"manifest.yaml:4: sources[0].{field}: " in message
    assert "outside" in message or "escapes" in message


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (corpus / "link.txt").symlink_to(tmp_path / "secret.txt")
    message = problem(corpus, "version: 1\nsources:\n  - id: a\n    path: link.txt\n    outlet: X\n")
    assert "manifest.yaml:4: sources[0].path: " in message and "outside" in message


@pytest.mark.parametrize(
    ("locations", "found"),
    [("", "none"), ("    path: a.txt\n    fetch: https://example.com/a\n", "path, fetch")],
)
def test_exactly_one_location(tmp_path, locations, found):
    message = problem(tmp_path, "version: 1\nsources:\n  - id: a\n" + locations + "    outlet: X\n")
    assert f"manifest.yaml:3: sources[0]: give exactly one of path, glob, fetch; found {found}" in message


def test_fetch_accepts_https_and_refuses_other_schemes(tmp_path):
    ok = write(tmp_path, "version: 1\nsources:\n  - id: a\n    fetch: https://example.com/a\n    outlet: X\n", "ok.yaml")
    assert load_manifest(ok).sources[0].fetch == "https://example.com/a"
    message = problem(tmp_path, "version: 1\nsources:\n  - id: a\n    fetch: file:///etc/passwd\n    outlet: X\n")
    assert "manifest.yaml:4: sources[0].fetch: unsupported URL scheme 'file'" in message


def test_bad_id_characters(tmp_path):
    message = problem(tmp_path, "version: 1\nsources:\n  - id: a b\n    path: a.txt\n    outlet: X\n")
    assert "manifest.yaml:3: sources[0].id: " in message


def test_unquoted_numeric_id_is_refused_rather_than_renumbered(tmp_path):
    message = problem(tmp_path, "version: 1\nsources:\n  - id: 001\n    path: a.txt\n    outlet: X\n")
    assert "manifest.yaml:3: sources[0].id: " in message


def test_yaml_syntax_error_has_a_line(tmp_path):
    message = problem(tmp_path, "version: 1\nsources:\n  - id: a\n    path: [a.txt\n    outlet: X\n")
    assert "manifest.yaml:" in message and "(syntax)" in message


def test_empty_manifest_and_empty_source_list(tmp_path):
    assert "the manifest is empty" in problem(tmp_path, "")
    assert "manifest.yaml:2: sources: lists no sources" in problem(tmp_path, "version: 1\nsources: []\n")


def test_missing_manifest_file(tmp_path):
    with pytest.raises(ManifestError, match="cannot read manifest"):
        load_manifest(tmp_path / "absent.yaml")
