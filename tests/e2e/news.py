"""A news page in the shape real sites serve: menus, a rotating "most read" box, the article."""

from __future__ import annotations

from html import escape

MOST_READ = (
    "Ferry fire: 40 killed off the northern cape",
    "Flood toll rises to 212 in the lowlands",
    "Bus crash injures 27 pupils",
    "Militia frees 9 hostages",
    "Heatwave linked to 15 deaths",
)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Harbour Courier</title>
<script>window.dataLayer = [{{"page": "article", "killed": 999}}];</script></head>
<body class="{layout}">
<header><nav class="main-menu"><a href="/">Home</a> <a href="/world">World</a>
<a href="/live">Live: 500 dead in quake, follow updates</a></nav></header>
<div class="cookie-banner">We use cookies. Accept all?</div>
<main>
<article class="story">
<h1>{title}</h1>
<p class="byline">By Mara Olsen. Updated {updated}</p>
{body}
</article>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
<section class="related"><h2>Related</h2><ul><li><a href="/a">Ceasefire talks stall</a></li></ul>
</section>
</main>
<footer><p>© 2025 The Harbour Courier. 120 staff in 14 bureaus.</p></footer>
</body></html>
"""


def page(paragraphs: list[str], *, updated: str, rotate: int = 0, layout: str = "v1") -> str:
    """The page around `paragraphs`; `rotate` shifts the most-read box, `layout` a body class."""
    headlines = MOST_READ[rotate % len(MOST_READ) :] + MOST_READ[: rotate % len(MOST_READ)]
    return PAGE.format(
        title="Shelling hits Marden market",
        layout=layout,
        updated=updated,
        body="\n".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        most_read="".join(f'<li><a href="/x">{escape(h)}</a></li>' for h in headlines),
    )
