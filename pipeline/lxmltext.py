"""The article text of a page with no selector, on an lxml tree: the rules of pipeline.text and
pipeline.furniture (same constants, same choices, same text out), at lxml's cost rather than
BeautifulSoup's. A user's CSS selector still goes through BeautifulSoup (soupsieve).

Text nodes are an element's `.text` and each child's `.tail`; like BeautifulSoup's get_text(),
the text of comments and of script, style, template, rt and rp is never article text. Elements
are dict keys and set members themselves (their lxml proxies then stay alive and unique).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from lxml import etree
from lxml.etree import _Element

from pipeline import furniture as fu
from pipeline import text as tx

_NOT_TEXT = frozenset({"script", "style", "template", "rt", "rp"})
_EVENTS = ("start", "end", "comment", "pi")


def parse(html: str | bytes) -> _Element | None:
    """The document's root element (None for a document lxml finds empty); bytes are UTF-8."""
    # huge_tree: libxml2 otherwise cuts the tree at 256 levels, silently; Page refuses more
    # than pipeline.text._MAX_DEPTH itself.
    parser = etree.HTMLParser(recover=True, encoding="utf-8", remove_pis=False, huge_tree=True)
    data = html.encode("utf-8", "replace") if isinstance(html, str) else html
    return etree.fromstring(data, parser)


# An element deeper than pipeline.text._MAX_DEPTH (the root is at depth 1): libxml2 walks
# this path level by level, in C.
_TOO_DEEP = etree.XPath("boolean(/" + "/".join(["*"] * (tx._MAX_DEPTH + 1)) + ")")
# The anchors (main, h1, itemprop=articleBody: furniture never holds these) and containers
# (article, main, articleBody, role=main: the article is looked for in these), in document
# order. Attributes are matched as nodes: a predicate on every element costs libxml2 several
# times more.
_MARKED = etree.XPath(
    "//main | //h1 | //article | //@itemprop[.='articleBody']/.. | //@role[.='main']/.."
)
# The text of an element: its text nodes (not comments'), tails inside it included.
_STRING = etree.XPath("string()", smart_strings=False)
# The same text, serialized by libxml2: several times cheaper than an XPath evaluation.
_TEXT_NODES = functools.partial(etree.tostring, method="text", encoding=str, with_tail=False)
_HAS_NOT_TEXT = etree.XPath(
    "boolean(descendant::*[self::script or self::style or self::template or self::rt or self::rp])"
)


def text_of(el: _Element, sep: str = "") -> str:
    """What BeautifulSoup's `get_text(sep)` gives for `el`."""
    if not sep and el.tag not in _NOT_TEXT and not _HAS_NOT_TEXT(el):
        return _STRING(el)  # type: ignore[no-any-return]
    return sep.join(_strings(el))


def _strings(el: _Element) -> Iterable[str]:
    skip = 0
    for event, e in etree.iterwalk(el, events=_EVENTS):
        if event == "start":
            if e.tag in _NOT_TEXT:
                skip += 1
            elif not skip and e.text:
                yield e.text
            continue
        if event == "end" and e.tag in _NOT_TEXT:
            skip -= 1
        if e is not el and not skip and e.tail:
            yield e.tail


def _drop(el: _Element) -> None:
    """Remove `el` and what it holds; the text after it stays (lxml keeps it in `el.tail`)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _classes(el: _Element) -> list[str] | None:
    value = el.get("class")
    return None if value is None else value.split()


class Page:
    """The tree and the elements the stages look at, gathered in one walk (PageIndex's)."""

    def __init__(self, doc: _Element) -> None:
        self.doc = doc
        body = doc.find("body") if doc.tag == "html" else None
        self.root: _Element = body if body is not None else doc
        if _TOO_DEEP(doc):
            raise tx._TooDeep
        # Each list in document order, gathered by lxml's C iterators and XPath rather than
        # by a walk in Python over every element.
        self.ld_json: list[_Element] = [
            s for s in doc.iter("script") if s.get("type") == "application/ld+json"
        ]
        self.meta_title: _Element | None = next(
            (m for m in doc.iter("meta") if m.get("property") == "og:title"), None
        )
        self.paragraphs: list[_Element] = list(doc.iter("p"))
        self.headings: list[_Element] = list(doc.iter(*fu._BOX_HEADINGS))
        self.first: dict[str, _Element] = {}  # the first title and h1
        for name in ("title", "h1"):
            found = next(doc.iter(name), None)
            if found is not None:
                self.first[name] = found
        marked: list[_Element] = _MARKED(doc)
        self.anchors: list[_Element] = [
            e for e in marked if e.tag in ("main", "h1") or e.get("itemprop") == "articleBody"
        ]
        self.containers: list[_Element] = [
            e
            for e in marked
            if e.tag in ("article", "main")
            or e.get("itemprop") == "articleBody"
            or e.get("role") == "main"
        ]
        # Whether no element whose text is not text (script, style, template, rt, rp) is left:
        # set once script, style and template are dropped.
        self.plain = False

    def text(self, el: _Element) -> str:
        """text_of(el): with nothing left whose text is not text, the text of all its nodes."""
        return _TEXT_NODES(el) if self.plain else text_of(el)  # type: ignore[no-any-return]

    def live(self, el: _Element) -> bool:
        """Whether `el` is still in the page (not dropped, nor inside something dropped)."""
        return el.getroottree().getroot() is self.doc

    def p_chars(self) -> dict[_Element, int]:
        chars: dict[_Element, int] = {}
        for p in self.paragraphs:
            if not self.live(p):
                continue
            n = len(self.text(p))
            chars[p] = n
            for parent in p.iterancestors():
                chars[parent] = chars.get(parent, 0) + n
        return chars


def article(html: str | bytes) -> tuple[str | None, list[str]]:
    """The title and paragraphs of the page's article, as pipeline.text finds them without a
    selector: control characters are dropped first (bytes: UTF-8 they are already dropped from,
    tx.CONTROL_BYTES). Raises pipeline.text._TooDeep for a page nested too deep."""
    if isinstance(html, str):
        html = html.encode("utf-8", "replace").translate(None, tx.CONTROL_BYTES)
    doc = parse(html)
    if doc is None:
        return None, []
    page = Page(doc)
    title = _title(page)
    structured = tx._ld_article_body_text(s.text for s in page.ld_json)
    _drop_furniture(page)
    paragraphs = [p for root in _find_article(page) for p in _paragraphs(root)]
    if structured and sum(map(len, paragraphs)) * 3 < len(structured) * 2:
        paragraphs = _split_body(structured)
    return title, paragraphs


def _title(page: Page) -> str | None:
    meta = page.meta_title
    if meta is not None:
        content = meta.get("content")
        if content and content.strip():
            return tx._clean(content) or None
    for name in ("title", "h1"):
        tag = page.first.get(name)
        if tag is not None:
            text = tx._clean(text_of(tag, " "))
            if text:
                return text
    return None


def _split_body(body: str) -> list[str]:
    if tx._HTML_BODY.search(body):
        doc = parse(body)
        if doc is None:
            return []
        found = doc.find("body")
        return _paragraphs(found if found is not None else doc)
    lines = (tx._clean(line) for line in body.splitlines())
    return [line for line in lines if line]


def _tokens(attrs: dict[str, str]) -> frozenset[str]:
    parts: list[str] = []
    for attr in ("class", "id", "role", "aria-label", "data-component", "data-testid"):
        value = attrs.get(attr)
        if value:
            parts.extend(value.split() if attr == "class" else [value])
    if not parts:
        return frozenset()
    return _tokens_of(tuple(parts))


@functools.lru_cache(maxsize=8192)
def _tokens_of(parts: tuple[str, ...]) -> frozenset[str]:
    # Pages repeat the same classes on many elements: each set of them is split once.
    kept = [p for p in parts if not p.lower().startswith(fu._IGNORED_CLASS_PREFIXES)]
    return frozenset(fu._TOKEN.findall(fu._CAMEL.sub(" ", " ".join(kept)).lower()))


def _junk_tokens(attrs: dict[str, str]) -> bool:
    tokens = _tokens(attrs)
    if not tokens:
        return False
    if tokens & fu._JUNK_TOKENS:
        return True
    # Most elements hold no first word of a pair: the pairs are not gone through for them.
    return not tokens.isdisjoint(_PAIR_FIRSTS) and any(
        a in tokens and b in tokens for a, b in fu._JUNK_PAIRS
    )


_PAIR_FIRSTS = frozenset(a for a, _ in fu._JUNK_PAIRS)


def _is_hidden(attrs: dict[str, str]) -> bool:
    hidden = attrs.get("hidden")
    if hidden is not None and hidden.strip().lower() != "until-found":
        return True
    if (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = attrs.get("style")
    if style and fu._HIDDEN_STYLE.search(style):
        return True
    classes = attrs.get("class")
    if not classes:
        return False
    names = [c.lower() for c in classes.split()]
    return bool(fu._HIDDEN_CLASSES.intersection(names)) and not any(
        fu._SHOWN_SOMEWHERE.search(c) for c in names
    )


# What the furniture walk does with an element, from its tag and attributes alone (a header is
# junk unless it sits in an article, which its ancestors tell).
_KEEP, _HIDDEN, _JUNK, _HEADER = range(4)


@functools.lru_cache(maxsize=8192)
def _verdict(name: str, items: tuple[tuple[str, str], ...]) -> int:
    # Pages give many elements the same tag and attributes: each set is judged once.
    attrs: dict[str, str] = {}
    for key, value in items:
        attrs.setdefault(key, value)  # a repeated attribute: el.get() reads the first
    if _is_hidden(attrs):
        return _HIDDEN
    if name in fu._FURNITURE:
        return _JUNK
    if name == "header":
        return _HEADER
    return _JUNK if _junk_tokens(attrs) else _KEEP


def _drop_furniture(page: Page) -> None:
    """furniture.drop_furniture with boxes, nothing protected."""
    # What is always dropped goes in one C pass (`_drop` for each, but the text after each
    # stays where it was, which lxml reads as the tail of what comes before).
    etree.strip_elements(page.doc, *fu._ALWAYS_DROP, with_tail=False)
    page.plain = next(page.doc.iter("rt", "rp"), None) is None  # scripts and the like are gone
    root = page.root
    # The paragraph text in an element, as page.p_chars() gives it before anything else is
    # dropped, counted only for the elements asked about: the walk below asks about a few
    # junk-looking elements, each before anything inside it is dropped (it goes top down), and
    # the box of each heading is counted now.
    total_p = _p_chars_in(page, root)
    boxes: dict[_Element, int] = {}
    for heading in page.headings:
        box = heading.getparent()
        if box is not None and box not in boxes:
            boxes[box] = _p_chars_in(page, box)
    holders: set[_Element] = set()
    for anchor in page.anchors:
        if page.live(anchor):
            holders.add(anchor)
            holders.update(anchor.iterancestors())

    def holds_article(tag: _Element, chars: int | None = None) -> bool:
        if tag in holders:
            return True
        return (_p_chars_in(page, tag) if chars is None else chars) * 2 > total_p > 0

    # Top down, what is not dropped is looked into. Each verdict reads only what is inside the
    # element and its ancestors, which no other drop changes, so the elements are judged in
    # one walk of lxml's (in C) and dropped after it, in document order.
    dropped: list[_Element] = []
    walk = etree.iterwalk(root, events=("start",))
    next(walk)  # the root itself is not judged
    for _event, child in walk:
        verdict = _verdict(child.tag, tuple(child.items()))
        if verdict == _KEEP:
            continue
        junk = verdict == _JUNK or (
            # The header of an article holds its headline; the page's, the masthead.
            verdict == _HEADER and next(child.iterancestors("article"), None) is None
        )
        # A hidden element goes even when it holds most of the text: no one reads it.
        if verdict == _HIDDEN or (junk and not holds_article(child)):
            dropped.append(child)
            walk.skip_subtree()
    for child in dropped:
        _drop(child)
    for heading in page.headings:
        if not page.live(heading) or not fu._BOX_HEADING.match(text_of(heading, " ")):
            continue
        box = heading.getparent()
        if (
            box is not None
            and box is not root
            and not holds_article(box, boxes.get(box))
            and (
                _link_density(page, box) > 0.3 or len(page.text(box)) - len(page.text(heading)) < 20
            )
        ):
            _drop(box)
            continue
        after = heading.getnext()
        while after is not None and not isinstance(after.tag, str):
            after = after.getnext()
        if (
            after is not None
            and after.tag in ("ul", "ol", "div")
            and _link_density(page, after) > 0.5
        ):
            _drop(after)
            _drop(heading)


def _p_chars_in(page: Page, tag: _Element) -> int:
    """Page.p_chars()[tag]: the text of the paragraphs in `tag` (or of `tag`, a paragraph)."""
    return sum(len(page.text(p)) for p in tag.iter("p"))


def _link_density(page: Page, tag: _Element) -> float:
    text = len(page.text(tag))
    if not text:
        return 0.0
    return sum(len(page.text(a)) for a in tag.iterdescendants("a")) / text


def _find_article(page: Page) -> list[_Element]:
    root = page.root
    p_chars = page.p_chars()
    total_p = p_chars.get(root, 0)
    live = [tag for tag in page.containers if page.live(tag)]
    for kind in tx._CONTAINER_KINDS:
        best: _Element | None = None
        best_chars = 0
        for tag in live:
            chars = p_chars.get(tag, 0)
            if _kind(tag) == kind and chars > best_chars:
                best, best_chars = tag, chars
        if (
            best is not None
            and best_chars >= tx._MIN_ARTICLE_CHARS
            and best_chars * 10 >= total_p * 3
        ):
            return _with_siblings(page, best, p_chars)
    return _densest(page, p_chars)


def _kind(tag: _Element) -> str:
    if tag.get("itemprop") == "articleBody":
        return "body"
    return "article" if tag.tag == "article" else "main"


def _with_siblings(page: Page, best: _Element, p_chars: dict[_Element, int]) -> list[_Element]:
    parent = best.getparent()
    if best.tag != "article" or parent is None:
        return [best]
    siblings = [c for c in parent if c.tag == "article"]
    if len(siblings) < 2:
        return [best]
    return [
        tag
        for tag in siblings
        if tag is best
        or (
            _classes(tag) == _classes(best)
            and p_chars.get(tag, 0) >= 100
            and _link_density(page, tag) < 0.25
        )
    ]


def _densest(page: Page, p_chars: dict[_Element, int]) -> list[_Element]:
    root = page.root
    scores: dict[_Element, float] = {}
    for p in root.iterdescendants("p", "pre", "td"):
        text = page.text(p)
        if len(text) < 25:
            continue
        score = 1 + min(len(text) / 100, 3) + text.count(",")
        parent = p.getparent()
        grand = parent.getparent() if parent is not None else None
        for level, holder in enumerate((parent, grand)):
            if holder is not None:
                scores[holder] = scores.get(holder, 0.0) + score / (level + 1)
    if not scores:
        return [root]
    best = max(scores, key=lambda k: scores[k] * (1 - _link_density(page, k)))
    chars = p_chars.get(best, 0)
    while True:
        parent = best.getparent()
        if best is root or parent is None or parent is root or p_chars.get(parent, 0) != chars:
            break
        best = parent
    parent = best.getparent()
    if best is root or parent is None:
        return [best]
    floor = max(80, chars // 5)
    kind = _classes(best)
    return [
        tag
        for tag in parent
        if tag.tag == best.tag
        and (
            tag is best
            or (
                _classes(tag) == kind
                and p_chars.get(tag, 0) >= floor
                and _link_density(page, tag) < 0.3
            )
        )
    ]


def _block_of(tag: _Element, cache: dict[_Element, _Element], stop: _Element) -> _Element:
    path: list[_Element] = []
    node: _Element | None = tag
    found = stop
    while node is not None:
        hit = cache.get(node)
        if hit is not None:
            found = hit
            break
        if node.tag in tx._BLOCKS or node is stop:
            found = node
            break
        path.append(node)
        node = node.getparent()
    for visited in path:
        cache[visited] = found
    return found


def _paragraphs(root: _Element) -> list[str]:
    """pipeline.text._paragraphs on the lxml tree: one string per block."""
    out: list[str] = []
    buffer: list[str] = []
    current: list[_Element | None] = [None]
    cache: dict[_Element, _Element] = {}

    def flush() -> None:
        if buffer:
            text = tx._clean("".join(buffer))
            if text and not tx._BOILERPLATE.match(text):
                out.append(text)
            buffer.clear()

    def add(string: str, parent: _Element | None) -> None:
        block = _block_of(parent, cache, root) if parent is not None else root
        if block is not current[0]:
            flush()
            current[0] = block
        buffer.append(string)

    skip = 0
    for event, e in etree.iterwalk(root, events=_EVENTS):
        if event == "start":
            name = e.tag
            if name in _NOT_TEXT:
                skip += 1
            elif name in ("br", "hr"):
                flush()
            if not skip and e.text and name not in _NOT_TEXT:
                add(e.text, e)
            continue
        if event == "end" and e.tag in _NOT_TEXT:
            skip -= 1
        if e is not root and not skip and e.tail:
            add(e.tail, e.getparent())
    flush()
    return out
