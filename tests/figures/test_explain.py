"""`figwatch extract --explain`: each figure with the rule that fired and the words it matched,
each silent count with the reason it stayed silent; and `explain` never changes the figures."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pipeline.figures import find_figures
from pipeline.figures.commands import register
from pipeline.figures.explain import explain, format_explanation

TEXT = (
    "Gunmen killed at least 12 villagers and abducted 20 others on Monday.\n"
    "The storm destroyed 300 homes in 2019.\n"
    "The army released 40 prisoners of war.\n"
    "The market has 40 stalls.\n"
    "If the missing are found dead, that makes 105 deaths.\n"
    "Officials said 7 people were hurt every day of the protests.\n"
)


def _reasons(text: str) -> dict[str, str]:
    return {q.number: q.reason for s in explain(text) for q in s.silent}


def test_each_figure_names_its_rule_and_words() -> None:
    whys = [w for s in explain(TEXT) for w in s.figures]
    assert [(w.figure.category.value, w.figure.value) for w in whys] == [
        ("killed", 12),
        ("captured", 20),
    ]
    assert (whys[0].figure.rule, whys[0].count, whys[0].cue) == (
        "left:killed",
        "at least 12",
        "killed",
    )
    assert (whys[1].figure.rule, whys[1].count, whys[1].cue) == ("left:abducted", "20", "abducted")


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("The storm destroyed 300 homes in 2019.", "2019", "not a count"),
        ("The storm destroyed 300 homes in 2019.", "300", "counts things (homes)"),
        ("The army released 40 prisoners of war.", "40", "released"),
        ("The market has 40 stalls.", "40", "no category cue in the sentence"),
        ("If the missing are found dead, that makes 105 deaths.", "105", "a condition"),
        ("Officials said 7 people were hurt every day of the protests.", "7", "a rate"),
        ("Twelve people watched as the firefighters arrived.", "Twelve", "no category cue"),
        ("The pair said 30 colleagues joined the wounded veterans' march.", "30", "no category"),
    ],
)
def test_a_silent_count_says_why(text: str, number: str, reason: str) -> None:
    assert reason in _reasons(text)[number]


def test_explain_leaves_the_figures_as_find_figures_gives_them() -> None:
    assert [w.figure for s in explain(TEXT) for w in s.figures] == find_figures(TEXT)


def test_format_shows_rules_and_reasons() -> None:
    out = format_explanation(explain(TEXT))
    assert "figure  killed 12 at_least  rule left:killed  matched 'at least 12' + 'killed'" in out
    assert "silent  '40': released" in out
    assert format_explanation(explain("No numbers here.")) == "no numbers found"


def test_cli_extract_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "article.txt"
    src.write_text(TEXT, encoding="utf-8")
    parser = argparse.ArgumentParser(prog="figwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["extract", "--explain", str(src)])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "rule left:abducted  matched '20' + 'abducted'" in out
    assert "silent  '300': it counts things (homes)" in out
    with pytest.raises(SystemExit):  # --explain and --json exclude each other
        parser.parse_args(["extract", "--explain", "--json", str(src)])
