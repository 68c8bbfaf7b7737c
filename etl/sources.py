"""Reading the raw bytes of every manifest source, from files or over HTTP(S).

This is the only stage that touches the outside world, so it is where a corpus run
meets missing files, dead links and servers that answer with a PDF. None of that may
stop the run: each source either yields a RawDocument or a Rejection that names what
went wrong, and the run goes on to the next source.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from etl.manifest import URL_SCHEMES, Manifest, SourceEntry

USER_AGENT = "Parley/0.1 (political event dataset builder; python-httpx)"
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Default cap on a local file's size: the longest news article is well under 1 MB, so a
bigger file is a dump, an archive or a mistake, and reading it whole would cost memory
for nothing. load_corpus and read_sources take ``max_file_bytes`` to change it."""

_NOT_ID_CHAR = re.compile(r"[^A-Za-z0-9_.:-]")


@dataclass(frozen=True)
class HttpSettings:
    """Limits of one fetch; tests shrink the waits, a corpus run keeps the defaults."""

    timeout_s: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    attempts: int = 4
    """Tries per URL, the first included, for 429, 5xx and dropped connections."""
    backoff_s: float = 1.0
    """The wait before the first retry; it doubles before each further one, up to max_backoff_s."""
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0
    """The longest Retry-After honoured; a server asking for more fails the source at once."""


@dataclass(frozen=True)
class Fetched:
    """A fetched page; the media type decides later whether its article must be taken out of HTML."""

    content: bytes
    charset: str | None
    media_type: str


@dataclass(frozen=True)
class RawDocument:
    """The bytes of one source as read, with the manifest entry that describes it."""

    doc_id: str
    location: str
    content: bytes
    entry: SourceEntry
    charset: str | None = None
    media_type: str | None = None


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
    listed: bool = False
    """True when the file was found by listing a folder, so its absence at read time means it vanished."""


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
                yield PlannedSource(doc_id, location, entry, file=file, listed=True)


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
    """The file's bytes; a missing file is "not_found", one over ``max_bytes`` "too_large" (it is never read)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceUnavailable("too_large", f"{path}: {size} bytes, more than the cap of {max_bytes}")
        with path.open("rb") as fh:
            content = fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise SourceUnavailable("not_found", f"no such file: {path}") from exc
    except OSError as exc:
        raise SourceUnavailable("unreadable", f"{exc.strerror or exc.__class__.__name__}: {path}") from exc
    if len(content) > max_bytes:
        raise SourceUnavailable("too_large", f"{path}: grew past the cap of {max_bytes} bytes while being read")
    return content


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or "html" in media_type


class _Transient(Exception):
    """A failure worth another try (429, 5xx, a dropped connection); ``retry_after`` is the server's wish, in seconds."""

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _check_status(response: httpx.Response, url: str, settings: HttpSettings) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        wait = _retry_after(response.headers.get("retry-after"))
        detail = f"HTTP {status} {response.reason_phrase} from {url}"
        if wait is not None and wait > settings.max_retry_after_s:
            raise SourceUnavailable(
                "fetch_failed", f"{detail}, asking to retry after {wait:.0f} s, more than the cap of {settings.max_retry_after_s:.0f} s"
            )
        raise _Transient(detail, wait)
    if status != 200:
        raise SourceUnavailable("fetch_failed", f"HTTP {status} {response.reason_phrase} from {url}")


def _body(response: httpx.Response, url: str, settings: HttpSettings) -> Fetched:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not _is_text(media_type):
        raise SourceUnavailable("not_text", f"content type {media_type or '(none)'!r} from {url}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise SourceUnavailable("too_large", f"{declared} bytes declared by {url}, more than the cap of {settings.max_bytes}")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > settings.max_bytes:
            raise SourceUnavailable("too_large", f"body from {url} exceeds the cap of {settings.max_bytes} bytes")
    return Fetched(bytes(body), response.charset_encoding, media_type)


def _fetch_once(url: str, client: httpx.Client, settings: HttpSettings) -> Fetched:
    """One attempt: follow at most ``max_redirects`` http(s) redirects, then read a text body within the cap."""
    try:
        for _ in range(settings.max_redirects + 1):
            with client.stream("GET", url) as response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("location", ""))
                    if urlsplit(target).scheme.lower() not in URL_SCHEMES:
                        raise SourceUnavailable("fetch_failed", f"redirect from {url} to unsupported URL {target!r}")
                    url = target
                    continue
                _check_status(response, url, settings)
                return _body(response, url, settings)
    except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise _Transient(f"{exc.__class__.__name__}: {exc} ({url})") from exc
    except httpx.HTTPError as exc:
        raise SourceUnavailable("fetch_failed", f"{exc.__class__.__name__}: {exc} ({url})") from exc
    raise SourceUnavailable("fetch_failed", f"more than {settings.max_redirects} redirects, last to {url}")


def _wait(settings: HttpSettings) -> Callable[[RetryCallState], float]:
    """The server's Retry-After when it gave one (already checked against the cap), else exponential backoff."""
    backoff = wait_exponential(multiplier=settings.backoff_s, max=settings.max_backoff_s)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, _Transient) and error.retry_after is not None:
            return error.retry_after
        return backoff(state)

    return wait


def fetch_url(
    url: str, client: httpx.Client, settings: HttpSettings = HttpSettings(), *, sleep: Callable[[float], None] = time.sleep
) -> Fetched:
    """GET a text page: its body, declared charset and media type; SourceUnavailable names what went wrong.

    Redirects are followed by hand so that each hop is checked: only http(s), at most
    ``max_redirects``. The body is streamed so an oversized page is cut off early
    instead of being held in memory. 429, 5xx and dropped connections are retried up
    to ``attempts`` times with exponential backoff, or after the server's Retry-After
    when it is within ``max_retry_after_s`` (beyond it the source fails at once rather
    than hammer a server that asked for a pause). Other 4xx are final, and so is a
    timeout: a server too slow once is slow again, and waiting ``attempts`` times over
    would stall the run. ``sleep`` waits between attempts (a test can record the waits).
    """
    retrying = Retrying(
        stop=stop_after_attempt(settings.attempts),
        wait=_wait(settings),
        retry=retry_if_exception_type(_Transient),
        reraise=True,
        sleep=sleep,
    )
    try:
        return retrying(_fetch_once, url, client, settings)
    except _Transient as exc:
        raise SourceUnavailable("fetch_failed", f"{exc.detail}; gave up after {settings.attempts} attempts") from exc


def http_client(settings: HttpSettings = HttpSettings()) -> httpx.Client:
    return httpx.Client(
        timeout=settings.timeout_s,
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent, "Accept": "text/html, text/plain;q=0.9, text/*;q=0.8"},
    )


def _portable(detail: str, item: PlannedSource) -> str:
    """Name a local file by its manifest-relative location so release bytes do not depend on the checkout path."""
    if item.file is None:
        return detail
    return detail.replace(str(item.file), item.location)


def _read_planned(item: PlannedSource, max_bytes: int) -> bytes:
    assert item.file is not None
    try:
        return read_file(item.file, max_bytes=max_bytes)
    except SourceUnavailable as exc:
        if exc.reason == "not_found" and item.listed:
            raise SourceUnavailable("vanished", f"{item.file} was listed but was gone when it was read") from exc
        raise


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
                    yield RawDocument(item.doc_id, item.location, _read_planned(item, max_file_bytes), item.entry)
                else:
                    assert item.url is not None
                    if client is None:
                        client = stack.enter_context(http_client(http))
                    page = fetch_url(item.url, client, http)
                    yield RawDocument(item.doc_id, item.location, page.content, item.entry, page.charset, page.media_type)
            except SourceUnavailable as exc:
                yield Rejection(item.doc_id, item.location, exc.reason, _portable(exc.detail, item))
