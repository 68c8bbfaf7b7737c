import threading
import textwrap
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from etl.sources import (
    HttpSettings,
    PlannedSource,
    RawDocument,
    Rejection,
    SourceUnavailable,
    fetch_url,
    http_client,
    plan_sources,
    read_file,
    read_sources,
)

PAGE = "Putin said on Tuesday that talks could resume.\n".encode()
SMALL = HttpSettings(timeout_s=5.0, max_bytes=1000)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    user_agents: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str | None, extra: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        type(self).user_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/ok": lambda: self._send(200, PAGE, "text/plain; charset=utf-8"),
            "/latin": lambda: self._send(200, "Zürich".encode("latin-1"), "text/plain; charset=iso-8859-1"),
            "/html": lambda: self._send(200, b"<p>Hello</p>", "text/html"),
            "/missing": lambda: self._send(404, b"not here", "text/plain"),
            "/pdf": lambda: self._send(200, b"%PDF-1.7", "application/pdf"),
            "/untyped": lambda: self._send(200, PAGE, None),
            "/big": lambda: self._send(200, b"a" * 5000, "text/plain"),
            "/big-unannounced": lambda: self._send(200, b"a " * 5000, "text/plain", length=False),
            "/redirect": lambda: self._send(302, b"", "text/plain", {"Location": "/ok"}),
            "/loop": lambda: self._send(302, b"", "text/plain", {"Location": "/loop"}),
            "/to-ftp": lambda: self._send(302, b"", "text/plain", {"Location": "ftp://example.com/x"}),
        }
        routes.get(self.path, routes["/missing"])()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def fetch(url: str) -> tuple[bytes, str | None]:
    with http_client(SMALL) as client:
        return fetch_url(url, client, SMALL)


def test_a_text_page_is_fetched_with_its_charset_and_a_parley_user_agent(server):
    assert fetch(server + "/ok") == (PAGE, "utf-8")
    assert fetch(server + "/latin") == ("Zürich".encode("latin-1"), "iso-8859-1")
    assert fetch(server + "/html")[0] == b"<p>Hello</p>"
    assert "Parley" in _Handler.user_agents[-1]


def test_redirects_are_followed(server):
    assert fetch(server + "/redirect")[0] == PAGE


@pytest.mark.parametrize(
    ("path", "reason", "words"),
    [
        ("/missing", "fetch_failed", "HTTP 404"),
        ("/pdf", "not_text", "application/pdf"),
        ("/untyped", "not_text", "(none)"),
        ("/big", "too_large", "5000 bytes declared"),
        ("/big-unannounced", "too_large", "exceeds the cap"),
        ("/loop", "fetch_failed", "more than 5 redirects"),
        ("/to-ftp", "fetch_failed", "unsupported URL"),
    ],
)
def test_an_unusable_response_is_a_named_failure(server, path, reason, words):
    with pytest.raises(SourceUnavailable) as caught:
        fetch(server + path)
    assert caught.value.reason == reason
    assert words in caught.value.detail


def test_a_refused_connection_is_fetch_failed():
    with pytest.raises(SourceUnavailable) as caught:
        fetch("http://127.0.0.1:1/")
    assert caught.value.reason == "fetch_failed"


def write_manifest(folder: Path, sources: str) -> Path:
    path = folder / "manifest.yaml"
    path.write_text("version: 1\ndefaults:\n  outlet: Test\nsources:\n" + textwrap.indent(textwrap.dedent(sources), "  "))
    return path


def test_read_sources_turns_every_failure_into_a_rejection_and_goes_on(tmp_path, server):
    (tmp_path / "a.txt").write_bytes(b"A file.")
    manifest = load_manifest(
        write_manifest(
            tmp_path,
            f"""
            - id: web
              fetch: {server}/ok
              url: https://example.com/article
            - id: gone
              fetch: {server}/missing
            - id: pdf
              fetch: {server}/pdf
            - id: absent
              path: absent.txt
            - id: a
              path: a.txt
            """,
        )
    )
    items = list(read_sources(manifest, http=SMALL))
    assert [type(item) for item in items] == [RawDocument, Rejection, Rejection, Rejection, RawDocument]
    web, gone, pdf, absent, local = items
    assert (web.doc_id, web.location, web.content, web.charset) == ("web", f"{server}/ok", PAGE, "utf-8")
    assert web.entry.url == "https://example.com/article"
    assert (gone.reason, pdf.reason, absent.reason) == ("fetch_failed", "not_text", "unreadable")
    assert absent.location == "absent.txt"
    assert (local.doc_id, local.location, local.content) == ("a", "a.txt", b"A file.")


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
    for unreadable in (tmp_path / "absent.txt", tmp_path):
        with pytest.raises(SourceUnavailable) as caught:
            read_file(unreadable)
        assert caught.value.reason == "unreadable"
        assert str(unreadable) in caught.value.detail
