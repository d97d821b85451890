"""Page furniture: what is never article text (scripts, menus, asides, "most read" boxes, share
bars, cookie banners, hidden elements, ...) and how it is found and dropped before the article
is chosen."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a parsing worker on the lxml path never loads bs4
    from bs4 import BeautifulSoup, Tag

__all__ = ["PageIndex", "drop_furniture", "is_hidden", "link_density", "with_ancestors"]

# Never article text, whatever their attributes say.
_ALWAYS_DROP = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
     "button", "select", "input", "textarea", "dialog", "link", "meta"}
)  # fmt: skip
# Page furniture: dropped unless they hold the article (some sites wrap everything in a form).
_FURNITURE = frozenset({"nav", "aside", "footer", "form", "menu"})
_BOX_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Class/id/role/aria-label tokens that mark page furniture. Matched on tokens split at
# non-letters, so "article-header" is not "header" and "shadow" is not "ad".
_JUNK_TOKENS = frozenset(
    """menu nav navbar navigation sidebar sidenav related mostread mostpopular popular trending
    readmore recommended recommendations recirculation comment comments share sharing social
    newsletter cookie cookies consent gdpr advert adverts advertisement advertising ad ads adslot
    adunit sponsored sponsor breadcrumb breadcrumbs footer subscribe subscription promo promotion
    outbrain taboola banner complementary contentinfo dialog alertdialog modal popup paywall
    skiplink teaser teasers ticker tags taglist explore""".split()  # noqa: SIM905
)
# Pairs that say furniture only together ("most read", "read more", "ad slot", ...).
_JUNK_PAIRS = frozenset(
    {("most", "read"), ("most", "popular"), ("most", "viewed"), ("most", "shared"),
     ("read", "more"), ("ad", "slot"), ("ad", "unit"), ("ad", "container"), ("ad", "wrapper"),
     ("more", "stories"), ("top", "stories"), ("you", "may"), ("also", "like"),
     ("skip", "link"), ("side", "bar"), ("call", "out"), ("breaking", "bar"),
     ("breaking", "header"), ("author", "bio"), ("author", "card")}
)  # fmt: skip
_IGNORED_CLASS_PREFIXES = (
    "tag-", "category-", "location-", "topic-", "type-", "section-", "has-", "with-", "no-",
    "is-", "post-", "format-",
)  # fmt: skip
# Hidden text is read by no one: the page shows it to no reader and no screen reader (stale
# versions, templates for scripts, tab panels, a sentence planted for scrapers), so it is
# dropped whatever it holds. What the accessibility tree keeps, figwatch keeps: "sr-only" and
# "visually-hidden" text is read aloud to screen-reader users (often the words behind an icon
# or a figure drawn as a chart), while aria-hidden text is withheld from them.
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!\s*important\s*)?(?:;|$)",
    re.I,
)
# Utility classes for display:none / visibility:hidden (Bootstrap, Tailwind, Bulma, Foundation).
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "is-hidden", "hide", "invisible", "display-none"})
# ... unless a responsive class shows the element on some screens ("d-none d-md-block",
# "hidden md:block", "hide show-for-large").
_SHOWN_SOMEWHERE = re.compile(r"^d-(?:sm|md|lg|xl|xxl)-|:|^(?:visible|show)-")
_TOKEN = re.compile(r"[a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Headings that title a box of links to other stories.
_BOX_HEADING = re.compile(
    r"^\s*(most\s+(read|popular|viewed|shared)|trending|related|read\s+(more|next|also)|"
    r"more\s+(stories|from|on|news)|recommended|top\s+stories|latest\s+(news|stories|headlines)|"
    r"you\s+may\s+(also\s+)?like|popular|(editors?['’]?s?\s+)?(picks?|recommendations?)|"
    r"what\s+to\s+read\s+next|explore\s+further|in\s+other\s+news|see\s+also)\b",
    re.I,
)


class PageIndex:
    """The elements the stages below look at, gathered in one walk over the tree (each
    `find_all` is a walk of its own, and BeautifulSoup walks are the cost here)."""

    def __init__(self, soup: BeautifulSoup) -> None:
        from bs4 import Tag

        self.root: Tag = soup.body or soup
        self.always_drop: list[Tag] = []
        self.ld_json: list[Tag] = []
        self.headings: list[Tag] = []
        self.containers: list[Tag] = []
        self.anchors: list[Tag] = []  # main, h1, articleBody: furniture never holds these
        self.paragraphs: list[Tag] = []
        for node in soup.descendants:
            if not isinstance(node, Tag):
                continue
            name = node.name
            if name in _ALWAYS_DROP:
                self.always_drop.append(node)
                if name == "script" and node.get("type") == "application/ld+json":
                    self.ld_json.append(node)
            elif name == "p":
                self.paragraphs.append(node)
            elif name in _BOX_HEADINGS:
                self.headings.append(node)
            body = node.get("itemprop") == "articleBody"
            if name in ("main", "h1") or body:
                self.anchors.append(node)
            if name in ("article", "main") or body or node.get("role") == "main":
                self.containers.append(node)

    def p_chars(self) -> dict[int, int]:
        """Characters of `<p>` text inside each element (by id), counting live paragraphs."""
        chars: dict[int, int] = {}
        for p in self.paragraphs:
            if p.decomposed:
                continue
            n = len(p.get_text())
            chars[id(p)] = n
            for parent in p.parents:
                chars[id(parent)] = chars.get(id(parent), 0) + n
        return chars


def with_ancestors(tags: list[Tag]) -> set[int]:
    """The ids of `tags` and of every element above them."""
    keep: set[int] = set()
    for tag in tags:
        keep.add(id(tag))
        keep.update(id(p) for p in tag.parents)
    return keep


def _tokens(tag: Tag) -> set[str]:
    parts: list[str] = []
    for attr in ("class", "id", "role", "aria-label", "data-component", "data-testid"):
        value = tag.get(attr)
        if value:
            parts.extend(value if isinstance(value, list) else [value])
    if not parts:
        return set()
    # CMS taxonomy classes ("tag-social-media", "category-comment") describe the story, and
    # state classes ("has-sidebar", "no-ads") describe the layout: neither marks furniture.
    kept = [p for p in parts if not p.lower().startswith(_IGNORED_CLASS_PREFIXES)]
    return set(_TOKEN.findall(_CAMEL.sub(" ", " ".join(kept)).lower()))


def _is_junk(tag: Tag) -> bool:
    name = tag.name
    if name in _FURNITURE:
        return True
    if name == "header":
        # The header of an article holds its headline; the page's header holds the masthead.
        return tag.find_parent("article") is None
    tokens = _tokens(tag)
    if not tokens:
        return False
    if tokens & _JUNK_TOKENS:
        return True
    return any(a in tokens and b in tokens for a, b in _JUNK_PAIRS)


def is_hidden(tag: Tag) -> bool:
    """Whether the page hides `tag` from every reader: the `hidden` attribute (not
    "until-found", which find-in-page reveals), aria-hidden="true", an inline display:none or
    visibility:hidden, or a utility class that does so on every screen."""
    hidden = tag.get("hidden")
    if hidden is not None and str(hidden).strip().lower() != "until-found":
        return True
    if str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return True
    style = tag.get("style")
    if style and _HIDDEN_STYLE.search(str(style)):
        return True
    classes = tag.get("class")
    if not classes:
        return False
    names = [c.lower() for c in (classes if isinstance(classes, list) else str(classes).split())]
    return bool(_HIDDEN_CLASSES.intersection(names)) and not any(
        _SHOWN_SOMEWHERE.search(c) for c in names
    )


def drop_furniture(index: PageIndex, *, protected: set[int], boxes: bool) -> None:
    """Remove scripts, navigation, asides and the like, in place; with `boxes`, also boxes of
    links found by their heading ("Most read", ...), which a chosen selector may want."""
    from bs4 import Tag

    for tag in index.always_drop:
        if id(tag) not in protected and not tag.decomposed:
            tag.decompose()
    root = index.root
    p_chars = index.p_chars()
    total_p = p_chars.get(id(root), 0)
    holders = with_ancestors([a for a in index.anchors if not a.decomposed])

    def holds_article(tag: Tag) -> bool:
        # A furniture-looking element may in fact wrap the article ("layout has-sidebar").
        return id(tag) in holders or p_chars.get(id(tag), 0) * 2 > total_p > 0

    stack: list[Tag] = [root]
    while stack:
        parent = stack.pop()
        for child in list(parent.contents):
            if not isinstance(child, Tag):
                continue
            if id(child) not in protected and is_hidden(child):
                child.decompose()  # even when it holds most of the text: no one reads it
                continue
            junk = id(child) not in protected and _is_junk(child)
            if junk and not holds_article(child):
                child.decompose()
                continue
            stack.append(child)
    if not boxes:
        return
    # A box of links titled "Most read", "Related", ... with no telling class.
    for heading in index.headings:
        if heading.decomposed or not _BOX_HEADING.match(heading.get_text(" ")):
            continue
        box = heading.parent
        if (
            isinstance(box, Tag)
            and id(box) not in protected
            and box is not root
            and not holds_article(box)
            and (
                link_density(box) > 0.3
                # emptied by the page's scripts: a title over nothing
                or len(box.get_text()) - len(heading.get_text()) < 20
            )
        ):
            box.decompose()
            continue
        # No wrapper of its own: the box is the heading and the list of links after it.
        after = heading.find_next_sibling(True)
        if (
            isinstance(after, Tag)
            and after.name in ("ul", "ol", "div")
            and link_density(after) > 0.5
        ):
            after.decompose()
            heading.decompose()


def link_density(tag: Tag) -> float:
    """The share of `tag`'s text that sits inside links (0.0 for an empty element)."""
    text = len(tag.get_text())
    if not text:
        return 0.0
    return sum(len(a.get_text()) for a in tag.find_all("a")) / text
