"""The per-language vocabulary as data (pipeline/figures/lang/en/vocabulary.toml): its schema
check, its loader, and the speed gates derived from it."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from pipeline.figures import (
    claimants,
    claimkeys,
    cues,
    extract,
    find_figures,
    numbers,
    rightcues,
    sentences,
    subjects,
)
from pipeline.figures.lang import HERE, SCHEMA, VocabularyError, check, vocabulary


def _raw() -> dict[str, Any]:
    return tomllib.loads((HERE / "en" / "vocabulary.toml").read_text(encoding="utf-8"))


def test_english_loads_with_every_table_of_the_schema() -> None:
    v = vocabulary("en")
    assert set(v.tables) == set(SCHEMA)
    assert "soldiers" in v.words("loss_heads")
    assert v.numbers("number_units")["twelve"] == 12
    assert v.mapping("claimant_spellings")["zelenskyy"] == "zelensky"


def test_the_extractor_reads_its_tables_from_the_data() -> None:
    v = vocabulary("en")
    assert v.words("non_person") == cues.NON_PERSON
    assert v.words("loss_heads") | v.words("held_heads_extra") == cues.HELD_HEADS
    assert set(v.numbers("number_units")) <= numbers.NUMBER_WORDS
    assert v.words("abbreviations") == sentences._ABBREV
    assert v.mapping("nations") == subjects._NATIONS
    assert v.mapping("demonyms") == claimkeys._DEMONYMS
    assert v.words("org_words") == claimkeys.ORG_WORDS
    assert v.words("speaker_words") == claimants._NP_LOWER
    assert v.words("not_speaker") == claimants._NOT_SPEAKER
    assert v.words("event_nouns") == claimants._EVENT_NOUNS
    assert v.mapping("subject_heads") == subjects._HEADS
    assert v.words("force_words") == subjects._FORCE_WORDS


def test_gates_are_derived_from_the_data() -> None:
    v = vocabulary("en")
    words = v.ordered("release_words")
    assert {w[0] for w in words} == cues.RELEASE_FIRST
    # a word added to the data opens the gate for its letter: no hand-written letter set
    assert "g" in cues.first_letters((*words, r"got\s+away"))
    assert {re.split(r"[^a-z]", k)[0] for k in v.mapping("nations")} == subjects._NATION_FIRST
    with pytest.raises(ValueError, match="literal letter"):
        cues.first_letters((r"(?:freed)",))


def test_the_sentence_prefilter_is_derived_from_the_cue_patterns() -> None:
    # every cue word the patterns start with holds one of the derived stems
    assert all(any(stem in word for stem in extract.CUE_STEMS) for word in _CUE_WORDS)
    # a cue added to a pattern brings its own stem
    extra = re.compile(rightcues.RIGHT_RE_LOWER.pattern + "|(?:was|were)\\s+vaporised")
    assert "vaporised" in rightcues.derived_stems(extra)
    with pytest.raises(ValueError, match="no literal gates"):
        rightcues.cover_literals(re.compile(r"\\d+|killed"))


def test_the_derived_prefilter_covers_every_cue_alternative() -> None:
    patterns = (cues.RIGHT_RE_LOWER, cues.LEFT_VERB_RE_LOWER, cues.LEFT_NOUN_RE_LOWER)
    assert all(rightcues.uncovered(p, extract.CUE_STEMS) == [] for p in patterns)
    # the check finds the gaps of a hand-kept list
    assert "slew" in rightcues.uncovered(cues.LEFT_VERB_RE_LOWER, ("kill", "murder"))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # cues the hand-written stem list of the prefilter let no sentence reach
        ("Russia loses 700 soldiers in a day, Kyiv says.", ("killed_or_wounded", 700)),
        ("The unit reported 3 KIA.", ("killed", 3)),
        ("Officials said 17 are yet to be accounted for.", ("missing", 17)),
        ("The rebels slew 40 villagers.", ("killed", 40)),
    ],
)
def test_the_derived_prefilter_lets_every_cue_through(
    sentence: str, expected: tuple[str, int]
) -> None:
    assert [(f.category.value, f.value) for f in find_figures(sentence)] == [expected]


_CUE_WORDS = ["killed", "wounded", "abducted", "missing", "casualties", "hostages", "liquidated"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw.pop("modals"), "modals: missing"),
        (lambda raw: raw.update(extra=["x"]), "extra: not in the schema"),
        (lambda raw: raw["negation"].append("not"), "negation: duplicates"),
        (lambda raw: raw["aux"].append("Were"), "aux: not lower-case words"),
        (lambda raw: raw["release_words"].append(r"\bfreed"), "release_words: patterns must"),
        (lambda raw: raw["release_words"].append("free(d"), "release_words: not a valid pattern"),
        (lambda raw: raw["number_units"].update(zero=0), "number_units: keys must be lower"),
        (lambda raw: raw.update(nations=["x"]), "nations: must be a table"),
    ],
)
def test_the_schema_check_names_each_problem(change: Any, message: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(VocabularyError, match=message):
        check(raw)


def test_an_unknown_language_is_an_error() -> None:
    with pytest.raises(VocabularyError, match="no vocabulary for language 'xx'"):
        vocabulary("xx")


def test_find_figures_takes_a_language_and_refuses_one_it_has_no_rules_for() -> None:
    from pipeline.figures import LANGUAGES, UnknownLanguageError, find_figures

    text = "Flooding killed 14 people in the valley."
    assert "en" in LANGUAGES
    assert find_figures(text, "en") == find_figures(text) == find_figures(text, lang="en")
    assert [f.value for f in find_figures(text, lang="en")] == [14]
    with pytest.raises(UnknownLanguageError, match="'xx'.*known: en"):
        find_figures(text, lang="xx")
    with pytest.raises(UnknownLanguageError):
        find_figures("", lang="fr")  # refused before the text is read, even an empty one
