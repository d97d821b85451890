"""Category cue rules as data (pipeline/figures/lang/en/cues.toml): every rule's examples and
silent sentences run through `find_figures`, the rules reach the derived speed gates, and a
broken rule file is a clear error."""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures
from pipeline.figures.cuerules import CueRuleError, check_cue_rules, cue_rules
from pipeline.figures.cues import LEFT_VERBS, RIGHT_CUES
from pipeline.figures.numbers import find_numbers

RULES = cue_rules("en")
EXAMPLES = [(r.name, r.category.value, *row) for r in RULES for row in r.examples]
SILENT = [(r.name, r.category.value, *row) for r in RULES for row in r.silent]


def _value(sentence: str, written: str) -> int:
    """The value of the count written as `written` in `sentence`."""
    at = sentence.index(written)
    for m in find_numbers(sentence):
        if m.start <= at < m.end:
            return m.value
    raise AssertionError(f"{written!r} is not a count in {sentence!r}")


def _found(sentence: str) -> set[tuple[str, int]]:
    return {(f.category.value, f.value) for f in find_figures(sentence)}


@pytest.mark.parametrize(("name", "category", "sentence", "written"), EXAMPLES)
def test_every_rule_example_gives_its_figure(
    name: str, category: str, sentence: str, written: str
) -> None:
    found = _found(sentence)
    assert (category, _value(sentence, written)) in found, f"{name}: {sentence!r} gives {found}"


@pytest.mark.parametrize(("name", "category", "sentence", "written"), SILENT)
def test_no_rule_fires_where_it_must_stay_silent(
    name: str, category: str, sentence: str, written: str
) -> None:
    found = _found(sentence)
    assert (category, _value(sentence, written)) not in found, f"{name}: {sentence!r} gives {found}"


def test_the_rules_join_the_cue_tables_and_their_gates() -> None:
    from pipeline.figures.extract import has_cue_lower
    from pipeline.figures.rightcues import CUE_FIRST_WORDS

    assert RULES and all(r.examples for r in RULES)
    for r in RULES:
        table = RIGHT_CUES if r.side == "after" else LEFT_VERBS
        assert (r.category, r.pattern) in table, r.name
        for sentence, _ in r.examples:
            assert has_cue_lower(sentence.lower()), f"{r.name}: the prefilter drops {sentence!r}"
    assert "found" in CUE_FIRST_WORDS  # "found missing": the first word of an "after" rule


def test_the_rule_file_is_checked() -> None:
    good = {
        "name": "x",
        "side": "after",
        "category": "killed",
        "pattern": r"perished\s+at\s+sea",
        "examples": [["Nine perished at sea.", "Nine"]],
    }
    assert check_cue_rules({"rule": [good]}, where="t")[0].name == "x"
    cases = [
        ({**good, "side": "beside"}, "side must be one of"),
        ({**good, "category": "dead"}, "category must be one of"),
        ({**good, "pattern": r"perished("}, "does not compile"),
        ({**good, "pattern": r"perished (at)"}, "must not capture"),
        ({**good, "pattern": r"\s+perished"}, "must start with a lower-case letter"),
        ({**good, "pattern": r"Perished"}, "must start with a lower-case letter"),
        ({**good, "pattern": r"perished\S"}, "must be lower case"),
        ({**good, "examples": []}, "examples must be"),
        ({**good, "examples": [["Nine perished.", "ten"]]}, "examples must be"),
        ({**good, "silent": "none"}, "silent must be"),
        ({**good, "colour": "red"}, "unknown keys"),
    ]
    for rule, message in cases:
        with pytest.raises(CueRuleError, match=message):
            check_cue_rules({"rule": [rule]}, where="t")
    with pytest.raises(CueRuleError, match="duplicate rule name"):
        check_cue_rules({"rule": [good, good]}, where="t")
    with pytest.raises(CueRuleError, match=r"expected only \[\[rule\]\] tables"):
        check_cue_rules({"cue": [good]}, where="t")
