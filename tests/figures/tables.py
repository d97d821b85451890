"""Shared by the construction tables (test_extract_table.py, test_extract_round*.py): category
and qualifier shorthands, and the set of figures the extractor gives for a text."""

from __future__ import annotations

from pipeline.figures import find_figures

K, W, KW, C, M = "killed", "wounded", "killed_or_wounded", "captured", "missing"
E, A, AL, MT, UT, LT = "exact", "approximately", "at_least", "more_than", "up_to", "less_than"

Key = tuple[str, int, int | None, str]
Case = tuple[
    str, set[Key]
]  # (text, the figures expected as (category, value, value_max, qualifier))


def figure_keys(text: str) -> set[Key]:
    """(category, value, value_max, qualifier) of every figure `find_figures` finds in `text`."""
    return {(f.category.value, f.value, f.value_max, f.qualifier.value) for f in find_figures(text)}
