"""Extraction benchmark: `python -m bench.extract` from the repo root. Prints figures; no asserts.

1. `find_figures` over the texts of ../shared/data/*.jsonl, repeated to at least --mb MB of
   text: MB/s (UTF-8 bytes of article text), articles/s; then peak Python memory of one pass
   and of one ~1 MB document (tracemalloc, in own passes because tracing slows code down).
2. The same for quantulum3's `parser.parse` (a general quantity parser, for reference), on
   a bounded sample of the same texts (--reference-seconds), if quantulum3 is installed.
3. For the HTML pages in ../shared/data/pages/: the time of `pipeline.text.article_text`
   (HTML parse) against the time of `find_figures` on its output, as a ratio (best of 3;
   sizes in thousands of characters).

Runs on one core (pinned where the OS allows). Timings are wall clock (perf_counter).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()


def load_texts(data_dir: Path) -> list[str]:
    """The `text` of every record of every *.jsonl file in `data_dir`, in file order."""
    texts: list[str] = []
    for path in sorted(data_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    return texts


def pin_one_core() -> str:
    """Pin this process to one CPU so the figures are single-core; say which."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def throughput(fn: Callable[[str], Any], texts: list[str], *, repeat: int) -> tuple[float, int]:
    """Seconds to run `fn` on every text `repeat` times, and the number of calls."""
    start = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            fn(text)
    return time.perf_counter() - start, repeat * len(texts)


def peak_memory(fn: Callable[[str], Any], texts: list[str]) -> int:
    """Peak bytes allocated by Python while `fn` runs once over `texts` (tracemalloc)."""
    tracemalloc.start()
    try:
        for text in texts:
            fn(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    """The fastest of `runs` timed calls of `fn`, in seconds (the least disturbed one)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def rate_line(label: str, seconds: float, calls: int, nbytes: int) -> str:
    mb = nbytes / 1e6
    return (
        f"{label:<14} {mb / seconds:8.2f} MB/s  {calls / seconds:10.1f} articles/s"
        f"  ({mb:.2f} MB, {calls} articles, {seconds:.2f} s)"
    )


def bench_extractor(find: Callable[[str], Any], texts: list[str], target_mb: float) -> float:
    """Print extractor throughput and memory; return its seconds per MB."""
    corpus_bytes = sum(len(t.encode("utf-8")) for t in texts)
    repeat = max(1, -(-int(target_mb * 1e6) // corpus_bytes))
    throughput(find, texts, repeat=1)  # warm-up: lazy imports, regex compilation
    seconds, calls = throughput(find, texts, repeat=repeat)
    print(rate_line("find_figures", seconds, calls, corpus_bytes * repeat))
    peak = peak_memory(find, texts)
    print(f"{'':<14} peak traced memory over one pass: {peak / 1e3:.1f} KB")
    big = "\n\n".join(texts * max(1, -(-1_000_000 // corpus_bytes)))
    peak_big = peak_memory(find, [big])
    print(f"{'':<14} peak traced memory on one {len(big) / 1e6:.1f} MB document:", end=" ")
    print(f"{peak_big / 1e6:.1f} MB")
    return seconds / (corpus_bytes * repeat / 1e6)


def bench_reference(texts: list[str], budget_s: float, extract_s_per_mb: float | None) -> None:
    """Print quantulum3 throughput on as many texts as fit in about `budget_s` seconds."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as q_parser
    except Exception as exc:  # noqa: BLE001 - any import failure means "no reference"
        print(f"quantulum3     reference unavailable ({type(exc).__name__}: {exc})")
        return

    def parse(text: str) -> Any:
        return q_parser.parse(text)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parse(texts[0])  # warm-up: loads its unit tables
        done, nbytes, start = 0, 0, time.perf_counter()
        for text in texts:
            parse(text)
            done += 1
            nbytes += len(text.encode("utf-8"))
            if time.perf_counter() - start > budget_s:
                break
        seconds = time.perf_counter() - start
        print(rate_line("quantulum3", seconds, done, nbytes))
        peak = peak_memory(parse, texts[: max(1, min(done, 20))])
    print(f"{'':<14} peak traced memory over {min(done, 20)} articles: {peak / 1e3:.1f} KB")
    if extract_s_per_mb is not None and nbytes:
        ratio = (seconds / (nbytes / 1e6)) / extract_s_per_mb
        print(f"{'':<14} find_figures is {ratio:.1f}x faster than quantulum3 per MB")


def bench_pages(find: Callable[[str], Any], pages_dir: Path) -> None:
    """Print, per page and in total, HTML parse time, extract time and their ratio."""
    try:
        from pipeline.text import article_text
    except Exception as exc:  # noqa: BLE001 - missing or broken, the part is skipped either way
        print(f"pages          skipped: pipeline.text unavailable ({type(exc).__name__}: {exc})")
        return
    pages = sorted(pages_dir.glob("*.html"))
    if not pages:
        print(f"pages          skipped: no *.html in {pages_dir}")
        return
    total_parse = total_extract = 0.0
    text_bytes = 0
    print(f"{'page':<44} {'html kc':>8} {'text kc':>8} {'parse ms':>9} {'extract ms':>10} ratio")
    for path in pages:
        html = path.read_text(encoding="utf-8", errors="replace")
        text = article_text(html, selector=None).text
        parse_s = best_of(3, partial(article_text, html, selector=None))
        extract_s = best_of(3, partial(find, text))
        total_parse += parse_s
        total_extract += extract_s
        text_bytes += len(text.encode("utf-8"))
        print(
            f"{path.name[:44]:<44} {len(html) / 1e3:8.1f} {len(text) / 1e3:8.1f}"
            f" {parse_s * 1e3:9.2f} {extract_s * 1e3:10.2f} {extract_s / parse_s:5.3f}"
        )
    print(
        f"extract cost vs HTML parse cost over {len(pages)} pages: "
        f"{total_extract / total_parse:.3f} ({total_extract * 1e3:.1f} ms vs "
        f"{total_parse * 1e3:.1f} ms)"
    )
    print(
        f"find_figures on the pages' article text (few casualty sentences): "
        f"{text_bytes / 1e6 / total_extract:.2f} MB/s"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns 2 when the shared data is missing."""
    ap = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__)
    ap.add_argument("--mb", type=float, default=5.0, help="MB of text for find_figures")
    ap.add_argument("--reference-seconds", type=float, default=30.0, help="quantulum3 budget")
    ap.add_argument("--no-reference", action="store_true", help="skip quantulum3")
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data directory")
    args = ap.parse_args(argv)
    texts = load_texts(args.data)
    if not texts:
        print(f"no *.jsonl texts in {args.data}", file=sys.stderr)
        return 2
    corpus_bytes = sum(len(t.encode("utf-8")) for t in texts)
    print(f"python {sys.version.split()[0]}, {pin_one_core()}")
    print(f"corpus: {len(texts)} articles, {corpus_bytes / 1e3:.1f} KB from {args.data}")
    try:
        from pipeline.figures import find_figures
        from pipeline.figures.compiled import describe

        find_figures("")
        print(describe())
        find: Callable[[str], Any] | None = find_figures
    except ImportError as exc:
        print(f"find_figures   unavailable ({exc})")
        find = None
    s_per_mb = bench_extractor(find, texts, args.mb) if find else None
    if not args.no_reference:
        bench_reference(texts, args.reference_seconds, s_per_mb)
    if find:
        bench_pages(find, args.data / "pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
