"""Sentence splitting: offsets that point back into the text, and the traps of news prose."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.figures.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_initials_and_decimals_do_not_split() -> None:
    text = (
        "Lt. Col. Ivan Petrov of the U.S. Army said 2.5 million people fled. "
        "Gen. Jones spoke on Jan. 5 in St. Louis. Dr. Lee agreed."
    )
    assert _sentences(text) == [
        "Lt. Col. Ivan Petrov of the U.S. Army said 2.5 million people fled.",
        "Gen. Jones spoke on Jan. 5 in St. Louis.",
        "Dr. Lee agreed.",
    ]


def test_quotes_close_the_sentence_they_end() -> None:
    text = '"At least 14 soldiers were killed," he said. "Nine more are missing." Then he left.'
    assert _sentences(text) == [
        '"At least 14 soldiers were killed," he said.',
        '"Nine more are missing."',
        "Then he left.",
    ]


def test_line_breaks_end_headlines_and_list_items() -> None:
    text = "Three killed in Kharkiv strike\n\n1. Two soldiers were wounded\n2. One is missing"
    assert _sentences(text) == [
        "Three killed in Kharkiv strike",
        "1. Two soldiers were wounded",
        "2. One is missing",
    ]


def test_a_sentence_ending_in_a_number_splits_before_the_next() -> None:
    assert _sentences("The toll rose to 135. That number may rise.") == [
        "The toll rose to 135.",
        "That number may rise.",
    ]


def test_endless_text_is_cut_into_bounded_pieces() -> None:
    text = "word " * 10_000
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(b - a <= 2_000 for a, b in spans)


@given(st.text(max_size=500))
def test_spans_are_ordered_stripped_and_inside_the_text(text: str) -> None:
    last = 0
    for a, b in split_sentences(text):
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        last = b
