"""Reading the raw bytes of every manifest source, from files or over HTTP(S).

This is the only stage that touches the outside world, so it is where a corpus run
meets missing files, dead links and servers that answer with a PDF. None of that may
stop the run: each source either yields a RawDocument or a Rejection that names what
went wrong, and the run goes on to the next source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from etl.manifest import URL_SCHEMES, Manifest, SourceEntry

USER_AGENT = "Parley/0.1 (political event dataset builder; python-httpx)"
MAX_FILE_BYTES = 20 * 1024 * 1024

_NOT_ID_CHAR = re.compile(r"[^A-Za-z0-9_.:-]")


@dataclass(frozen=True)
class HttpSettings:
    timeout_s: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class RawDocument:
    """The bytes of one source as read, with the manifest entry that describes it."""

    doc_id: str
    location: str
    content: bytes
    entry: SourceEntry
    charset: str | None = None


@dataclass(frozen=True)
class Rejection:
    """A source that did not become a document, and why (``reason`` is a short slug)."""

    doc_id: str
    location: str
    reason: str
    detail: str


class SourceUnavailable(Exception):
    """A source could not be read; carries the rejection slug and a human detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class PlannedSource:
    """One source to read: a file path or a URL, resolved from a manifest entry."""

    doc_id: str
    location: str
    entry: SourceEntry
    file: Path | None = None
    url: str | None = None


def _relative(folder: Path, path: Path) -> str:
    return Path(os.path.relpath(path, folder)).as_posix()


def _stem_id(stem: str) -> str:
    """A doc id made from a file name; characters outside the id alphabet become '_'."""
    return _NOT_ID_CHAR.sub("_", stem) or "_"


def _expand(entry: SourceEntry, folder: Path) -> Iterator[PlannedSource | Rejection]:
    if entry.path is not None:
        file = folder / entry.path
        yield PlannedSource(entry.id, _relative(folder, file), entry, file=file)
    elif entry.fetch is not None:
        yield PlannedSource(entry.id, entry.fetch, entry, url=entry.fetch)
    else:
        assert entry.glob is not None
        root = folder.resolve()
        matches = sorted(p for p in folder.glob(entry.glob) if p.is_file())
        if not matches:
            yield Rejection(entry.id, entry.glob, "no_match", f"glob {entry.glob!r} matched no file under {folder}")
        for file in matches:
            location = _relative(folder, file)
            stem = _stem_id(file.stem)
            doc_id = stem if entry.id_from == "stem" else f"{entry.id}:{stem}"
            if not file.resolve().is_relative_to(root):
                yield Rejection(doc_id, location, "outside_root", f"{location} resolves outside the manifest's folder")
            else:
                yield PlannedSource(doc_id, location, entry, file=file)


def plan_sources(manifest: Manifest) -> Iterator[PlannedSource | Rejection]:
    """Every source the manifest names, in manifest order with globs sorted; a repeated doc id is rejected."""
    seen: set[str] = set()
    for entry in manifest.sources:
        for item in _expand(entry, manifest.folder):
            if isinstance(item, PlannedSource):
                if item.doc_id in seen:
                    item = Rejection(item.doc_id, item.location, "duplicate_id", f"doc id {item.doc_id!r} is already taken")
                else:
                    seen.add(item.doc_id)
            yield item


def read_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceUnavailable("too_large", f"{size} bytes, more than the cap of {max_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise SourceUnavailable("unreadable", f"{exc.strerror or exc.__class__.__name__}: {path}") from exc


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or "html" in media_type


def fetch_url(url: str, client: httpx.Client, settings: HttpSettings = HttpSettings()) -> tuple[bytes, str | None]:
    """GET a text page: the body and its declared charset.

    Redirects are followed by hand so that each hop is checked: only http(s), at most
    ``max_redirects``. The body is streamed so an oversized page is cut off early
    instead of being held in memory.
    """
    try:
        for _ in range(settings.max_redirects + 1):
            with client.stream("GET", url) as response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("location", ""))
                    if urlsplit(target).scheme.lower() not in URL_SCHEMES:
                        raise SourceUnavailable("fetch_failed", f"redirect from {url} to unsupported URL {target!r}")
                    url = target
                    continue
                if response.status_code != 200:
                    raise SourceUnavailable("fetch_failed", f"HTTP {response.status_code} {response.reason_phrase} from {url}")
                media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not _is_text(media_type):
                    raise SourceUnavailable("not_text", f"content type {media_type or '(none)'!r} from {url}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > settings.max_bytes:
                    raise SourceUnavailable("too_large", f"{declared} bytes declared, more than the cap of {settings.max_bytes}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > settings.max_bytes:
                        raise SourceUnavailable("too_large", f"body exceeds the cap of {settings.max_bytes} bytes")
                return bytes(body), response.charset_encoding
    except httpx.HTTPError as exc:
        raise SourceUnavailable("fetch_failed", f"{exc.__class__.__name__}: {exc} ({url})") from exc
    raise SourceUnavailable("fetch_failed", f"more than {settings.max_redirects} redirects, last to {url}")


def http_client(settings: HttpSettings = HttpSettings()) -> httpx.Client:
    return httpx.Client(
        timeout=settings.timeout_s,
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent, "Accept": "text/html, text/plain;q=0.9, text/*;q=0.8"},
    )


def read_sources(
    manifest: Manifest,
    *,
    http: HttpSettings = HttpSettings(),
    max_file_bytes: int = MAX_FILE_BYTES,
) -> Iterator[RawDocument | Rejection]:
    """Read every planned source; a source that cannot be read yields a Rejection, never an exception."""
    with ExitStack() as stack:
        client: httpx.Client | None = None
        for item in plan_sources(manifest):
            if isinstance(item, Rejection):
                yield item
                continue
            try:
                if item.file is not None:
                    yield RawDocument(item.doc_id, item.location, read_file(item.file, max_bytes=max_file_bytes), item.entry)
                else:
                    assert item.url is not None
                    if client is None:
                        client = stack.enter_context(http_client(http))
                    content, charset = fetch_url(item.url, client, http)
                    yield RawDocument(item.doc_id, item.location, content, item.entry, charset)
            except SourceUnavailable as exc:
                yield Rejection(item.doc_id, item.location, exc.reason, exc.detail)
