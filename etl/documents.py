"""The documents stage: a manifest or a bare folder in, cleaned and segmented documents (and rejections) out.

Each source is decoded, cleaned and segmented on its own, so one bad file costs one
rejection, never the run. The Document record is filled here and only here, so every
later stage (and every released row) describes a text the same way.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from etl.clean import clean
from etl.dates import stated_publication_date
from etl.folder import manifest_from_folder
from etl.html import NoArticleText, article, looks_like_html
from etl.manifest import ID_PATTERN, Manifest, SourceEntry, load_manifest
from etl.models import Document
from etl.segment import Sentence, segment
from etl.sources import (
    MAX_FILE_BYTES,
    HttpSettings,
    RawDocument,
    Rejection,
    SourceUnavailable,
    read_file,
    read_sources,
)

__all__ = ["LoadedDocument", "Rejection", "decode", "load_corpus", "load_text_file"]

# charset-normalizer's "chaos" is the share of the decoded text that looks like
# mojibake; above this the guess is a guess, and a wrong one would corrupt names.
_MAX_CHAOS = 0.2
_TIE_BREAK = "cp1252"
# Control characters other than tab, line feed, form feed and carriage return; a
# text with more than this share of them is binary, whatever it decodes as.
_MAX_CONTROL_SHARE = 0.01
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


@dataclass(frozen=True)
class LoadedDocument:
    document: Document
    text: str
    sentences: tuple[Sentence, ...]


class _Rejected(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def decode(content: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, a declared charset, and a confident guess.

    UTF-8 is tried before any guess because a guesser can read valid UTF-8 as some
    legacy code page; a guess is accepted only when charset-normalizer is confident.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(codec)
            except UnicodeDecodeError as exc:
                raise _Rejected("undecodable", f"{codec} byte order mark but invalid {codec}: {exc}") from exc
    if b"\x00" in content:
        raise _Rejected("binary", "contains NUL bytes")
    controls = sum(content.count(byte) for byte in _CONTROL_BYTES)
    if content and controls / len(content) > _MAX_CONTROL_SHARE:
        raise _Rejected("binary", f"{controls} control bytes in {len(content)}")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return content.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return _guess(content)


def _guess(content: bytes) -> str:
    """Decode with charset-normalizer's least chaotic reading; among equally clean ones prefer windows-1252.

    On short texts several single-byte code pages read equally cleanly and the
    library's pick among them is arbitrary (latin-1 French came out as cp1250, "à" as
    "ŕ"); windows-1252 is what the web's unlabelled legacy pages mostly are.
    """
    matches = list(charset_normalizer.from_bytes(content))
    lowest = min((match.chaos for match in matches), default=None)
    if lowest is None or lowest > _MAX_CHAOS:
        raise _Rejected("undecodable", "not UTF-8 and no confident guess of the encoding")
    tied = [match for match in matches if match.chaos <= lowest]
    for match in tied:
        if _TIE_BREAK in match.could_be_from_charset:
            return content.decode(_TIE_BREAK)
    return str(tied[0])


def _document(raw: RawDocument, sha256: str, text: str, n_sentences: int, page_date: dt.date | None) -> Document:
    """The document's record; without a date in the manifest, the one its HTML page's metadata or its first lines state."""
    entry = raw.entry
    stated = (page_date or stated_publication_date(text)) if entry.published is None else None
    if entry.published is not None:
        published, basis = entry.published, "manifest"
    else:
        published, basis = stated, "text" if stated else "unknown"
    return Document(
        doc_id=raw.doc_id,
        source_name=entry.outlet,
        source_url=entry.url if entry.url is not None else entry.fetch,
        source_published=published,
        published_is_estimate=entry.published_is_estimate if entry.published is not None else False,
        published_basis=basis,
        language=entry.language,
        translated_from=entry.translated_from,
        location=raw.location,
        sha256=sha256,
        n_bytes=len(raw.content),
        n_chars=len(text),
        n_sentences=n_sentences,
        notes=entry.notes,
    )


@dataclass(frozen=True)
class _Text:
    text: str
    page_date: dt.date | None


def _text(raw: RawDocument) -> _Text:
    """The cleaned text of one source: decoded, its article taken out of an HTML page, furniture removed.

    For an HTML page the cleaner starts from the extracted article text: markup has no
    plain-text offsets to map evidence back to, the article text does.
    """
    decoded = decode(raw.content, raw.charset)
    if not decoded.strip():
        raise _Rejected("empty", "no text" if not raw.content else "only whitespace")
    page_date = None
    if looks_like_html(decoded, raw.media_type):
        try:
            page = article(decoded)
        except NoArticleText as exc:
            raise _Rejected("html_no_text", str(exc)) from exc
        decoded, page_date = page.text, page.published
    text = clean(decoded).text
    if not text:
        raise _Rejected("empty", "nothing left after removing page furniture")
    return _Text(text, page_date)


def _loaded(raw: RawDocument, cleaned: _Text) -> LoadedDocument:
    sentences = tuple(segment(cleaned.text))
    sha256 = hashlib.sha256(raw.content).hexdigest()
    document = _document(raw, sha256, cleaned.text, len(sentences), cleaned.page_date)
    return LoadedDocument(document, cleaned.text, sentences)


def corpus_manifest(path: Path) -> Manifest:
    """A folder is a corpus without a manifest (each file one source); anything else is a manifest file."""
    return manifest_from_folder(path) if path.is_dir() else load_manifest(path)


def load_corpus(
    sources: Path, *, http: HttpSettings = HttpSettings(), max_file_bytes: int = MAX_FILE_BYTES
) -> tuple[list[LoadedDocument], list[Rejection]]:
    """Every source of a manifest file or a bare folder, loaded or rejected, in manifest order (globs sorted).

    A document whose cleaned text equals an earlier one's is rejected as a duplicate,
    so that a story bundled twice (under two names, from two URLs, or once as a page
    and once as text) is not counted as two sources of the same events.
    """
    manifest = corpus_manifest(Path(sources))
    loaded: list[LoadedDocument] = []
    rejected: list[Rejection] = []
    first_with: dict[str, str] = {}
    for item in read_sources(manifest, http=http, max_file_bytes=max_file_bytes):
        if isinstance(item, Rejection):
            rejected.append(item)
            continue
        try:
            cleaned = _text(item)
        except _Rejected as exc:
            rejected.append(Rejection(item.doc_id, item.location, exc.reason, exc.detail))
            continue
        key = hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest()
        if key in first_with:
            rejected.append(Rejection(item.doc_id, item.location, "duplicate", f"same text as {first_with[key]}"))
            continue
        first_with[key] = item.doc_id
        loaded.append(_loaded(item, cleaned))
    return loaded, rejected


def load_text_file(
    path: Path,
    *,
    published: dt.date | None = None,
    source_name: str | None = None,
    url: str | None = None,
    doc_id: str | None = None,
) -> LoadedDocument:
    """One loose file as a document (``parley extract FILE``); ValueError names the file when it cannot be used."""
    path = Path(path)
    doc_id = path.stem if doc_id is None else doc_id
    if not re.match(ID_PATTERN, doc_id):
        raise ValueError(f"{path}: doc id {doc_id!r} is not of the form [A-Za-z0-9_.:-]+; pass doc_id")
    try:
        content = read_file(path)
    except SourceUnavailable as exc:
        raise ValueError(f"{path}: {exc.reason}: {exc.detail}") from exc
    entry = SourceEntry(
        id=doc_id,
        path=path.name,
        outlet=source_name or "unknown",
        url=url,
        published=published,
    )
    raw = RawDocument(doc_id, str(path), content, entry)
    try:
        return _loaded(raw, _text(raw))
    except _Rejected as exc:
        raise ValueError(f"{path}: {exc.reason}: {exc.detail}") from exc
