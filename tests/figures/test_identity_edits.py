"""Edits that change no figure raise no alert, on real published text: every passage of
news.jsonl and dev.jsonl (read from ../shared) with a paragraph added before or after it, and
with each sentence made a paragraph of its own (bench.identity does the edits and the diff, as
`figwatch check` diffs two versions). Moving and merging sentences are measured by
`python -m bench.identity`, not held here: reading order can change what a sentence means."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.identity import EDITS, alerts, spurious


@pytest.mark.parametrize("edit", ["lead", "tail", "paragraphs"])
def test_an_edit_that_changes_no_figure_alerts_nothing_on_real_news(
    shared_dir: Path, edit: str
) -> None:
    tried, wrong = spurious(
        [shared_dir / "data" / "news.jsonl", shared_dir / "data" / "dev.jsonl"], EDITS[edit]
    )
    assert tried > 200  # the edit applied to most passages
    assert wrong == []


def test_the_measure_sees_a_real_change() -> None:
    before = "Floods killed 14 people in Kelso on Sunday, officials said."
    assert alerts(before, EDITS["tail"](before) or "") == []
    assert alerts(before, before.replace("14", "19")) == [
        ("changed", "killed|people|officials", 19)
    ]
