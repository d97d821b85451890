"""article_text on hand-written pages, the real pages in ../shared/data/pages, and junk."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import Article, TextError, article_text

PAGES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "pages").resolve()

BODY = [
    "Officials in the river town said the overnight shelling hit two apartment blocks and a "
    "school that had been used as a shelter since the spring.",
    "At least 14 civilians were killed and 37 wounded, the regional governor said on Tuesday, "
    "adding that rescuers were still searching the rubble.",
    "The governor said three people remained missing after the strike on the eastern district.",
    "Residents described hearing a series of loud explosions shortly after midnight, followed "
    "by the sound of sirens across the river.",
    "The military said it would investigate the attack and promised to restore power to the "
    "district by the end of the week.",
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>Shelling hits river town | The Daily Example</title>
<meta property="og:title" content="Shelling hits river town">
<style>.x {{ color: red }}</style>
<script>window.dataLayer = [{{"page": "article", "killed": 999}}];</script>
</head><body>
<div id="cookie-banner" class="consent-bar">We use cookies to improve your experience.
  <button>Accept all</button></div>
<header class="site-header"><a href="/">The Daily Example</a>
  <nav class="main-menu"><ul><li><a href="/world">World</a></li><li><a href="/war">War</a></li>
  <li><a href="/live">Live: 24 hours in Kyiv</a></li></ul></nav></header>
<div class="layout has-sidebar">
 <main id="content">
  <article class="story">
   <header class="article-header"><h1>Shelling hits river town</h1>
    <p class="byline">By A. Reporter, 3 June</p></header>
   <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
   <div class="article-body" itemprop="articleBody">
    <p>{BODY[0]}</p>
    <p>{BODY[1]}</p>
    <div class="ad-slot">Advertisement</div>
    <h2>Search for survivors</h2>
    <p>{BODY[2]}</p>
    <p>{BODY[3]}</p>
    <p>{BODY[4]}</p>
   </div>
   <div class="related-stories"><h3>Related</h3><ul>
    <li><a href="/a">Five soldiers captured near the border, ministry says</a></li>
    <li><a href="/b">Death toll in port city rises to 40</a></li></ul></div>
   <section id="comments" class="comments"><h3>Comments</h3>
    <p>Reader one: I heard 200 were killed, is that true?</p></section>
  </article>
 </main>
 <aside class="sidebar">
  <section class="most-read"><h2>Most read</h2><ol>
   <li><a href="/c">12 killed in market attack</a></li>
   <li><a href="/d">Ferry disaster: 30 missing after storm</a></li></ol></section>
  <div class="newsletter-signup"><p>Get the morning briefing in your inbox.</p></div>
 </aside>
</div>
<footer class="site-footer"><p>© The Daily Example. All rights reserved.</p>
  <a href="/privacy">Privacy Policy</a></footer>
</body></html>"""


def test_news_page_gives_the_article_and_nothing_else() -> None:
    article = article_text(NEWS_PAGE)
    assert article.title == "Shelling hits river town"
    paragraphs = article.text.split("\n\n")
    for sentence in BODY:
        assert sentence in paragraphs
    assert [paragraphs.index(s) for s in BODY] == sorted(paragraphs.index(s) for s in BODY)
    assert "Search for survivors" in paragraphs  # a heading is a paragraph of its own
    junk = ["12 killed", "30 missing", "Death toll in port", "Five soldiers captured"]
    junk += ["200 were killed", "cookies", "Accept all", "Live: 24 hours", "Share on"]
    junk += ["Advertisement", "morning briefing", "All rights reserved", "999", "color"]
    for text in junk:
        assert text not in article.text, text


def test_most_read_box_without_telling_classes_is_dropped() -> None:
    page = f"""<html><body><div class="wrap"><div class="col">
      <h1>Headline</h1><p>{BODY[0]}</p><p>{BODY[1]}</p><p>{BODY[3]}</p></div>
      <div class="col2"><h2>Most read</h2><ul><li><a href="/x">12 killed in market attack</a></li>
      <li><a href="/y">Nine hostages freed after talks</a></li></ul></div></div></body></html>"""
    text = article_text(page).text
    assert BODY[1] in text and "12 killed" not in text and "hostages" not in text


def test_most_read_teasers_as_articles_do_not_win_or_leak() -> None:
    teasers = "".join(
        f'<article class="teaser"><a href="/{i}"><h3>{i} killed in attack number {i}</h3></a>'
        f"<p>Short summary {i}.</p></article>"
        for i in range(12, 20)
    )
    page = (
        f"<html><body><article><h1>Main</h1>{''.join(f'<p>{b}</p>' for b in BODY)}</article>"
        f'<aside aria-label="Most popular">{teasers}</aside></body></html>'
    )
    text = article_text(page).text
    assert BODY[4] in text and "killed in attack number" not in text


def test_headline_box_with_no_wrapper_is_dropped() -> None:
    page = (
        f"<html><body><div><p>{BODY[0]}</p><p>{BODY[1]}</p><h4>Editors’ picks:</h4>"
        '<ul><li><a href="/1">Six dead as floods sweep valley</a></li></ul>'
        f"<p>{BODY[2]}</p></div></body></html>"
    )
    text = article_text(page).text
    assert BODY[2] in text and "Six dead" not in text


def test_read_more_links_inside_the_body_are_dropped() -> None:
    page = f"""<html><body><article><p>{BODY[0]}</p>
      <p><strong>Read more:</strong> <a href="/z">Eight soldiers killed in ambush</a></p>
      <p>{BODY[1]}</p></article></body></html>"""
    text = article_text(page).text
    assert BODY[1] in text and "Eight soldiers" not in text


def test_wrapper_with_furniture_like_class_keeps_the_article() -> None:
    page = f"""<html><body><div class="page sidebar-layout"><div class="menu-open">
      <h1>Title</h1>{"".join(f"<p>{b}</p>" for b in BODY)}</div></div>
      <form id="aspnetForm"></form></body></html>"""
    assert article_text(page).text.count("\n\n") >= len(BODY) - 1


def test_page_wrapped_in_a_form_keeps_the_article() -> None:
    page = f'<html><body><form id="f1"><h1>T</h1>{"".join(f"<p>{b}</p>" for b in BODY)}</form>'
    assert BODY[1] in article_text(page).text


def test_cms_taxonomy_classes_do_not_drop_content() -> None:
    page = f"""<html><body><div class="post tag-social-media category-comment">
      {"".join(f"<p>{b}</p>" for b in BODY)}</div><div class="comments">x 5 killed</div>
      </body></html>"""
    text = article_text(page).text
    assert BODY[0] in text and "5 killed" not in text


def test_live_blog_keeps_every_post() -> None:
    posts = "".join(
        f'<article class="block"><h3>{h:02d}:00</h3><p>{b}</p></article>'
        for h, b in enumerate(BODY)
    )
    teaser = f'<article class="teaser"><a href="/t">Other story</a><p>{BODY[0]}</p></article>'
    page = f'<html><body><h1>Live</h1><div class="live-feed">{posts}{teaser}</div></body></html>'
    text = article_text(page).text
    assert all(b in text for b in BODY) and "Other story" not in text
    assert text.count(BODY[0]) == 1


def test_teaser_articles_do_not_beat_an_unmarked_story_body() -> None:
    teasers = "".join(
        f'<article><h3><a href="/{i}">Story {i}</a></h3><p>{BODY[3]}</p></article>'
        for i in range(2)
    )
    page = f"""<html><body><header><h1>Town shelled</h1></header>
      <div class="story-body">{"".join(f"<p>{b}</p>" for b in BODY * 2)}</div>
      <div class="more">{teasers}</div></body></html>"""
    text = article_text(page).text
    assert text.count(BODY[1]) == 2 and "Story 1" not in text


def test_density_fallback_without_semantic_markup() -> None:
    page = f"""<html><body><div id="top"><a href="/">Home</a> <a href="/2">Section 7</a></div>
      <div id="x1"><div id="x2">{"".join(f"<p>{b}</p>" for b in BODY)}</div></div>
      <div id="links"><a href="/q">Hundreds flee as 10 die</a></div></body></html>"""
    text = article_text(page).text
    assert text.split("\n\n") == BODY


def test_numbers_keep_their_no_break_and_thin_spaces() -> None:
    page = (
        "<html><body><article><p>More than 3\u00a0800 soldiers were killed or wounded, and "
        "1\u202f200 were\u00a0captured.</p><p>Soft\u00adhyphen and zero\u200bwidth.</p>"
        "<p>At least <b>30</b>\n   soldiers <a href='#'>were</a> hurt.</p></article></body></html>"
    )
    paragraphs = article_text(page).text.split("\n\n")
    assert paragraphs[0] == (
        "More than 3\u00a0800 soldiers were killed or wounded, and 1\u202f200 were captured."
    )
    assert paragraphs[1] == "Softhyphen and zerowidth."
    assert paragraphs[2] == "At least 30 soldiers were hurt."


def test_br_and_bare_div_text_make_paragraphs() -> None:
    page = "<html><body><div>First line about 5 wounded.<br><br>Second line.<div>Inner</div>Tail"
    assert article_text(page).text.split("\n\n") == [
        "First line about 5 wounded.",
        "Second line.",
        "Inner",
        "Tail",
    ]


def test_selector_takes_the_matched_elements_only() -> None:
    article = article_text(NEWS_PAGE, selector="div.article-body")
    assert article.text.split("\n\n") == [BODY[0], BODY[1], "Search for survivors", *BODY[2:]]
    assert article.title == "Shelling hits river town"


def test_selector_inside_furniture_is_honoured_and_not_duplicated() -> None:
    article = article_text(NEWS_PAGE, selector="section.most-read, section.most-read ol")
    assert article.text.split("\n\n") == [
        "Most read",
        "12 killed in market attack",
        "Ferry disaster: 30 missing after storm",
    ]


def test_selector_that_matches_nothing() -> None:
    with pytest.raises(TextError, match="selector 'article.main' matched nothing"):
        article_text(NEWS_PAGE, selector="article.main")


def test_invalid_selector() -> None:
    with pytest.raises(TextError, match="invalid selector"):
        article_text(NEWS_PAGE, selector="div[")


HIDDEN_TOLL = "At least 300 soldiers were killed in the hidden battle, the ministry said."


def _with_hidden(block: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return f"<html><body><article>{body}{block}</article></body></html>"


@pytest.mark.parametrize(
    "block",
    [
        f"<div hidden><p>{HIDDEN_TOLL}</p></div>",
        f'<div hidden="hidden"><p>{HIDDEN_TOLL}</p></div>',
        f'<p aria-hidden="true">{HIDDEN_TOLL}</p>',
        f'<div aria-hidden=" TRUE "><p>{HIDDEN_TOLL}</p></div>',
        f'<div style="display:none"><p>{HIDDEN_TOLL}</p></div>',
        f'<div style="color: red; DISPLAY : None !important;"><p>{HIDDEN_TOLL}</p></div>',
        f'<p style="visibility: hidden">{HIDDEN_TOLL}</p>',
        f'<p style="font-weight:bold;visibility:collapse">{HIDDEN_TOLL}</p>',
        f'<div class="story-extra hidden"><p>{HIDDEN_TOLL}</p></div>',
        f'<div class="d-none"><p>{HIDDEN_TOLL}</p></div>',
        f'<p class="is-hidden">{HIDDEN_TOLL}</p>',
        f'<p class="invisible">{HIDDEN_TOLL}</p>',
        f"<template><p>{HIDDEN_TOLL}</p></template>",
        f"<noscript><p>{HIDDEN_TOLL}</p></noscript>",
    ],
    ids=lambda block: block.split(">")[0].lstrip("<"),
)
def test_hidden_text_is_not_read(block: str) -> None:
    text = article_text(_with_hidden(block)).text
    assert "300" not in text and text.split("\n\n") == BODY


def test_hidden_block_holding_most_of_the_text_is_still_dropped() -> None:
    stale = "".join(f"<p>{HIDDEN_TOLL} {p}</p>" for p in BODY * 3)
    page = (
        f'<html><body><main><div style="display: none">{stale}</div>'
        f"<p>{BODY[0]}</p><p>{BODY[1]}</p></main></body></html>"
    )
    assert article_text(page).text.split("\n\n") == BODY[:2]


@pytest.mark.parametrize(
    "block",
    [
        f'<p class="sr-only">{HIDDEN_TOLL}</p>',  # read aloud to screen-reader users
        f'<p class="visually-hidden">{HIDDEN_TOLL}</p>',
        f'<div class="d-none d-md-block"><p>{HIDDEN_TOLL}</p></div>',  # shown on wide screens
        f'<div class="hidden md:block"><p>{HIDDEN_TOLL}</p></div>',
        f'<div hidden="until-found"><p>{HIDDEN_TOLL}</p></div>',  # found by find-in-page
        f'<p style="display: block" aria-hidden="false">{HIDDEN_TOLL}</p>',
        f'<p class="hidden-gem">{HIDDEN_TOLL}</p>',
    ],
    ids=lambda block: block.split(">")[0].lstrip("<"),
)
def test_text_that_some_reader_gets_is_kept(block: str) -> None:
    assert HIDDEN_TOLL in article_text(_with_hidden(block)).text.split("\n\n")


def test_selected_element_is_read_even_if_hidden_but_not_what_it_hides() -> None:
    page = (
        f'<html><body><div id="tab2" hidden><p>{BODY[0]}</p>'
        f'<p aria-hidden="true">{HIDDEN_TOLL}</p></div></body></html>'
    )
    assert article_text(page, selector="#tab2").text == BODY[0]


def test_json_ld_body_when_the_page_is_rendered_by_script() -> None:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "H",
            "articleBody": "\n".join(BODY)}  # fmt: skip
    page = (
        '<html><head><script type="application/ld+json">'
        + json.dumps(data)
        + '</script></head><body><div id="app"><p>Loading…</p></div></body></html>'
    )
    assert article_text(page).text.split("\n\n") == BODY


def test_plain_text_keeps_its_paragraphs() -> None:
    text = "Two soldiers were captured.\n\nAt least   30 were killed\nor wounded.\n \n\n"
    assert article_text(text) == Article(
        title=None, text="Two soldiers were captured.\n\nAt least 30 were killed or wounded."
    )


@pytest.mark.parametrize("html", ["", "   \n\t", "<html></html>", "<script>x=1</script>"])
def test_empty_pages_raise_text_error(html: str) -> None:
    with pytest.raises(TextError):
        article_text(html)


def _survives(html: str) -> Article | None:
    try:
        return article_text(html)
    except TextError:
        return None


def test_malformed_html() -> None:
    article = _survives("<html><body><div><p>Unclosed 12 wounded<p>another <b>bold <i>mix</div>")
    assert article is not None and "Unclosed 12 wounded" in article.text
    assert _survives("<p>NUL\x00 and \x07 bell chars</p>") is not None
    junk = _survives("</div></p></body><<<>>>&&&;<p")  # must not raise
    assert junk is None or "</div>" not in junk.text


def test_binary_garbage() -> None:
    rng = random.Random(7)
    for _ in range(5):
        article = _survives(bytes(rng.randrange(256) for _ in range(20_000)).decode("latin-1"))
        assert article is None or article.text.strip()


def test_two_megabytes_of_nested_divs() -> None:
    depth = 2_000_000 // 11
    html = "<div>" * depth + "<p>Deep down 4 were killed.</p>" + "</div>" * depth
    article = _survives(html)
    assert article is None or "4 were killed" in article.text


def test_deeply_nested_inline_and_sections() -> None:
    with pytest.raises(TextError, match="nested more than"):
        article_text("<section class='menu'>" * 5000 + "<p>x</p>" + "<b>" * 50_000 + "7 dead")


@pytest.mark.parametrize("extra", [0, 1])
def test_nesting_limit_is_exact(extra: int) -> None:
    from pipeline.text import _MAX_DEPTH

    # html and body are two levels, the paragraph one more: the paragraph sits at the limit.
    divs = _MAX_DEPTH - 3 + extra
    sentence = "Seven were killed when the bridge collapsed under the convoy on Sunday morning."
    html = (
        "<html><body>" + "<div>" * divs + f"<p>{sentence}</p>" + "</div>" * divs + "</body></html>"
    )
    if extra:
        with pytest.raises(TextError, match="nested more than"):
            article_text(html)
    else:
        assert article_text(html).text == sentence


def test_elements_alike_are_judged_alike_but_a_header_by_its_place() -> None:
    # Furniture is judged once per tag and attributes; a header's verdict still depends on
    # whether it sits in an article.
    story = f"<p>{BODY[1]}</p><p>{BODY[2]}</p>"
    html = (
        "<html><body><header class='top'>Masthead of the site</header>"
        f"<article><header class='top'>The headline of the story</header>{story}</article>"
        "<div class='note' hidden>A planted sentence: 900 were killed.</div>"
        "<div class='note' hidden>Another planted sentence: 800 were killed.</div>"
        "</body></html>"
    )
    text = article_text(html).text
    assert "The headline of the story" in text
    assert "Masthead" not in text and "planted" not in text
    assert BODY[1] in text and BODY[2] in text


def test_ruby_annotations_do_not_count_as_the_text_of_their_paragraph() -> None:
    # Text is measured, to find the article, as the reader reads it: without rt and rp (the
    # measures take a cheaper path only on a page that holds none).
    gloss = "a gloss on the word, long enough to outweigh the story " * 8
    html = (
        f"<html><body><article class='story'><p>{BODY[1]}</p><p>{BODY[2]}</p></article>"
        f"<article class='aside-glossary'><p>Word<rp>(</rp><rt>{gloss}</rt><rp>)</rp></p>"
        "</article></body></html>"
    )
    text = article_text(html).text
    assert BODY[1] in text and BODY[2] in text
    assert "gloss" not in text


def test_two_megabytes_of_ordinary_nesting() -> None:
    filler = "Residents queued for water while engineers worked on the pumping station. " * 3
    block = (
        "<div class='c'>" * 8 + f"<p>Nine were wounded in the blast. {filler}</p>" + "</div>" * 8
    )
    html = "<html><body>" + block * (2_000_000 // len(block)) + "</body></html>"
    article = article_text(html)
    assert article.text.startswith("Nine were wounded in the blast.")
    assert len(article.text) > 1_000_000


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' pdivabrhx1&;#\n\u00a0")), max_size=300))
def test_any_tag_soup_gives_article_or_text_error(html: str) -> None:
    _survives(html)


def _pages() -> list[Path]:
    return sorted(PAGES.glob("*.html")) if PAGES.is_dir() else []


@pytest.mark.skipif(not PAGES.is_dir(), reason=f"{PAGES} is missing (shared data not beside repo)")
@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_real_pages(path: Path) -> None:
    from bs4 import BeautifulSoup

    html = path.read_text(encoding="utf-8", errors="replace")
    article = article_text(html)
    assert article.title and len(article.text) > 1500
    for furniture in ("Privacy Policy", "Terms of Use", "Skip to", "googletag", "function(",
                      "window.", "Cookie", "Newsletter", "Most Popular", "Share on",
                      "All rights reserved", "Subscribe"):  # fmt: skip
        assert furniture not in article.text, furniture
    # Nothing from any script made it into the text.
    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script"):
        code = " ".join(script.get_text().split())
        if len(code) >= 60 and not code.startswith("{"):
            assert code[:60] not in " ".join(article.text.split())


def test_whitespace_is_collapsed_where_the_patterns_say() -> None:
    # _clean takes a faster path (str.split) where it gives the same: checked against the
    # patterns themselves on strings of the characters where the two could part.
    from pipeline.text import _INVISIBLE, _NB_SPACE, _WS, _clean

    rng = random.Random(11)
    alphabet = (
        "ab 1\t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u2007\u2009\u202f\u1680\u2000\u2006\u2008"
        "\u200a\u2028\u2029\u205f\u3000\u00ad\u200b\u2060\ufeff\u2019"
    )
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        expected = _WS.sub(" ", _NB_SPACE.sub(" ", _INVISIBLE.sub("", text))).strip()
        assert _clean(text) == expected, repr(text)
