"""`find_figures` never raises and always returns well-formed figures, whatever the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pipeline.figures.extract", reason="the extractor is not written yet")

from pipeline.figures import find_figures  # noqa: E402 - after the skip on purpose
from pipeline.figures.model import Category, Figure, Qualifier  # noqa: E402

FUZZ = settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# Pieces of casualty-report language, so that generated texts reach the grammar, not just
# the tokenizer: numbers in many spellings, keywords, qualifiers, punctuation, odd spaces.
PIECES = [
    "killed", "wounded", "injured", "dead", "died", "captured", "missing", "casualties",
    "killed or wounded", "taken prisoner", "hostages", "at least", "more than", "about",
    "up to", "fewer than", "between", "and", "or", "-", "–", "to", "soldiers", "civilians",
    "people", "said", "according to", "the ministry", "police", ",", ".", ";", "(", ")", "\n",
    "0", "1", "12", "300", "3 000", "3\u00a0000", "3\u202f000", "12,000", "1.2 million", "12k",
    "two", "a dozen", "three hundred", "2024", "December 14-15", "19-year-old", "92nd", "$5",
    "40%", "10**9", "1e9", "٣", "十", "–", "…",
]  # fmt: skip


def check(text: str, found: object) -> None:
    assert isinstance(found, list)
    for f in found:
        assert isinstance(f, Figure)
        assert isinstance(f.category, Category) and isinstance(f.qualifier, Qualifier)
        assert isinstance(f.value, int) and f.value > 0, f  # zero is not a figure
        assert f.value_max is None or (isinstance(f.value_max, int) and f.value_max >= f.value)
        assert 0 <= f.start <= f.end <= len(text), f


@FUZZ
@given(st.text(max_size=3000))
def test_any_unicode_text(text: str) -> None:
    check(text, find_figures(text))


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.sampled_from([" ", "", "  ", "\t"]))
def test_report_like_word_salad(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    found = find_figures(text)
    check(text, found)
    assert found == find_figures(text)  # deterministic


@FUZZ
@given(st.integers(min_value=10**15, max_value=10**400), st.sampled_from(PIECES[:10]))
def test_huge_numbers(n: int, word: str) -> None:
    for text in (f"{n} soldiers {word}", f"at least {n:,} people were {word}", f"{n}e9 {word}"):
        check(text, find_figures(text))


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "\u00a0", "."])
def test_empty_and_blank(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "text",
    [
        "7" * 1_000_000,
        "1 " * 500_000,
        "1,000," * 170_000 + " killed",
        ("9" * 999 + " killed. ") * 1000,
        "killed " * 150_000,
    ],
    ids=["1MB-digits", "1MB-spaced-digits", "1MB-commas", "long-numbers-killed", "1MB-keywords"],
)
def test_megabyte_inputs_return(text: str) -> None:
    check(text, find_figures(text))
