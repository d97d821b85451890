"""The first-word gate before the right-cue alternation: derived from the pattern itself, it
must let through every word a cue can start with, and refuse patterns it cannot follow."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures import rightcues
from pipeline.figures.cues import RIGHT_RE_LOWER
from pipeline.figures.rightcues import CUE_FIRST_WORDS, first_words


def test_first_words_of_a_small_pattern() -> None:
    pattern = re.compile(r"(?:(?:shot|stabbed)\s+dead|kill(?:ed|s)?|in\s+custody)(?![\w-])")
    assert first_words(pattern) == {"shot", "stabbed", "kill", "killed", "kills", "in"}


@pytest.mark.parametrize(
    "pattern", [r"\d+\s+killed", r"(?:k|\d)illed\b", r"[a-z]+ed\b", r"kill(?:ed)?"]
)
def test_a_pattern_it_cannot_follow_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        first_words(re.compile(pattern))


def test_the_gate_is_derived_on_this_python() -> None:
    assert "killed" in CUE_FIRST_WORDS
    assert "tanks" not in CUE_FIRST_WORDS  # a real gate, not the let-everything-through one


_WORDS = [
    "killed", "shot", "dead", "and", "wounded", "taken", "prisoner", "held", "hostage", "in",
    "custody", "captivity", "the", "hands", "of", "kidnappers", "missing", "for", "injuries",
    "survived", "with", "burns", "burnt", "beyond", "recognition", "lost", "their", "lives",
    "fatally", "shot", "to", "death", "people", "were", "treated", "as", "prisoners", "war",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
def test_every_cue_starts_with_a_gate_word(words: list[str]) -> None:
    text = " ".join(words)
    for m in re.finditer(r"[a-z]+", text):
        if RIGHT_RE_LOWER.match(text, m.start()):
            assert m.group() in CUE_FIRST_WORDS, (text, m.group())


def test_stems_gate_finds_exactly_the_sentences_a_stem_is_in() -> None:
    # The trie pattern the prefilter searches must answer as "any stem in the sentence" does,
    # on the extractor's own stems and on stems that share prefixes or hold one another.
    from pipeline.figures import extract

    stems = ("kill", "kidnap", "dead", "death", "ead")
    gate = rightcues.stems_gate(stems)
    sentences = [
        "he killed", "kidnapped", "kid napped", "a deadline", "deat", "bread", "k", "", "ki ll",
        "the death toll", "abducted", "eaten",
    ]  # fmt: skip
    for s in sentences:
        assert (gate.search(s) is not None) == any(t in s for t in stems), s
    lines = [*sentences, "twelve were wounded", "forty are yet to be accounted for", "he slew 3"]
    for s in lines:
        assert extract.has_cue_lower(s) == any(t in s for t in extract.CUE_STEMS), s
