"""HTTP sources against a real http.server on 127.0.0.1: retries, caps, redirects and named failures.

Every URL a test fetches points at the local server; the redirects to other schemes
and hosts are refused before any request is made, so nothing leaves 127.0.0.1. Waits
between attempts are a few milliseconds, so the retry tests cost almost no time.
"""

from __future__ import annotations

import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from etl.documents import load_corpus
from etl.manifest import load_manifest
from etl.sources import (
    Fetched,
    HttpSettings,
    RawDocument,
    Rejection,
    SourceUnavailable,
    fetch_url,
    http_client,
    read_sources,
)

PAGE = b"Putin said on Tuesday that talks could resume.\n"
FAST = HttpSettings(timeout_s=5.0, max_bytes=1000, attempts=3, backoff_s=0.001, max_backoff_s=0.002, max_retry_after_s=60.0)
SLOW_SERVER_S = 1.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    user_agents: ClassVar[list[str]] = []
    hits: ClassVar[Counter[str]] = Counter()
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str | None = "text/plain", headers: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _after_failures(self, failures: int, fail: Callable[[], None]) -> None:
        """Fail the first ``failures`` requests for this path, then serve the page."""
        if self.hit <= failures:
            fail()
        else:
            self._send(200, PAGE, "text/plain; charset=utf-8")

    def _drop(self) -> None:
        self.close_connection = True
        self.connection.close()

    def do_GET(self) -> None:
        with self.lock:
            type(self).user_agents.append(self.headers.get("User-Agent", ""))
            self.hits[self.path] += 1
            self.hit = self.hits[self.path]
        port = self.server.server_address[1]
        route, _, _ = self.path[1:].partition("/")
        routes: dict[str, Callable[[], None]] = {
            "ok": lambda: self._send(200, PAGE, "text/plain; charset=utf-8"),
            "latin": lambda: self._send(200, "Zürich".encode("latin-1"), "text/plain; charset=iso-8859-1"),
            "html": lambda: self._send(200, b"<p>Hello</p>", "text/html"),
            "plain-as-html": lambda: self._send(200, PAGE, "text/html; charset=utf-8"),
            "missing": lambda: self._send(404, b"not here"),
            "forbidden": lambda: self._send(403, b"no"),
            "pdf": lambda: self._send(200, b"%PDF-1.7", "application/pdf"),
            "untyped": lambda: self._send(200, PAGE, None),
            "big": lambda: self._send(200, b"a" * 5000),
            "big-unannounced": lambda: self._send(200, b"a " * 5000, length=False),
            "redirect": lambda: self._send(302, headers={"Location": "/ok"}),
            "redirect-absolute": lambda: self._send(301, headers={"Location": f"http://127.0.0.1:{port}/ok"}),
            "loop": lambda: self._send(302, headers={"Location": self.path}),
            "to-ftp": lambda: self._send(302, headers={"Location": "ftp://example.com/x"}),
            "to-file": lambda: self._send(307, headers={"Location": "file:///etc/passwd"}),
            "slow": lambda: (time.sleep(SLOW_SERVER_S), self._send(200, PAGE)),
            "flaky": lambda: self._after_failures(2, lambda: self._send(503, b"busy")),
            "dropping": lambda: self._after_failures(1, self._drop),
            "down": lambda: self._send(500, b"broken"),
            "throttled": lambda: self._after_failures(1, lambda: self._send(429, headers={"Retry-After": "7"})),
            "throttled-date": lambda: self._after_failures(
                1, lambda: self._send(429, headers={"Retry-After": formatdate(time.time() - 60, usegmt=True)})
            ),
            "throttled-long": lambda: self._send(429, headers={"Retry-After": "3600"}),
        }
        routes.get(route, routes["missing"])()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables; with one set, a request for 127.0.0.1 would go to the proxy instead."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def fetch(url: str, settings: HttpSettings = FAST, sleeps: list[float] | None = None) -> Fetched:
    with http_client(settings) as client:
        return fetch_url(url, client, settings, sleep=time.sleep if sleeps is None else sleeps.append)


def hits(server: str, url: str) -> int:
    return _Handler.hits[url.removeprefix(server)]


def test_a_text_page_is_fetched_with_its_charset_media_type_and_a_parley_user_agent(server):
    assert fetch(server + "/ok") == Fetched(PAGE, "utf-8", "text/plain")
    assert fetch(server + "/latin") == Fetched("Zürich".encode("latin-1"), "iso-8859-1", "text/plain")
    assert fetch(server + "/html").media_type == "text/html"
    assert _Handler.user_agents[-1].startswith("Parley/")


@pytest.mark.parametrize("path", ["/redirect", "/redirect-absolute"])
def test_http_redirects_are_followed(server, path):
    assert fetch(server + path).content == PAGE


@pytest.mark.parametrize(
    ("path", "reason", "words"),
    [
        ("/missing", "fetch_failed", "HTTP 404"),
        ("/forbidden", "fetch_failed", "HTTP 403"),
        ("/pdf", "not_text", "application/pdf"),
        ("/untyped", "not_text", "(none)"),
        ("/big", "too_large", "5000 bytes declared"),
        ("/big-unannounced", "too_large", "exceeds the cap"),
        ("/loop/1", "fetch_failed", "more than 5 redirects"),
        ("/to-ftp", "fetch_failed", "unsupported URL 'ftp://example.com/x'"),
        ("/to-file", "fetch_failed", "unsupported URL 'file:///etc/passwd'"),
    ],
)
def test_an_unusable_response_is_a_named_failure_without_retries(server, path, reason, words):
    with pytest.raises(SourceUnavailable) as caught:
        fetch(server + path)
    assert caught.value.reason == reason
    assert words in caught.value.detail
    if not path.startswith("/loop"):
        assert hits(server, server + path) == 1


def test_a_slow_server_times_out_without_retries(server):
    settings = HttpSettings(timeout_s=SLOW_SERVER_S / 10, attempts=3, backoff_s=0.001)
    with pytest.raises(SourceUnavailable) as caught:
        fetch(server + "/slow", settings)
    assert caught.value.reason == "fetch_failed"
    assert "ReadTimeout" in caught.value.detail
    assert hits(server, server + "/slow") == 1


@pytest.mark.parametrize("path", ["/flaky/a", "/dropping/a", "/throttled-date/a"])
def test_transient_failures_are_retried_until_the_page_comes(server, path):
    assert fetch(server + path).content == PAGE
    assert hits(server, server + path) == {"/flaky": 3}.get(path.rsplit("/", 1)[0], 2)


def test_a_server_that_keeps_failing_is_given_up_after_the_set_attempts(server):
    sleeps: list[float] = []
    with pytest.raises(SourceUnavailable) as caught:
        fetch(server + "/down", sleeps=sleeps)
    assert caught.value.reason == "fetch_failed"
    assert caught.value.detail.endswith("HTTP 500 Internal Server Error from " + server + "/down; gave up after 3 attempts")
    assert hits(server, server + "/down") == 3
    assert sleeps == [FAST.backoff_s, FAST.max_backoff_s]


def test_retry_after_is_honoured_within_the_cap(server):
    sleeps: list[float] = []
    assert fetch(server + "/throttled/a", sleeps=sleeps).content == PAGE
    assert sleeps == [7.0]
    with pytest.raises(SourceUnavailable) as caught:
        fetch(server + "/throttled-long", sleeps=sleeps)
    assert "retry after 3600 s, more than the cap of 60 s" in caught.value.detail
    assert hits(server, server + "/throttled-long") == 1
    assert sleeps == [7.0]


def test_a_refused_connection_is_fetch_failed():
    with pytest.raises(SourceUnavailable) as caught:
        fetch("http://127.0.0.1:1/")
    assert caught.value.reason == "fetch_failed"
    assert "ConnectError" in caught.value.detail


def test_read_sources_turns_every_failure_into_a_rejection_and_goes_on(tmp_path, server):
    (tmp_path / "a.txt").write_bytes(b"A file.")
    (tmp_path / "manifest.yaml").write_text(
        "version: 1\ndefaults:\n  outlet: Test\nsources:\n"
        + textwrap.indent(
            textwrap.dedent(
                f"""
                - id: web
                  fetch: {server}/html
                  url: https://example.com/article
                - id: gone
                  fetch: {server}/missing
                - id: pdf
                  fetch: {server}/pdf
                - id: absent
                  path: absent.txt
                - id: a
                  path: a.txt
                """
            ),
            "  ",
        )
    )
    items = list(read_sources(load_manifest(tmp_path / "manifest.yaml"), http=FAST))
    assert [type(item) for item in items] == [RawDocument, Rejection, Rejection, Rejection, RawDocument]
    web, gone, pdf, absent, local = items
    assert (web.doc_id, web.location, web.content, web.media_type) == ("web", f"{server}/html", b"<p>Hello</p>", "text/html")
    assert web.entry.url == "https://example.com/article"
    assert (gone.reason, pdf.reason, absent.reason) == ("fetch_failed", "not_text", "not_found")
    assert absent.location == "absent.txt"
    assert (local.doc_id, local.location, local.content) == ("a", "a.txt", b"A file.")


def test_a_page_labelled_html_is_reduced_to_its_article_only_when_it_has_markup(tmp_path, server):
    (tmp_path / "manifest.yaml").write_text(
        "version: 1\ndefaults:\n  outlet: Test\nsources:\n"
        f"  - id: stub\n    fetch: {server}/html\n  - id: plain\n    fetch: {server}/plain-as-html\n"
        f"  - id: mirror\n    fetch: {server}/plain-as-html/mirror\n",
        encoding="utf-8",
    )
    documents, rejections = load_corpus(tmp_path / "manifest.yaml", http=FAST)
    assert [(loaded.document.doc_id, loaded.text) for loaded in documents] == [("plain", PAGE.decode().strip())]
    assert [(r.doc_id, r.reason) for r in rejections] == [("stub", "html_no_text"), ("mirror", "duplicate")]
    assert rejections[0].detail.endswith("words of article text, fewer than 8")
    assert rejections[1].detail == "same text as plain"
