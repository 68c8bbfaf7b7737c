"""Article text out of an HTML page that arrived where a plain text was expected.

Scrapers and servers hand back whole pages: coded as they are, the menus, cookie
banners and script text would become sentences and sometimes events. trafilatura is a
maintained main-content extractor built for news pages; it keeps the article's
paragraphs and drops the navigation, comments and tables around them. A page from
which less than a sentence's worth of words comes out is no article, and is rejected
rather than coded from its scraps. The page's own metadata (meta tags, structured
data) often states the publication date that the extracted text no longer shows; it is
kept, read without searching the text, so a date in the story is not taken for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import trafilatura

# A page counts as HTML when it opens (after comments) with one of these tags; a text
# that merely quotes a tag somewhere is left alone.
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
# A server's text/html label is trusted only when the body has markup: servers label
# plain text as HTML often enough, and an extractor finds no "article" in plain prose.
_MARKUP = re.compile(r"<(?:p|div|br|span|a|article|section|main|h[1-6]|li|ul|ol|table|script|style|meta|title)\b[^>]*>", re.IGNORECASE)
_SNIFF_CHARS = 4096
MIN_ARTICLE_WORDS = 8
"""Fewer words than this left after extraction is a navigation stub or an error page, not an article."""


# trafilatura logs an unparsable page at ERROR level; here that page becomes a named
# rejection with its own detail, so the log line would only be noise on the terminal.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


_METADATA_DATE_ONLY = {"extensive_search": False, "original_date": True}


class NoArticleText(ValueError):
    """An HTML page with no article text worth coding."""


@dataclass(frozen=True)
class Article:
    text: str
    """The article's text, one paragraph per line."""
    published: dt.date | None
    """The publication date the page's metadata states, when it states one."""


def looks_like_html(text: str, media_type: str | None = None) -> bool:
    """True for a text that opens like an HTML document, or that a server labelled HTML and that has markup."""
    if _HTML_START.match(text[:_SNIFF_CHARS]) is not None:
        return True
    return media_type in ("text/html", "application/xhtml+xml") and _MARKUP.search(text) is not None


def article(page: str) -> Article:
    """The article in an HTML page and its stated publication date; NoArticleText when nothing usable remains."""
    extracted = trafilatura.bare_extraction(
        page,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
        with_metadata=True,
        date_extraction_params=_METADATA_DATE_ONLY,
    )
    text = extracted.text if extracted is not None else None
    words = len(text.split()) if text else 0
    if text is None or words < MIN_ARTICLE_WORDS:
        raise NoArticleText(f"HTML page with {words} words of article text, fewer than {MIN_ARTICLE_WORDS}")
    return Article(text, dt.date.fromisoformat(extracted.date) if extracted.date else None)
