"""Extraction quality on the shared gold data (../shared/data), read at run time.

Thresholds: the seed article exactly (all six figures, qualifiers right, nothing else);
dev.jsonl and wad.jsonl precision >= 0.97 and recall >= 0.95. A failure prints the
scorer's report with every mistake.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pipeline.figures.extract", reason="the extractor is not written yet")

from pipeline.figures import find_figures  # noqa: E402 - after the skip on purpose
from pipeline.figures.evaluate import Report, format_report, load_gold, score  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def evaluate(name: str) -> Report:
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"{path} is missing: the shared data sits beside the checkout")
    return score(load_gold(path), lambda text: find_figures(text), name=name)


def test_seed_article_exact() -> None:
    r = evaluate("seed.jsonl")
    detail = format_report(r, mistakes=True)
    assert r.gold == 6, detail
    assert (r.true_positives, r.false_positives, r.errors) == (6, 0, 0), detail
    assert r.qualifier_correct == 6, detail


@pytest.mark.parametrize("name", ["dev.jsonl", "wad.jsonl"])
def test_precision_and_recall(name: str) -> None:
    r = evaluate(name)
    detail = format_report(r, mistakes=True)
    assert r.errors == 0, detail
    assert r.precision >= 0.97, detail
    assert r.recall >= 0.95, detail
