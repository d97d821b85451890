"""What makes a count not a figure although a cue is near: a rate, a release, a modal or a
forecast, a negation or denial, an earlier value superseded by a newer one.
"""

from __future__ import annotations

import re

from pipeline.figures.cues import (
    COUNTERFACTUAL,
    DEAD_NOUN_AFTER,
    MODALS,
    NEGATION,
    NOT_A_RATE_AFTER,
    RATE,
    RELEASE,
    RELEASE_OBJECT,
    RELEASE_STEMS,
    WORDS_RE,
)
from pipeline.figures.gates import Prefilter
from pipeline.figures.numbers import CHANGE_FROM
from pipeline.figures.rightcues import first_words

_FORECAST_TO = re.compile(
    r"\b(?:expected|expects?|expecting|projected|predicted|forecast|set|going|likely|feared)\s+to\s+"
    r"(?:[a-z]+\s+){0,2}$",
    re.IGNORECASE,
)
# What every count `_modal_before` blocks has before it, as a whole word: a modal or
# counterfactual word of the vocabulary, or a word a _FORECAST_TO match opens with (derived from
# the pattern after its leading "\b").
_FORECAST_FIRST = first_words(re.compile(_FORECAST_TO.pattern.removeprefix(r"\b").lower()))
_MODAL_HINT_LOWER = re.compile(
    r"\b(?:" + "|".join(sorted(MODALS | COUNTERFACTUAL | _FORECAST_FIRST)) + r")\b"
)


def _any_of(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Finds any of `keys` in a lower-cased text: on the short windows read here, one scan of
    an alternation is faster than `any(k in low for k in keys)`."""
    return re.compile("|".join(map(re.escape, keys)))


_RELEASE_STEM = _any_of(RELEASE_STEMS)
_RATE_IN_NP = re.compile(
    r"\b(?:per|each|every)\s+(?:day|week|month|year|hour|night)\b|\b(?:daily|annually|yearly)\b"
    # "300 soldiers a day", not "in a night raid" or "for a week"
    r"|(?<!\bin\s)(?<!\bon\s)(?<!\bat\s)(?<!\bfor\s)(?<!\bover\s)(?<!\bduring\s)"
    rf"\b(?:a|an)\s+(?:day|week|month|year|hour|night)\b{NOT_A_RATE_AFTER}",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:none|neither|not|never|nobody|no\s+one|not\s+one|zero)\s+(?:(?:of|among)\s+)?"
    r"(?:the\s+|all\s+)?$",
    re.IGNORECASE,
)
_DENIED = re.compile(
    r"\b(?:not\s+true|denied|denies|deny|denying|untrue|false|dismissed|rejected)\b[^.;]{0,40}?"
    r"\bthat\s+(?:(?:at\s+least|more\s+than|as\s+many\s+as|some|about)\s+)?$",
    re.IGNORECASE,
)
# Deaths that did not happen: "the vaccine prevented an estimated 14 million deaths"
_AVERTED = re.compile(
    r"\b(?:prevent|avert|avoid)(?:ed|s|ing)?\s+(?:(?:the|a|an|some|what|would-be)\s+)?"
    r"(?:deaths?\s+of\s+(?:the\s+|all\s+)?)?$",  # "averting the death of 157 passengers"
    re.IGNORECASE,
)
# Prefilters derived from the patterns they guard (gates.Prefilter): the literals every match
# holds ("day", "week", ... for a rate; "not", "never", ..., "that" for a negation or denial)
# "Every year 40 workers die", "Each day, at least 12 are killed": a rate that opens the clause
_RATE_BEFORE = re.compile(
    r"\b(?:every|each)\s+(?:single\s+)?(?:year|month|week|day|night|hour|winter|summer)\s*,?\s*$",
    re.IGNORECASE,
)
_RATE_GATE = Prefilter(RATE, _RATE_IN_NP)
_RATE_BEFORE_GATE = Prefilter(_RATE_BEFORE)
_NEGATION_GATE = Prefilter(_NEGATED_BEFORE, _DENIED)
_AVERTED_GATE = Prefilter(_AVERTED)
_TO_AFTER = re.compile(r"\s*to\b", re.IGNORECASE)


def blocked(sentence: str, start: int, end: int, np_end: int) -> bool:
    """Is the count at `start:end` (its noun phrase ending at `np_end`) explicitly not a figure:
    a rate, negated or denied, released, hypothetical, or averted? (An earlier value, "from X to
    Y", is a figure: readings.py gives it the category of the value it changed to.)"""
    return block_reason(sentence, start, end, np_end) is not None


def block_reason(sentence: str, start: int, end: int, np_end: int) -> str | None:
    """Why the count at `start:end` is not a figure ("a rate", "negated or denied", "released",
    "hypothetical", "averted"), or None when nothing before or after it blocks it."""
    before = sentence[max(0, start - 70) : start]
    low = before.lower()
    if len(low) != len(before):
        low = ""  # lower-casing moved offsets (rare scripts): each test lower-cases its own slice
    low70 = low or before.lower()
    before40 = before[-40:]
    low40 = low[-40:] if low else before40.lower()
    # Each test runs only when its hint (words every match holds) is in the lower-cased text:
    # most counts have none, and the test is then one scan, without a call.
    if _RATE_GATE.may_match(sentence[end : np_end + 40].lower()) and is_rate(sentence, end, np_end):
        return "a rate"
    if _RATE_BEFORE_GATE.may_match(low40) and _RATE_BEFORE.search(before40):
        return "a rate"
    if _NEGATION_GATE.may_match(low70) and _negated_before(sentence, start, low70):
        return "negated or denied"
    if (
        _RELEASE_STEM.search(low40)
        and _released_before(before40)
        and not DEAD_NOUN_AFTER.match(sentence, end)  # "handed 60 corpses to relatives"
    ):
        return "released"
    if (
        _MODAL_HINT_LOWER.search(low40)
        and _modal_before(before40)
        and not (
            _ESTIMATE_AS_HIGH.match(sentence, start, end)
            and _BE_BEFORE.search(sentence, max(0, start - 20), start)
        )
    ):
        return "hypothetical (a modal or a forecast before it)"
    if (not low or _AVERTED_GATE.may_match(low, max(0, len(low) - 30))) and _averted(
        sentence, start
    ):
        return "averted"
    return None


_RELEASE_SOUGHT = re.compile(
    r"\b(?:demand|call|seek|sought|press|appeal|plead|urg|negotiat|securing|secure\b|to\s+win)"
    r"\w*\b[^.;]*$",
    re.IGNORECASE,
)


def _released_before(before: str) -> bool:
    """Is the count the object of a release verb ("released 95 prisoners", "exchange of 200")?"""
    m = RELEASE_OBJECT.search(before)
    if m is None or RELEASE.match(before, m.start()) is None:
        return False
    # "demanding $500,000 for the release of four workers": they are still held
    return _RELEASE_SOUGHT.search(before, 0, m.start()) is None


def _averted(sentence: str, start: int) -> bool:
    """ "the vaccine prevented an estimated 14 million deaths": deaths that did not happen."""
    return _AVERTED.search(sentence, max(0, start - 30), start) is not None


def modal_blocks(words: list[str]) -> bool:
    """Do these words make a count hypothetical? "could kill", "would have died", "may reach".

    "may have killed" and "must have been" are hedged reports of the past and still count.
    """
    if not COUNTERFACTUAL.isdisjoint(words):
        return True
    return not MODALS.isdisjoint(words) and "have" not in words


# "the real number may be as high as 2,000", "could be up to 500": an estimate of what is, the
# modal hedges the bound (issue 9), unlike "could rise to 500" or "could kill 500"
_ESTIMATE_AS_HIGH = re.compile(
    r"(?:as\s+high\s+as|as\s+many\s+as|up\s+to|closer\s+to)\b", re.IGNORECASE
)
_BE_BEFORE = re.compile(r"\b(?:may|might|could)\s+(?:well\s+)?be\s+$", re.IGNORECASE)
_REPORTING = frozenset({"confirm", "say", "tell", "verify"})
_CLAUSE_OPENERS = frozenset({"as", "because", "since", "while", "after", "but"})


def _modal_before(before: str) -> bool:
    """Is there a modal among the three words before the count ("We could see 10,000 deaths"),
    or a forecast ("is expected to cause up to 100 deaths")?"""
    words = _lower_words(before)[-3:]
    if not _CLAUSE_OPENERS.isdisjoint(words):
        # "The toll could rise as three of the injured are critical": the modal is the other
        # clause's
        cut = max(k for k, w in enumerate(words) if w in _CLAUSE_OPENERS)
        return modal_blocks(words[cut + 1 :])
    for k, w in enumerate(words[:-1]):
        if w in ("can", "could") and words[k + 1] in _REPORTING:
            words = words[k + 2 :]  # "we can confirm nine dead": the modal is the report's
            break
    return modal_blocks(words) or _FORECAST_TO.search(before) is not None


def modal_before_text(before: str) -> bool:
    return modal_blocks(_lower_words(before[-40:])[-3:])


def modal_in(gap: str) -> bool:
    return modal_blocks(_lower_words(gap))


def _lower_words(text: str) -> list[str]:
    # "May" with a capital is the month ("since May 3rd"), not the modal
    return [w.lower() for w in WORDS_RE.findall(text) if w != "May"]


def negated_words(gap: str) -> bool:
    return not NEGATION.isdisjoint(WORDS_RE.findall(gap.lower()))


def is_rate(sentence: str, mention_end: int, np_end: int) -> bool:
    """Does a rate ("per day", "every year", "daily") follow the count or its noun phrase?
    `blocked` asks only when a rate unit is in the 40 characters after."""
    return (
        RATE.match(sentence[np_end : np_end + 40]) is not None
        or _RATE_IN_NP.search(sentence, mention_end, np_end + 1) is not None
        or _RATE_IN_NP.match(sentence[np_end : np_end + 20]) is not None
    )


def _negated_before(sentence: str, start: int, low: str) -> bool:
    """ "none of the 40", "no one among the", "denied that 50 ...": the count is not stated.
    `low` is the lower-cased 70 characters before `start`."""
    if _NEGATED_BEFORE.search(sentence[max(0, start - 30) : start]):
        return True
    # every _DENIED match ends with "that" and at most a quantity
    return "that" in low and _DENIED.search(sentence[max(0, start - 70) : start]) is not None


def earlier_value(sentence: str, start: int, np_end: int) -> bool:
    """ "fell from more than 1,000 to about 385": the earlier value is not what is stated now."""
    return bool(
        CHANGE_FROM.search(sentence, max(0, start - 40), start)
        and _TO_AFTER.match(sentence, np_end)
    )
