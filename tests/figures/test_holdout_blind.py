"""The blind held-out sets (holdout2/ to holdout7/, realnews1/ to realnews6/): hand-written news
prose, and paraphrases of real published excerpts (realnews1 to realnews6), annotated per spec.

Each was written by someone who had not read the extractor and was scored once before any rule
was tuned on it (the README gives those first scores). holdout3 covers wire reports from many
conflicts, attacks, kidnappings, piracy, prisoner exchanges, shipwrecks, disasters, accidents,
historical battles, daily loss reports, headlines and multi-sentence excerpts, with many silent
records and traps. Thresholds are fixed; when the extractor falls short the scoring test is an
xfail that states the measured numbers, never a lowered bar or edited data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.figures import find_figures
from pipeline.figures.evaluate import format_report, load_gold, score
from pipeline.figures.model import Category

HERE = Path(__file__).resolve().parent

MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MIN_QUALIFIER_ACCURACY = 0.90

# (set, at least this many records, at least this share of them silent)
SETS = [
    ("holdout2", 200, 0.20),
    ("holdout3", 220, 0.25),
    ("holdout4", 240, 0.30),
    ("holdout5", 130, 0.20),
    ("holdout6", 180, 0.25),
    ("holdout7", 200, 0.18),
    # real published excerpts scored blind (issue 9); the project keeps our paraphrases of them
    ("realnews1", 100, 0.15),
    ("realnews2", 160, 0.15),
    ("realnews3", 170, 0.20),
    ("realnews4", 180, 0.20),
    ("realnews5", 170, 0.20),
    ("realnews6", 170, 0.20),
]

# realnews2 (issue 9: 165 paraphrased excerpts of 71 stored pages) was added below the bar: its
# real excerpts scored precision 202/209, recall 202/226 blind, and its paraphrases the same,
# mistake for mistake. Its bar test was an xfail stating that score until general rules met it.

# realnews5 (issue 9: 178 paraphrased excerpts of 82 stored pages) was added below the bar too:
# blind, precision 182/187 and recall 182/211, the paraphrases the same mistake for mistake; the
# same session's general rules brought it over the bar before it was merged.

# realnews6 (issue 9: 172 paraphrased excerpts of 63 pages) was added over the bar: blind,
# precision 209/216 and recall 209/228, the paraphrases the same mistake for mistake.


@pytest.mark.parametrize(("name", "min_records", "min_silent"), SETS)
def test_set_is_sound(name: str, min_records: int, min_silent: float) -> None:
    cases = HERE / name / "cases.jsonl"
    records = load_gold(cases)
    assert len(records) >= min_records
    ids = [r.id for r in records]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert {f.category for r in records for f in r.figures} == set(Category)
    silent = sum(1 for r in records if not r.figures)
    assert silent / len(records) >= min_silent, f"only {silent} silent records"
    # Every required figure names its subject; optional ones say why they are optional.
    for line in cases.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        assert all("subject" in f and "claimant" in f for f in raw["figures"]), raw["id"]
        assert all(f.get("note") for f in raw["optional"]), raw["id"]


@pytest.mark.parametrize("name", [s[0] for s in SETS])
def test_extractor_meets_the_bar(name: str) -> None:
    report = score(load_gold(HERE / name / "cases.jsonl"), find_figures, name=name)
    summary = format_report(report, mistakes=True)
    assert report.errors == 0, summary
    assert report.precision >= MIN_PRECISION, summary
    assert report.recall >= MIN_RECALL, summary
    assert report.qualifier_accuracy >= MIN_QUALIFIER_ACCURACY, summary
