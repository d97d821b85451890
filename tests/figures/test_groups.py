"""Subject rules as data (pipeline/figures/lang/en/groups.toml): every rule's examples run
through `find_figures`, its silent sentences through the engine, and a broken rule file is a
clear error."""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures
from pipeline.figures.groups import (
    GroupRuleError,
    _match,
    check_rules,
    names_a_group,
    person_nouns,
    rules,
)
from pipeline.figures.numbers import find_numbers

RULES = rules("en")
EXAMPLES = [(r.name, *row) for r in RULES for row in r.examples]
SILENT = [(r, *row) for r in RULES for row in r.silent]


def _count_at(sentence: str, written: str) -> tuple[int, int, int]:
    """(start, end, value) of the count written as `written` in `sentence`."""
    at = sentence.index(written)
    for m in find_numbers(sentence):
        if m.start <= at < m.end:
            return m.start, m.end, m.value
    raise AssertionError(f"{written!r} is not a count in {sentence!r}")


@pytest.mark.parametrize(("name", "sentence", "written", "subject"), EXAMPLES)
def test_every_rule_example_gives_its_subject(
    name: str, sentence: str, written: str, subject: str
) -> None:
    value = _count_at(sentence, written)[2]
    subjects = [f.subject for f in find_figures(sentence) if f.value == value]
    assert subject in subjects, f"{name}: {written} gets {subjects}, not {subject!r}"


@pytest.mark.parametrize(("rule", "sentence", "written"), SILENT)
def test_no_rule_names_a_group_where_it_must_stay_silent(
    rule: object, sentence: str, written: str
) -> None:
    start, end, _ = _count_at(sentence, written)
    assert _match(rule, sentence, start, end) is None  # type: ignore[arg-type]


def test_every_rule_has_a_name_and_an_example() -> None:
    assert len({r.name for r in RULES}) == len(RULES) >= 5
    assert all(r.examples for r in RULES)


def test_the_rule_file_is_checked() -> None:
    persons = person_nouns("en")
    good = {
        "name": "x",
        "where": "after",
        "pattern": r"\s+(?P<group>{person})",
        "examples": [["1 a", "1", "a"]],
    }
    assert check_rules({"rule": [good]}, persons, where="t")[0].name == "x"
    cases = [
        ({**good, "where": "beside"}, "where must be one of"),
        ({**good, "pattern": r"\s+{person}"}, "(?P<group>"),
        ({**good, "pattern": r"(?P<group>(x)"}, "does not compile"),
        ({**good, "examples": []}, "examples must be"),
        ({**good, "colour": "red"}, "unknown keys"),
        ({**good, "then": "(x"}, "then does not compile"),
    ]
    for rule, message in cases:
        with pytest.raises(GroupRuleError, match=message.replace("(", r"\(").replace("?", r"\?")):
            check_rules({"rule": [rule]}, persons, where="t")
    with pytest.raises(GroupRuleError, match="duplicate rule name"):
        check_rules({"rule": [good, good]}, persons, where="t")


def test_a_place_or_a_participle_is_no_group() -> None:
    assert names_a_group("civilians")
    assert not names_a_group("out of the")
    assert not names_a_group("compared")
    assert not names_a_group("Tuesday")


def test_rewording_keeps_the_group() -> None:
    """The same count named before or after its cue keeps one subject key (identity)."""
    a = find_figures("Officials listed 48 missing passengers on Sunday.")
    b = find_figures("Officials said 48 passengers were missing on Sunday.")
    assert [f.subject_key for f in a] == [f.subject_key for f in b] == ["passengers"]


def test_each_rule_gets_a_prefilter_derived_from_its_pattern() -> None:
    """No hand-written speed gate: the substrings each rule's matches must hold are read from
    its pattern, and a sentence stretch without them is not searched."""
    gated = {r.name for r in RULES if r.gate is not None}
    assert {"cue-then-group", "tally-of-group", "loss-owner", "losses-of-owner"} <= gated
    (loss,) = [r for r in RULES if r.name == "loss-owner"]
    assert loss.gate is not None and loss.gate.search("the brigade lost 40 men")
    assert loss.gate.search("the brigade had 40 men") is None
