"""Extraction speed: `python -m pipeline.figures.bench [DATA_DIR] [--mb N]` prints MB/s.

Three corpora, read from the shared evaluation data (default: ../shared/data beside the
checkout) and repeated to about N MB each:

- pages: the article text of real news pages (HTML shells, few casualty sentences);
- dense: the evaluation texts joined, where nearly every sentence states a figure;
- mixed: page text with one evaluation text after every 40 lines of it.

One core, wall-clock time of `find_figures` only (HTML parsing is not timed).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.figures.extract import find_figures

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _page_texts(data: Path) -> list[str]:
    from bs4 import BeautifulSoup

    texts = []
    for page in sorted((data / "pages").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "lxml")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        texts.append(soup.get_text("\n"))
    return texts


def _record_texts(data: Path) -> list[str]:
    texts = []
    for name in ("seed.jsonl", "dev.jsonl", "wad.jsonl"):
        path = data / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.append(json.loads(line)["text"])
    return texts


def _mixed(pages: list[str], records: list[str]) -> str:
    lines = "\n".join(pages).splitlines()
    out: list[str] = []
    for i in range(0, len(lines), 40):
        out.extend(lines[i : i + 40])
        if records:
            out.append(records[(i // 40) % len(records)])
    return "\n".join(out)


def measure(text: str, megabytes: float) -> tuple[float, float, int]:
    """Run find_figures over `text` repeated to about `megabytes`; (MB, seconds, figures)."""
    if not text:
        return 0.0, 0.0, 0
    repeats = max(1, int(megabytes * 1e6 // len(text)))
    corpus = "\n\n".join([text] * repeats)
    started = time.perf_counter()
    found = find_figures(corpus)
    seconds = time.perf_counter() - started
    return len(corpus) / 1e6, seconds, len(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--mb", type=float, default=4.0, help="size of each corpus in MB")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data directory at {args.data}")
        return 2
    pages, records = _page_texts(args.data), _record_texts(args.data)
    corpora = {
        "pages": "\n\n".join(pages),
        "dense": "\n\n".join(records),
        "mixed": _mixed(pages, records),
    }
    for name, text in corpora.items():
        mb, seconds, found = measure(text, args.mb)
        rate = mb / seconds if seconds else float("inf")
        print(f"{name:6} {mb:6.1f} MB  {seconds:6.2f} s  {rate:6.2f} MB/s  {found} figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
