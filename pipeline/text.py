"""The article's text from a page's HTML: its paragraphs, not menus, sidebars or footers.

`article_text` drops what is never article (scripts, navigation, asides, "most read" boxes,
comments, share bars, cookie banners, ...), picks the element that holds the article, and
returns its blocks (paragraphs, headings, list items, quotes, captions) one per paragraph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where used: the hot path (no selector) runs on lxml alone, and a parsing worker
    # or the service, which only names TextError, never holds BeautifulSoup in memory.
    from bs4 import BeautifulSoup, Tag
    from bs4.element import PageElement

_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2",
     "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "figure",
     "figcaption", "table", "thead", "tbody", "tr", "td", "th", "caption", "body", "html",
     "address", "details", "summary", "hr", "center", "fieldset", "legend", "form"}
)  # fmt: skip
_CONTAINER_KINDS = ("body", "article", "main")  # itemprop=articleBody, article, main
_BOILERPLATE = re.compile(
    r"^(advertisement|advertisement - scroll to continue|sponsored( content)?|ad|"
    r"story continues below( this)? advertisement|continue reading( below)?)$"
    # A link to another story set in the body: its headline is not this article's text.
    r"|^(read|see|watch|listen)( (more|also|next|too))?\s*:|^(also read|related|more)\s*:",
    re.I,
)
_WS = re.compile(r"[ \t\n\r\f\v\u1680\u2000-\u2006\u2008\u200a\u2028\u2029\u205f\u3000]+")
# No-break, figure and thin spaces stay between digits (the figure extractor reads them), else
# they are ordinary spaces.
_NB_SPACE = re.compile(r"(?<!\d)[\u00a0\u2007\u2009\u202f]|[\u00a0\u2007\u2009\u202f](?!\d)")
_NB_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f]")
# What str.split() takes for whitespace and _WS does not.
_SPLIT_ONLY = re.compile(r"[\x1c-\x1f\x85\u00a0\u2007\u2009\u202f]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# _CONTROL as UTF-8 bytes (each is one byte there, and no other character's bytes include
# them): deleting them from the encoded page is bytes.translate, in C, several times faster
# than the regular expression over the text.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_MIN_ARTICLE_CHARS = 200
# Real pages nest a few dozen levels; thousands mean a hostile or broken page, and the tree
# walks below would cost depth x size on it.
_MAX_DEPTH = 400
_MARKUP = re.compile(r"<[A-Za-z!/?]")  # a tag, a comment, a doctype
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_HTML_BODY = re.compile(r"<(p|br|div|h[1-6])\b", re.I)


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None
    text: str  # the article's paragraphs joined with "\n\n"; headings on their own paragraph


class TextError(Exception):
    """No article text could be taken from the page (permanent for this version of the page)."""


class _TooDeep(Exception):
    pass


def _depth_limited_builder() -> Any:
    """BeautifulSoup's lxml builder, refusing documents nested deeper than _MAX_DEPTH."""
    from bs4.builder._lxml import LXMLTreeBuilder

    class _DepthLimitedBuilder(LXMLTreeBuilder):
        def __init__(self) -> None:
            super().__init__()
            self._depth = 0

        def start(self, tag: str | bytes, attrib: dict, nsmap: dict | None = None) -> None:  # type: ignore[override, type-arg]
            self._depth += 1
            if self._depth > _MAX_DEPTH:
                raise _TooDeep
            super().start(tag, attrib, nsmap or {})

        def end(self, tag: str | bytes) -> None:
            self._depth -= 1
            super().end(tag)

    return _DepthLimitedBuilder()


def article_text(html: str, *, selector: str | None = None, utf8: bytes | None = None) -> Article:
    """Return the title and the article text of an HTML page (`utf8`: `html` encoded as UTF-8
    with its control characters dropped (CONTROL_BYTES), when the caller has it: the
    page's body as fetched, so cleaned).

    With `selector` (CSS), the text is that of the matched elements, in document order. Without
    it, the article is found by markup (`article`, `main`, itemprop=articleBody) or, failing
    that, by paragraph density. Raises TextError for an empty page, an invalid selector, a
    selector that matches nothing, or a page with no text left once furniture is dropped.
    """
    if not html or not html.strip():
        raise TextError("empty page")
    if selector is None and not _MARKUP.search(html, 0, 20_000):
        # Plain text (a text/plain page, a file given to `figwatch extract`): blank lines
        # separate its paragraphs.
        plain = [_clean(block) for block in _BLANK_LINE.split(_CONTROL.sub("", html))]
        return Article(title=None, text="\n\n".join(p for p in plain if p))
    from lxml import etree

    try:
        if selector is None:
            # The hot path: the article found by markup or paragraph density, on an lxml tree.
            from pipeline import lxmltext

            title, paragraphs = lxmltext.article(html if utf8 is None else utf8)
        else:
            title, paragraphs = _selected(_CONTROL.sub("", html), selector)
    except (_TooDeep, RecursionError):
        raise TextError(f"page nested more than {_MAX_DEPTH} elements deep") from None
    except etree.LxmlError as e:
        raise TextError(f"HTML parser rejected the page: {e}") from None
    if not paragraphs:
        raise TextError("no article text found")
    return Article(title=title, text="\n\n".join(paragraphs))


def _selected(html: str, selector: str) -> tuple[str | None, list[str]]:
    """The title, and the text of the elements `selector` matches (BeautifulSoup: soupsieve)."""
    from bs4 import BeautifulSoup
    from bs4.builder import ParserRejectedMarkup

    from pipeline.furniture import PageIndex, drop_furniture, with_ancestors

    try:
        soup = BeautifulSoup(html, builder=_depth_limited_builder())
    except ParserRejectedMarkup as e:
        raise TextError(f"HTML parser rejected the page: {e}") from None
    index = PageIndex(soup)
    title = _title(soup)
    roots = _select(soup, selector)
    drop_furniture(index, protected=with_ancestors(roots), boxes=False)
    return title, [p for root in roots for p in _paragraphs(root)]


def _ld_article_body_text(raws: Iterable[str | None]) -> str | None:
    """The longest schema.org `articleBody` in the page's JSON-LD scripts, if any."""
    best: str | None = None
    for raw in raws:
        if not raw or "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str) and len(body) > len(best or ""):
                    best = body
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return best if best and len(best) >= _MIN_ARTICLE_CHARS else None


def _select(soup: BeautifulSoup, selector: str) -> list[Tag]:
    from soupsieve import SelectorSyntaxError

    try:
        found = soup.select(selector)
    except SelectorSyntaxError as e:
        raise TextError(f"invalid selector {selector!r}: {str(e).splitlines()[0]}") from None
    if not found:
        raise TextError(f"selector {selector!r} matched nothing")
    chosen = {id(tag) for tag in found}
    # An element inside another matched one is already part of its text.
    return [tag for tag in found if not any(id(p) in chosen for p in tag.parents)]


def _title(soup: BeautifulSoup) -> str | None:
    from bs4 import Tag

    meta = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(meta, Tag):
        content = meta.get("content")
        if isinstance(content, str) and content.strip():
            return _clean(content) or None
    for name in ("title", "h1"):
        tag = soup.find(name)
        if isinstance(tag, Tag):
            text = _clean(tag.get_text(" "))
            if text:
                return text
    return None


def _block_of(tag: Tag, cache: dict[int, Tag], stop: Tag) -> Tag:
    """The nearest block-level element at or above `tag`, not above `stop`."""
    path: list[Tag] = []
    node: Tag | None = tag
    found: Tag = stop
    while node is not None:
        hit = cache.get(id(node))
        if hit is not None:
            found = hit
            break
        if node.name in _BLOCKS or node is stop:
            found = node
            break
        path.append(node)
        node = node.parent
    for visited in path:
        cache[id(visited)] = found
    return found


def _paragraphs(root: Tag) -> list[str]:
    """The text of `root`, one string per block, whitespace normalised."""
    from bs4 import NavigableString, Tag

    out: list[str] = []
    buffer: list[str] = []
    current: Tag | None = None
    cache: dict[int, Tag] = {}

    def flush() -> None:
        if buffer:
            text = _clean("".join(buffer))
            if text and not _BOILERPLATE.match(text):
                out.append(text)
            buffer.clear()

    node: PageElement | None = root
    end = _after(root)
    while node is not None and node is not end:
        if type(node) is NavigableString:
            block = _block_of(node.parent, cache, root) if node.parent is not None else root
            if block is not current:
                flush()
                current = block
            buffer.append(str(node))
        elif isinstance(node, Tag) and node.name in ("br", "hr"):
            flush()
        node = node.next_element
    flush()
    return out


def _after(tag: Tag) -> PageElement | None:
    """The element that follows `tag` and all its descendants in document order."""
    node: Tag | None = tag
    while node is not None:
        if node.next_sibling is not None:
            return node.next_sibling
        node = node.parent
    return None


def _clean(text: str) -> str:
    if not text.isascii():  # ASCII holds no invisible or no-break character (isascii is O(1))
        text = _INVISIBLE.sub("", text)
        if _NB_SPACES.search(text) is not None:  # a quick scan, before the slow lookarounds
            text = _NB_SPACE.sub(" ", text)
    if _SPLIT_ONLY.search(text) is None:
        # Then str.split() splits where _WS matches, and strip() strips nothing else: several
        # times faster than the substitution (this runs on every paragraph of every page).
        return " ".join(text.split())
    return _WS.sub(" ", text).strip()
