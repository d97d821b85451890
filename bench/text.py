"""Benchmark of article_text over ../shared/data/pages/*.html (`python -m bench.text`).

Prints pages/s, MB/s of HTML and peak traced memory for `article_text`, and, as references in
the same run, plain `BeautifulSoup(html, "lxml").get_text()`, the same with "html.parser", and
lxml alone (`lxml.html.document_fromstring(html).text_content()`).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

from pipeline.text import TextError, article_text

PAGES = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pages").resolve()


def _article(html: str) -> object:
    try:
        return article_text(html)
    except TextError:
        return None


def _bs4_lxml(html: str) -> object:
    return BeautifulSoup(html, "lxml").get_text()


def _bs4_html_parser(html: str) -> object:
    return BeautifulSoup(html, "html.parser").get_text()


def _lxml_only(html: str) -> object:
    return lxml.html.document_fromstring(html).text_content()


def _measure(fn: Callable[[str], object], docs: list[str], seconds: float) -> tuple[int, float]:
    """Run `fn` over all docs, round after round, for at least `seconds`; (pages, elapsed)."""
    pages = 0
    gc.collect()
    start = time.perf_counter()
    while True:
        for doc in docs:
            fn(doc)
        pages += len(docs)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return pages, elapsed


def _peak(fn: Callable[[str], object], docs: list[str]) -> int:
    """Peak traced memory (bytes) of one call on the largest page."""
    biggest = max(docs, key=len)
    gc.collect()
    tracemalloc.start()
    fn(biggest)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="work per contender")
    parser.add_argument("--pages", type=Path, default=PAGES)
    args = parser.parse_args(argv)
    files = sorted(args.pages.glob("*.html"))
    if not files:
        print(f"no pages in {args.pages}", file=sys.stderr)
        return 2
    docs = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"{len(docs)} pages, {mb:.2f} MB of HTML, {args.seconds:g} s of work per contender")
    contenders: list[tuple[str, Callable[[str], object], float]] = [
        ("article_text", _article, args.seconds),
        ("BeautifulSoup(lxml).get_text", _bs4_lxml, args.seconds),
        ("BeautifulSoup(html.parser).get_text", _bs4_html_parser, args.seconds / 2),
        ("lxml.html text_content", _lxml_only, args.seconds / 2),
    ]
    print(f"{'contender':38} {'pages/s':>8} {'MB/s':>7} {'ms/page':>8} {'peak MB':>8}")
    for name, fn, seconds in contenders:
        pages, elapsed = _measure(fn, docs, seconds)
        per_page_mb = mb / len(docs)
        peak = _peak(fn, docs) / 1e6
        print(
            f"{name:38} {pages / elapsed:8.1f} {pages * per_page_mb / elapsed:7.2f} "
            f"{1000 * elapsed / pages:8.1f} {peak:8.1f}"
        )
    print("peak MB: tracemalloc peak of one call on the largest page "
          f"({max(len(d) for d in docs) / 1e6:.2f} M chars)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
