"""gates.Prefilter / gates.Gated: a prefilter derived from a pattern never hides a match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.figures.article import IT_LOST
from pipeline.figures.blockers import _MODAL_HINT_LOWER
from pipeline.figures.cues import LEFT_VERB_RE_LOWER
from pipeline.figures.extract import _EARLIER_TALLY
from pipeline.figures.gates import Gated, Prefilter
from pipeline.figures.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

OWN = [
    "Forecasters said the worst-case scenario was 4,000 deaths.",
    "Officials gave no forecast; 12 people were killed.",
    "The army lost 40 men and 12 were captured.",
    "The regiment lost 300 soldiers, including 120 killed.",
    "A PROJECTION PUT THE TOLL AT 300.",
    "Rescuers avoided 3 more deaths, the agency said.",
    "Neıther of the 5 was hurt.",  # a dotless i: IGNORECASE reads it as "i"
    "The brigade held the ridge. It had lost 212 men by noon.",
    "IT LOST 40 TANKS, and it suffered 9 dead.",
    "Officials said 52 died. The previous estimate was 40.",
    "",
]


def _sentences() -> list[str]:
    out = list(OWN)
    for path in sorted(SHARED.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    text = json.loads(line)["text"]
                    out.extend(text[a:b] for a, b in split_sentences(text))
    return out


PATTERNS = [
    re.compile(r"\b(?:scenarios?|forecasts?|projections?|worst[- ]case)\b", re.IGNORECASE),
    re.compile(r"\b(?:los|casualt|victim)[a-z]*(?:[^.;]{0,60}?\bincluding\b|\s*[—–:(])", re.I),
    re.compile(r"\b(?:neither|none)\s+of\b", re.IGNORECASE),
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=["scenario", "loss", "neither"])
def test_gated_search_finds_what_the_pattern_finds(pattern: re.Pattern[str]) -> None:
    gated = Gated(pattern)
    assert gated.gate is not None  # the prefilter was derived, so it is what is tested
    seen = 0
    for sentence in _sentences():
        want = pattern.search(sentence)
        got = gated.search(sentence)
        assert (want and want.span()) == (got and got.span()), sentence
        assert [m.span() for m in pattern.finditer(sentence)] == [
            m.span() for m in gated.finditer(sentence)
        ]
        seen += want is not None
    assert seen > 0  # the texts exercise both outcomes


def test_prefilter_on_windows_never_rules_out_a_match() -> None:
    gate = Prefilter(LEFT_VERB_RE_LOWER)
    ruled_out = 0
    for sentence in _sentences():
        low = sentence.lower()
        for end in range(0, len(low), 9):
            window = low[max(0, end - 64) : end]
            if not gate.may_match(window):
                assert LEFT_VERB_RE_LOWER.search(window) is None, window
                ruled_out += 1
    assert ruled_out > 0  # the gate does rule windows out


CASED = [IT_LOST, _EARLIER_TALLY]


@pytest.mark.parametrize("pattern", CASED, ids=["it-lost", "earlier-tally"])
def test_prefilter_of_a_cased_pattern_never_rules_out_a_match(pattern: re.Pattern[str]) -> None:
    """A case-sensitive pattern's prefilter is read on the lower-cased text: a superset of what
    the pattern can match there or in the text as written, so it may let a sentence through,
    never hide a match."""
    gate = Prefilter(pattern)
    assert gate.gate is not None
    ruled_out = found = 0
    for sentence in _sentences():
        low = sentence.lower()
        for text in (sentence, low):
            if pattern.search(text) is not None:
                assert gate.may_match(low), text
                found += 1
            elif not gate.may_match(low):
                ruled_out += 1
    assert found > 0 and ruled_out > 0


def test_claimant_stem_keys_never_rule_out_a_speaker_or_source() -> None:
    """claimants' gates (gates.Prefilter, derived from _SPEECH with _SAID_AFTER, and from
    _ACCORDING_HEAD): a sentence they rule out has no match of the patterns they guard."""
    from pipeline.figures import claimants

    guarded = [
        (claimants._SPEAKER_GATE, [claimants._SPEECH_RE, claimants._SAID_AFTER]),
        (claimants._ACCORDING_GATE, [claimants._ACCORDING_HEAD]),
    ]
    for gate, patterns in guarded:
        assert gate.stems  # derived from the patterns, so it is what is tested
        ruled_out = found = 0
        for sentence in _sentences():
            low = sentence.lower()
            if any(p.search(low) or p.search(sentence) for p in patterns):
                assert gate.may_match(low), sentence
                found += 1
            elif not gate.may_match(low):
                ruled_out += 1
        assert found > 0 and ruled_out > 0


def test_stem_keys_are_the_derived_stems() -> None:
    gate = Prefilter(re.compile(r"\b(?:said|says|stated|announced|announces)\b"), one_by_one=99)
    assert gate.stems == ("said", "says", "stated", "announced", "announces")
    assert gate.may_match("the mayor announced 12 deaths")
    assert not gate.may_match("twelve people died")
    assert Prefilter(re.compile(r"\d+\s*,"), one_by_one=99).may_match("no literal gates it")


def test_a_pattern_without_literals_is_never_gated() -> None:
    gate = Prefilter(re.compile(r"\d+\s*,"))
    assert gate.gate is None
    assert gate.may_match("no digits here")


def test_dotless_i_is_never_ruled_out() -> None:
    gate = Prefilter(re.compile(r"neither", re.IGNORECASE))
    assert gate.may_match("neıther")
    assert re.search("neither", "neıther", re.IGNORECASE)


def test_modal_hint_holds_every_modal_of_the_vocabulary() -> None:
    from pipeline.figures.cues import COUNTERFACTUAL, MODALS

    for word in sorted(MODALS | COUNTERFACTUAL | {"expected", "feared"}):
        assert _MODAL_HINT_LOWER.search(f"officials {word} 40 deaths"), word


def test_share_before_twin_finds_what_the_pattern_finds() -> None:
    """readings._SHARE_BEFORE (one \\b before its words) read on lower-cased windows, as
    readings does, finds what it finds on the windows themselves."""
    from pipeline.figures.readings import _SHARE_BEFORE, _SHARE_BEFORE_LOWER

    found = 0
    for sentence in _sentences():
        for end in range(0, len(sentence) + 1, 7):
            window = sentence[max(0, end - 60) : end]
            low = window.lower()
            if len(low) != len(window):
                continue
            want = _SHARE_BEFORE.search(window)
            got = _SHARE_BEFORE_LOWER.search(low)
            assert (want and want.span()) == (got and got.span()), window
            found += want is not None
    assert found > 0


def test_speech_scan_regrouped_by_first_letter_finds_what_the_written_pattern_finds() -> None:
    """claimants._SPEECH_RE (gates.by_first_letter of _SPEECH) finds the same speech verbs, at
    the same places, as _SPEECH written out, on every sentence of the shared data."""
    from pipeline.figures.claimants import _SPEECH, _SPEECH_RE

    written = re.compile(rf"\b{_SPEECH}\b")
    assert written.pattern != _SPEECH_RE.pattern
    found = 0
    for sentence in _sentences():
        want = [(m.span(), m.group(0)) for m in written.finditer(sentence)]
        assert [(m.span(), m.group(0)) for m in _SPEECH_RE.finditer(sentence)] == want, sentence
        found += len(want)
    assert found > 100


def test_by_first_letter_keeps_the_order_of_alternatives_sharing_a_letter() -> None:
    from pipeline.figures.gates import by_first_letter

    grouped = by_first_letter(r"(?:say|said|(?:was|were)\s+told|put(?=\s)|s[ae]w)")
    assert grouped == r"(?=[psw])(?:s(?:ay|aid|[ae]w)|w(?:as\s+told|ere\s+told)|put(?=\s))"
    # "say" before "said": the first alternative that matches wins, as in the written pattern
    assert re.match(grouped, "saw").group(0) == "saw"
    assert re.match(grouped, "were told").group(0) == "were told"
    assert re.match(grouped, "puts") is None


@pytest.mark.parametrize(
    "bad",
    [r"said|says", r"(?:said)|(?:says)", r"(?:Said|says)", r"(?:\wsaid|says)", r"(?:a[]b]|c)"],
)
def test_by_first_letter_refuses_what_it_cannot_regroup(bad: str) -> None:
    from pipeline.figures.gates import by_first_letter

    with pytest.raises(ValueError):
        by_first_letter(bad)
