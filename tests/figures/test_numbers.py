"""The number parser: every newsroom form, round-trips, and never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures.model import Qualifier
from pipeline.figures.numbers import _DIGIT_SCAN, MAX_VALUE, NUMBER_RE, find_numbers, parse_number

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    """Spell 1..999_999 the way a newsroom does ("four hundred and forty-one thousand")."""
    if n >= 1000:
        rest = n % 1000
        head = f"{_words(n // 1000)} thousand"
        return head if not rest else f"{head} {'and ' if rest < 100 else ''}{_words(rest)}"
    if n >= 100:
        rest = n % 100
        head = f"{_ONES[n // 100]} hundred"
        return head if not rest else f"{head} and {_words(rest)}"
    if n >= 20:
        return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    return _TEENS[n - 10] if n >= 10 else _ONES[n]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 000", 12000),
        ("12,000", 12000),
        ("12\u00a0000", 12000),
        ("12\u2009000", 12000),
        ("12\u202f000", 12000),
        ("1,073,530", 1073530),
        ("1.2 million", 1200000),
        ("6.8 million", 6800000),
        ("12k", 12000),
        ("two", 2),
        ("fifteen", 15),
        ("three hundred", 300),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a million", 500000),
        ("twenty-five", 25),
        ("Twenty five", 25),
        ("NINEteen", 19),
        ("one hundred and three", 103),
        ("four hundred and forty-one", 441),
        ("a thousand", 1000),
        ("3 million", 3000000),
        ("12.000", 12000),
        ("1.234.567", 1234567),
    ],
)
def test_parse_number_reads_every_form(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "7.4", "hundreds", "dozens", "several", "abc", "1" * 40])
def test_parse_number_refuses_what_is_not_a_count(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("between 30 and 40 died", [(30, 40, Qualifier.EXACT)]),
        ("30-40 died", [(30, 40, Qualifier.EXACT)]),
        ("30 to 40 died", [(30, 40, Qualifier.EXACT)]),
        ("some 70- 100 wounded", [(70, 100, Qualifier.APPROXIMATELY)]),
        ("about 2.5-3 thousand died", [(2500, 3000, Qualifier.APPROXIMATELY)]),
        ("19 (thousand) to 20,000", [(19000, 20000, Qualifier.EXACT)]),
        ("3,000+ dead", [(3000, None, Qualifier.MORE_THAN)]),
        ("3,000-plus dead", [(3000, None, Qualifier.MORE_THAN)]),
        ("255 or so wounded", [(255, None, Qualifier.APPROXIMATELY)]),
        ("40 or more", [(40, None, Qualifier.AT_LEAST)]),
        ("a dozen or less", [(12, None, Qualifier.UP_TO)]),
        ("at least 30", [(30, None, Qualifier.AT_LEAST)]),
        ("no fewer than 40", [(40, None, Qualifier.AT_LEAST)]),
        ("a minimum of 3,000", [(3000, None, Qualifier.AT_LEAST)]),
        ("more than 3 000", [(3000, None, Qualifier.MORE_THAN)]),
        ("over 20", [(20, None, Qualifier.MORE_THAN)]),
        ("upwards of 200", [(200, None, Qualifier.MORE_THAN)]),
        ("in excess of 1,000", [(1000, None, Qualifier.MORE_THAN)]),
        ("up to 60", [(60, None, Qualifier.UP_TO)]),
        ("as many as 90", [(90, None, Qualifier.UP_TO)]),
        ("fewer than 10", [(10, None, Qualifier.LESS_THAN)]),
        ("less than 100", [(100, None, Qualifier.LESS_THAN)]),
        ("under 50", [(50, None, Qualifier.LESS_THAN)]),
        ("about 808 460 (+1 430)", [(808460, None, Qualifier.APPROXIMATELY)]),
        ("an estimated 1.2 million", [(1200000, None, Qualifier.APPROXIMATELY)]),
        ("roughly 250", [(250, None, Qualifier.APPROXIMATELY)]),
        ("nearly 900", [(900, None, Qualifier.APPROXIMATELY)]),
        ("almost 10,000", [(10000, None, Qualifier.APPROXIMATELY)]),
        ("just shy of 6,000", [(6000, None, Qualifier.APPROXIMATELY)]),
    ],
)
def test_find_numbers_joins_ranges_and_qualifiers(
    sentence: str, expected: list[tuple[int, int | None, Qualifier]]
) -> None:
    got = [(m.value, m.value_max, m.qualifier) for m in find_numbers(sentence)]
    assert got == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "on December 14-15",
        "on October 24, 2024",
        "on 7 October",
        "a 19-year-old soldier",
        "the 92nd brigade",
        "the eighty-fourth regiment",
        "$5 million",
        "95% of them",
        "40 percent",
        "in 2022",
        "at 8.30 pm",
        "at 11:30",
        "hundreds of soldiers",
        "several dozen soldiers",
        "tens of thousands",
        "no one",
        "one of them",
        "a 6.3-magnitude quake",
        "between 7.4 and 7.9",
        "50 km away",
        "lost 2-1",
        "COVID-19",
        "for 3 days",
    ],
)
def test_find_numbers_drops_non_counts(sentence: str) -> None:
    assert find_numbers(sentence) == []


def test_mention_span_covers_qualifier_and_number() -> None:
    sentence = "They said at least 1,300 people died."
    (m,) = find_numbers(sentence)
    assert sentence[m.start : m.end] == "at least 1,300"
    assert sentence[m.num_start : m.end] == "1,300"


@given(st.integers(min_value=1, max_value=MAX_VALUE))
def test_comma_grouping_round_trips(n: int) -> None:
    assert parse_number(format(n, ",")) == n


@given(
    st.integers(min_value=1000, max_value=999_999_999),
    st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"]),
)
def test_space_grouping_round_trips(n: int, sep: str) -> None:
    assert parse_number(format(n, ",").replace(",", sep)) == n


@given(st.integers(min_value=1, max_value=999_999))
def test_word_numbers_round_trip(n: int) -> None:
    assert parse_number(_words(n)) == n


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["million", "thousand"]))
def test_decimal_scales(tenths: int, scale: str) -> None:
    factor = 1_000_000 if scale == "million" else 1000
    text = f"{tenths // 10}.{tenths % 10} {scale}" if tenths % 10 else f"{tenths // 10} {scale}"
    if tenths < 10:
        return  # "0.x million" is not how counts are written
    assert parse_number(text) == tenths * factor // 10


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_find_numbers_never_raises(text: str) -> None:
    for m in find_numbers(text):
        assert 0 < m.value <= MAX_VALUE
        assert 0 <= m.start <= m.num_start < m.end <= len(text)


def test_huge_digit_runs_are_not_counts() -> None:
    assert find_numbers("9" * 1_000_000) == []
    assert find_numbers("killed " + "1" * 30 + " people") == []


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("well over", Qualifier.MORE_THAN),
        ("just over", Qualifier.MORE_THAN),
        ("above", Qualifier.MORE_THAN),
        ("just under", Qualifier.LESS_THAN),
        ("below", Qualifier.LESS_THAN),
        ("close to", Qualifier.APPROXIMATELY),
        ("circa", Qualifier.APPROXIMATELY),
        ("perhaps", Qualifier.APPROXIMATELY),
        ("possibly", Qualifier.APPROXIMATELY),
        ("approximately", Qualifier.APPROXIMATELY),
        ("not less than", Qualifier.AT_LEAST),
        ("at least another", Qualifier.AT_LEAST),
        ("no more than", Qualifier.UP_TO),
        ("not more than", Qualifier.UP_TO),
        ("at most", Qualifier.UP_TO),
        ("a maximum of", Qualifier.UP_TO),
        ("more than a total of", Qualifier.MORE_THAN),
        ("at least,", Qualifier.AT_LEAST),
    ],
)
def test_every_qualifier_phrase_is_read(phrase: str, qualifier: Qualifier) -> None:
    (m,) = find_numbers(f"Officials said {phrase} 40 people died.")
    assert (m.value, m.qualifier) == (40, qualifier)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789,. \u00a0\u2009\u202fakmbn()-", max_size=40))
def test_digit_scan_agrees_with_the_number_pattern(text: str) -> None:
    # The scanner's digit pattern is NUMBER_RE's digit branch rewritten to start on a digit (so
    # the engine can skip ahead); both must find the same digit numbers in the same places.
    written = [m.span() for m in NUMBER_RE.finditer(text) if m.group("d") is not None]
    scanned = [m.span() for m in _DIGIT_SCAN.finditer(text)]
    assert scanned == written
