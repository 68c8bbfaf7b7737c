import codecs
import datetime as dt
import hashlib
import textwrap
from pathlib import Path

import pytest

from etl.documents import LoadedDocument, Rejection, load_corpus, load_text_file
from etl.models import Document

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "datasets" / "sources" / "manifest.yaml"

# From the seeds' sources.csv: doc id -> (outlet, url, published, estimate, translated_from)
SEEDS = {
    "000_952f3988412a1fbc": ("n-tv", "https://www.n-tv.de/", dt.date(2024, 3, 19), True, "de"),
    "001_3503fa3ca202dff6": (
        "EU Today",
        "https://eutoday.net/putins-mixed-signals-on-ukraine-talks-a-strategic-play-or-genuine-diplomacy/",
        dt.date(2024, 8, 27),
        True,
        None,
    ),
    "002_972089927f84bf4a": ("unknown Spanish-language outlet", None, dt.date(2024, 5, 25), False, "es"),
    "003_53f2a08e55973b2a": ("blue News", "https://www.bluewin.ch/", dt.date(2025, 5, 11), False, "de"),
    "004_8235ea2f9a28f427": (
        "Espreso",
        "https://global.espreso.tv/putin-isnt-against-negotiations-but-wont-give-up-seized-ukrainian-territories-media",
        dt.date(2023, 12, 23),
        True,
        None,
    ),
}

NEWS = "Putin said on Tuesday that talks could resume. Kyiv refused.\n"


def assert_consistent(loaded: LoadedDocument, raw: bytes) -> None:
    doc = loaded.document
    Document.model_validate(doc.model_dump())
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.n_bytes == len(raw)
    assert doc.n_chars == len(loaded.text)
    assert doc.n_sentences == len(loaded.sentences) > 0
    for sentence in loaded.sentences:
        assert loaded.text[sentence.start : sentence.end] == sentence.text


def test_bundled_corpus_loads_every_seed():
    documents, rejections = load_corpus(BUNDLED)
    assert rejections == []
    assert [loaded.document.doc_id for loaded in documents] == list(SEEDS)
    for loaded in documents:
        doc = loaded.document
        outlet, url, published, estimate, translated_from = SEEDS[doc.doc_id]
        assert (doc.source_name, doc.source_url, doc.source_published) == (outlet, url, published)
        assert (doc.published_is_estimate, doc.published_basis) == (estimate, "manifest")
        assert (doc.language, doc.translated_from) == ("en", translated_from)
        assert doc.location == f"seeds/{doc.doc_id}.txt"
        assert doc.notes
        assert_consistent(loaded, (BUNDLED.parent / doc.location).read_bytes())
    assert "Leave a Comment" not in documents[1].text


def test_loading_is_deterministic():
    first, _ = load_corpus(BUNDLED)
    second, _ = load_corpus(BUNDLED)
    assert first == second


def write_corpus(folder: Path, files: dict[str, bytes], extra: str = "") -> Path:
    texts = folder / "texts"
    texts.mkdir()
    for name, content in files.items():
        (texts / name).write_bytes(content)
    manifest = folder / "manifest.yaml"
    manifest.write_text(
        "version: 1\ndefaults:\n  outlet: Test Wire\nsources:\n"
        "  - id: batch\n    glob: texts/*.txt\n    id_from: stem\n" + textwrap.indent(textwrap.dedent(extra), "  ")
    )
    return manifest


def test_bad_documents_are_rejected_by_name_and_the_rest_load(tmp_path):
    latin = "Le ministre a déclaré à Zürich que les négociations reprendraient. Ça suffit.\n"
    manifest = write_corpus(
        tmp_path,
        {
            "a_news.txt": NEWS.encode(),
            "b_empty.txt": b"",
            "c_blank.txt": b" \n\t\r\n ",
            "d_binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "e_copy.txt": NEWS.encode(),
            "f_latin.txt": latin.encode("latin-1"),
            "g_utf16.txt": codecs.BOM_UTF16_LE + NEWS.replace("Kyiv", "Kiev").encode("utf-16-le"),
            "h_bom.txt": codecs.BOM_UTF8 + "Moscow disagreed.".encode(),
            "i_furniture.txt": b"Leave a Comment\n\nLatest Posts\n",
        },
        extra="""
        - id: missing
          path: texts/nowhere.txt
        - id: offline
          fetch: http://127.0.0.1:1/article
        """,
    )
    documents, rejections = load_corpus(manifest)
    assert [loaded.document.doc_id for loaded in documents] == ["a_news", "f_latin", "g_utf16", "h_bom"]
    assert [(r.doc_id, r.reason) for r in rejections] == [
        ("b_empty", "empty"),
        ("c_blank", "empty"),
        ("d_binary", "binary"),
        ("e_copy", "duplicate"),
        ("i_furniture", "empty"),
        ("missing", "not_found"),
        ("offline", "fetch_failed"),
    ]
    assert all(isinstance(r, Rejection) and r.detail for r in rejections)
    assert rejections[3].detail == "same text as a_news"
    assert rejections[3].location == "texts/e_copy.txt"
    by_id = {loaded.document.doc_id: loaded for loaded in documents}
    assert by_id["f_latin"].text == latin.strip()
    assert by_id["g_utf16"].text == NEWS.replace("Kyiv", "Kiev").strip()
    assert by_id["h_bom"].text == "Moscow disagreed."
    for name, loaded in by_id.items():
        assert_consistent(loaded, (tmp_path / "texts" / f"{name}.txt").read_bytes())


def test_undecodable_bytes_are_rejected(tmp_path):
    manifest = write_corpus(tmp_path, {"bad.txt": codecs.BOM_UTF16_LE + b"\x00\xd8"})
    documents, rejections = load_corpus(manifest)
    assert documents == []
    assert [(r.doc_id, r.reason) for r in rejections] == [("bad", "undecodable")]


def test_without_a_manifest_date_the_date_is_unknown(tmp_path):
    documents, _ = load_corpus(write_corpus(tmp_path, {"a.txt": NEWS.encode()}))
    doc = documents[0].document
    assert (doc.source_published, doc.published_is_estimate, doc.published_basis) == (None, False, "unknown")
    assert (doc.source_name, doc.source_url, doc.language, doc.translated_from) == ("Test Wire", None, "en", None)


def test_a_bad_manifest_stops_before_reading(tmp_path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("version: 1\nsources:\n  - id: a\n    path: a.txt\n")
    with pytest.raises(ValueError, match="manifest.yaml:3: sources\\[0\\].outlet"):
        load_corpus(manifest)


def test_load_text_file_defaults(tmp_path):
    path = tmp_path / "story-1.txt"
    path.write_text("Headline\n\n" + NEWS, encoding="utf-8")
    loaded = load_text_file(path)
    doc = loaded.document
    assert (doc.doc_id, doc.source_name, doc.source_url, doc.source_published) == ("story-1", "unknown", None, None)
    assert (doc.published_basis, doc.location) == ("unknown", str(path))
    assert [s.text for s in loaded.sentences] == ["Headline", "Putin said on Tuesday that talks could resume.", "Kyiv refused."]
    assert_consistent(loaded, path.read_bytes())


def test_load_text_file_with_metadata(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(NEWS, encoding="utf-8")
    doc = load_text_file(
        path, published=dt.date(2024, 5, 1), source_name="Wire", url="https://example.com/a", doc_id="wire:1"
    ).document
    assert (doc.doc_id, doc.source_name, doc.source_url) == ("wire:1", "Wire", "https://example.com/a")
    assert (doc.source_published, doc.published_basis, doc.published_is_estimate) == (dt.date(2024, 5, 1), "manifest", False)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("absent.txt", None, "not_found"),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02", "binary"),
        ("bad name.txt", NEWS.encode(), "doc id 'bad name'"),
    ],
)
def test_load_text_file_names_the_file_it_cannot_use(tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        load_text_file(path)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)
