"""Text cleaning: page furniture out, whitespace normalised, and a map back to the raw text.

Scraped articles carry navigation, share widgets, embedded posts and scraper residue.
Left in, they become sentences and sometimes events ("Leave a Comment" is no event, but
an embedded tweet's attribution line puts a stranger's name next to a quote). What is
removed is decided by the rule tables below, which are data: general patterns of page
furniture, each with the reason it exists, none keyed to one outlet or file. The rules
are conservative: a line is only dropped when all of it is furniture.

Kept characters are never rewritten (apart from whitespace and Unicode NFC), so
evidence offsets into the cleaned text map back to the raw text with ``to_raw``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    why: str


_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

# A cleaned line that matches one of these in full is dropped.
LINE_RULES: tuple[Rule, ...] = (
    Rule(
        "separator",
        re.compile(r"[-_=*~#.·•–—]{3,}"),
        "rules of underscores, dashes or dots that divide a page's article from its footer",
    ),
    Rule(
        "scraper_residue",
        re.compile(r"source site-\d+", re.IGNORECASE),
        "a marker the corpus scraper appends; it is not part of the page",
    ),
    Rule(
        "call_to_action",
        re.compile(r"(?:click|tap) here\b.{0,120}", re.IGNORECASE),
        "'Click here for more ...' links to other pages, never news text",
    ),
    Rule(
        "widget_heading",
        re.compile(
            r"(?:you (?:may|might) also like|leave a (?:comment|reply)|editor(?:s[’']?|[’']s)? picks?"
            r"|(?:more|latest|related|top|recent) (?:news|stories|posts|articles)"
            r"|(?:show|read|see|load) more|most (?:read|popular|viewed)|trending(?: now)?"
            r"|share (?:this(?: article| story| post)?|on \w+)|advertisement|sponsored(?: content)?"
            r"|subscribe(?: now| to our newsletter)?|follow us(?: on \w+)?|comments?)\s*[:.!]?",
            re.IGNORECASE,
        ),
        "headings and buttons of share, comment and recommendation widgets",
    ),
    Rule(
        "section_label",
        re.compile(r"[-•*·–]?\s*news", re.IGNORECASE),
        "a lone section name ('News', '- News') left over from site navigation",
    ),
    Rule(
        "breadcrumb",
        re.compile(r"home(?:\s*[|›»>/]\s*[^|›»>/.!?]{1,40})+", re.IGNORECASE),
        "'Home | Diplomacy' style breadcrumbs: navigation, not text",
    ),
    Rule(
        "social_handle",
        re.compile(
            r"(?:youtube|twitter|x|facebook|instagram|telegram|tiktok|linkedin|threads|mastodon|bluesky|whatsapp)"
            r"\s*:?\s*(?:https?://\S+|@[\w.]+)",
            re.IGNORECASE,
        ),
        "'YouTube: https://...' links to the outlet's own social accounts",
    ),
    Rule(
        "bare_url",
        re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
        "a line that is only an address carries no sentence",
    ),
    Rule(
        "site_tagline",
        re.compile(r".{0,60}\bbrings you the latest (?:news|headlines)\b.{0,120}", re.IGNORECASE),
        "the outlet's self-description in the footer ('X brings you the latest news ...')",
    ),
)

# A match at the end of a line is cut off; the text before it is kept.
TAIL_RULES: tuple[Rule, ...] = (
    Rule(
        "embed_attribution",
        re.compile(
            r"(?:\s*(?:pic\.twitter\.com/\w+|https?://t\.co/\w+))?\s+[—–]\s+[^()\n—–]{1,60}"
            r"\(@\w{1,30}\)\s+" + _MONTH + r"\s+\d{1,2},\s+\d{4}$"
        ),
        "an embedded post ends in 'pic.twitter.com/... — Name (@handle) May 11, 2025'; the quoted statement before it is kept",
    ),
    Rule(
        "widget_tail",
        re.compile(r"(?<=[.!?…\"”’])\s+(?:show|read|see) more$", re.IGNORECASE),
        "an expand button glued to the end of a summary paragraph",
    ),
    Rule(
        "photo_credit",
        re.compile(r"(?<=[.!?…\"”’])\s+[A-Z][A-Z&/.\-]{2,}(?:\s+[A-Z][A-Z&/.\-]{2,}){0,2}$"),
        "a picture agency credit ('... Kremlin? KEYSTONE') run into a caption or headline",
    ),
)

# Characters removed outright: controls, invisible format characters (zero-width
# spaces and joiners, soft hyphens, bidi marks, BOM), variation selectors, private
# use, surrogates, and pictographs (emoji, dingbats, geometric shapes) that scraped
# pages scatter through text and that no sentence needs.
_DROP = (
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef"
    "\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
    "\ue000-\uf8ff\U000f0000-\U0010ffff\ud800-\udfff"
)
_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# A run of whitespace and dropped characters, unless it is one plain space.
_MESSY = re.compile(rf"(?: ?(?:[{_DROP}]|[^\S ])|  )[{_DROP}\s]*")
_WHITESPACE = re.compile(r"\s")
_WORD = re.compile(r"\w+")
_ENDS_SENTENCE = re.compile(r"[.!?…:;,\"”’»)\]]$")

_HEAD_LINES = 5
_MAX_NAV_PREFIX_WORDS = 6
_MIN_REPEATED_HEADLINE = 20
_MAX_HEADLINE_WORDS = 12


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with the offset map back to the raw text it came from.

    The map is run-length: each piece of cleaned text is either a verbatim copy of a
    raw span (offsets advance together) or a replacement (a collapsed whitespace run,
    a paragraph break, an NFC-composed character) whose characters all map to the raw
    offset where it began.
    """

    text: str
    raw_length: int
    _starts: tuple[int, ...]
    _raw_starts: tuple[int, ...]
    _verbatim: tuple[bool, ...]

    def to_raw(self, offset: int) -> int:
        """The raw offset of the cleaned character at ``offset`` (``len(text)`` maps past the last one)."""
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside cleaned text of length {len(self.text)}")
        if offset == len(self.text):
            return self.to_raw(offset - 1) + 1 if offset else 0
        piece = bisect_right(self._starts, offset) - 1
        if self._verbatim[piece]:
            return self._raw_starts[piece] + offset - self._starts[piece]
        return self._raw_starts[piece]

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The raw span covering the cleaned span [start, end)."""
        if end <= start:
            raw = self.to_raw(start)
            return raw, raw
        return self.to_raw(start), self.to_raw(end - 1) + 1


@dataclass
class _Piece:
    text: str
    raw: int
    verbatim: bool


@dataclass
class _Line:
    pieces: list[_Piece]
    text: str
    break_at: int
    dropped_by: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text and self.dropped_by is None


def _split_lines(raw: str) -> list[tuple[int, int, int]]:
    """(start, end, offset of the line break) per raw line; U+2029 also counts as a blank line."""
    spans = []
    start = 0
    for match in _BREAK.finditer(raw):
        spans.append((start, match.start(), match.start()))
        if match.group() == "\u2029":
            spans.append((match.end(), match.end(), match.start()))
        start = match.end()
    spans.append((start, len(raw), len(raw)))
    return spans


def _nfc_pieces(piece: _Piece) -> list[_Piece]:
    """Compose a verbatim piece to NFC, mapping each composed cluster to its first raw character.

    Clusters (a starter and its combining marks) are composed one by one so that
    untouched text stays verbatim; if composition reaches across clusters (Hangul
    jamo, a few Indic vowels), the whole piece maps to its start instead.
    """
    if unicodedata.is_normalized("NFC", piece.text):
        return [piece]
    pieces: list[_Piece] = []
    cluster = 0
    for index in range(1, len(piece.text) + 1):
        if index < len(piece.text) and unicodedata.combining(piece.text[index]):
            continue
        part = piece.text[cluster:index]
        composed = unicodedata.normalize("NFC", part)
        pieces.append(_Piece(composed, piece.raw + cluster, composed == part))
        cluster = index
    if not unicodedata.is_normalized("NFC", "".join(p.text for p in pieces)):
        return [_Piece(unicodedata.normalize("NFC", piece.text), piece.raw, False)]
    return pieces


def _truncate(pieces: list[_Piece], length: int) -> list[_Piece]:
    kept: list[_Piece] = []
    total = 0
    for piece in pieces:
        if total + len(piece.text) <= length:
            kept.append(piece)
            total += len(piece.text)
        else:
            if length > total:
                kept.append(_Piece(piece.text[: length - total], piece.raw, piece.verbatim))
            break
    return kept


def _strip_pieces(pieces: list[_Piece]) -> list[_Piece]:
    text = "".join(p.text for p in pieces)
    lead = len(text) - len(text.lstrip())
    keep = len(text.rstrip())
    if lead == 0 and keep == len(text):
        return pieces
    out: list[_Piece] = []
    position = 0
    for piece in pieces:
        lo, hi = max(lead, position), min(keep, position + len(piece.text))
        if lo < hi:
            cut = lo - position
            raw = piece.raw + cut if piece.verbatim else piece.raw
            out.append(_Piece(piece.text[cut : hi - position], raw, piece.verbatim))
        position += len(piece.text)
    return out


def _clean_line(raw: str, start: int, end: int, composed: bool) -> list[_Piece]:
    pieces: list[_Piece] = []
    position = start
    for match in _MESSY.finditer(raw, start, end):
        if match.start() > position:
            pieces.append(_Piece(raw[position : match.start()], position, True))
        space = _WHITESPACE.search(match.group())
        if space is not None:
            pieces.append(_Piece(" ", match.start() + space.start(), False))
        position = match.end()
    if end > position:
        pieces.append(_Piece(raw[position:end], position, True))
    if not composed:
        pieces = [part for piece in pieces for part in (_nfc_pieces(piece) if piece.verbatim else [piece])]
    return _strip_pieces(pieces)


def _cut_tails(line: _Line) -> None:
    changed = True
    while changed and line.text:
        changed = False
        for rule in TAIL_RULES:
            match = rule.pattern.search(line.text)
            if match is not None:
                line.pieces = _strip_pieces(_truncate(line.pieces, match.start()))
                line.text = "".join(p.text for p in line.pieces)
                changed = True
    if not line.text:
        line.dropped_by = "embed_or_widget"


def _classify(line: _Line) -> None:
    for rule in LINE_RULES:
        if rule.pattern.fullmatch(line.text):
            line.dropped_by = rule.name
            return
    _cut_tails(line)


def _drop_navigation_prefix(lines: list[_Line]) -> None:
    """Drop a head line that is a navigation trail followed by the headline the next line repeats."""
    kept = [line for line in lines if line.text and line.dropped_by is None][:_HEAD_LINES]
    for line, following in zip(kept, kept[1:]):
        headline = following.text
        if len(headline) < _MIN_REPEATED_HEADLINE or not line.text.endswith(headline) or line.text == headline:
            continue
        prefix = line.text[: -len(headline)]
        if len(_WORD.findall(prefix)) <= _MAX_NAV_PREFIX_WORDS and not re.search(r"[.!?]", prefix):
            line.dropped_by = "navigation_prefix"


def _is_headline_like(text: str) -> bool:
    return len(text.split()) <= _MAX_HEADLINE_WORDS and not _ENDS_SENTENCE.search(text)


def _drop_footer_links(lines: list[_Line]) -> None:
    """Drop link titles among the footer furniture at the end of a page ('related article' teasers).

    Walking back from the end, a short line without closing punctuation is a teaser
    only when furniture follows it; the walk stops at the first line of prose.
    """
    furniture_after = False
    for line in reversed(lines):
        if line.blank:
            continue
        if line.dropped_by is not None:
            furniture_after = True
        elif furniture_after and _is_headline_like(line.text):
            line.dropped_by = "footer_link"
        else:
            return


def _assemble(lines: list[_Line], raw_length: int) -> CleanText:
    pieces: list[_Piece] = []
    previous: _Line | None = None
    paragraph = False
    for index, line in enumerate(lines):
        if line.blank:
            paragraph = previous is not None
            continue
        if line.dropped_by is not None:
            continue
        if previous is not None:
            pieces.append(_Piece("\n", previous.break_at, True))
            if paragraph:
                pieces.append(_Piece("\n", lines[index - 1].break_at, True))
        pieces.extend(line.pieces)
        previous, paragraph = line, False
    starts, raw_starts, verbatim = [], [], []
    position = 0
    for piece in pieces:
        starts.append(position)
        raw_starts.append(piece.raw)
        verbatim.append(piece.verbatim)
        position += len(piece.text)
    text = "".join(p.text for p in pieces)
    return CleanText(text, raw_length, tuple(starts), tuple(raw_starts), tuple(verbatim))


def clean(raw: str) -> CleanText:
    """Clean one document's text; see the module docstring for what is removed and why."""
    composed = unicodedata.is_normalized("NFC", raw)
    lines = []
    for start, end, break_at in _split_lines(raw):
        pieces = _clean_line(raw, start, end, composed)
        lines.append(_Line(pieces, "".join(p.text for p in pieces), break_at))
    for line in lines:
        if line.text:
            _classify(line)
    _drop_navigation_prefix(lines)
    _drop_footer_links(lines)
    return _assemble(lines, len(raw))
