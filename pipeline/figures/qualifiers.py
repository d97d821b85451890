"""Qualifier words around a count: "at least 12", "more than 3,000", "3,000+", "40 or so".

The categories are the spec's: `at_least`, `up_to`, `more_than`, `less_than`, `approximately`,
else `exact`. Used by `numbers.find_numbers` once it has a count's span.
"""

from __future__ import annotations

import re

from pipeline.figures.cues import lower_twin
from pipeline.figures.model import Qualifier

_QUAL_BEFORE = [
    (Qualifier.AT_LEAST, r"at\s+least|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than"
     r"|a\s+minimum\s+of|at\s+a\s+minimum|minimum\s+of"),
    (Qualifier.UP_TO, r"up\s+to|as\s+many\s+as|as\s+high\s+as|no\s+more\s+than|not\s+more\s+than"
     r"|a\s+maximum\s+of|at\s+most|maximum\s+of"),
    (Qualifier.MORE_THAN, r"more\s+than|over|upwards\s+of|in\s+excess\s+of|above|just\s+over"
     r"|well\s+over|well\s+above|beyond|exceeding|surpassing"),
    (Qualifier.LESS_THAN, r"fewer\s+than|less\s+than|under|just\s+under|below|nearly\s+under"),
    (Qualifier.APPROXIMATELY, r"about|around|some|roughly|approximately|approx\.?|an\s+estimated"
     r"|estimated|nearly|almost|close\s+to|just\s+(?:shy|short)\s+of|circa|ca\.|c\.|perhaps"
     r"|possibly|maybe|some\s+estimated"
     r"|an\s+approximate|approximate|anywhere|somewhere\s+(?:around|between)"
     r"|an\s+approximately"),
]  # fmt: skip
# The qualifiers that open with a negation word: "no fewer than 170" bounds a count, it does
# not deny one
NEGATED_BOUND = re.compile(r"not?\s+(?:fewer|less|more)\s+than\b", re.IGNORECASE)
_QUAL_BEFORE_RE = re.compile(
    r"(?:^|(?<=[\s(“\"'‘—–:;.,/-]))(?:"  # "Sanaa :At least 27": publishing lost a space
    + "|".join(f"(?P<q{i}>{alt})" for i, (_, alt) in enumerate(_QUAL_BEFORE))
    + r"),?\s+(?:(?:a\s+total\s+of|another|an\s+additional|additional|a\s+further)\s+)?$",
    re.IGNORECASE,
)
_QUAL_BEFORE_LOWER = lower_twin(_QUAL_BEFORE_RE)
# A qualifier phrase where it starts, with the space after it ("at least ", "no fewer than ")
QUALIFIER_AHEAD = re.compile(
    "(?:" + "|".join(alt for _, alt in _QUAL_BEFORE) + r"),?\s+", re.IGNORECASE
)
# Every qualifier phrase (with its optional "another", "a total of") ends in one of these.
_QUAL_LAST_WORDS = (
    "least than of to about around some roughly approximately approx approx. estimated nearly "
    "almost over above under below beyond exceeding surpassing circa ca. c. perhaps possibly "
    "maybe anywhere another additional further minimum maximum most upwards excess shy short "
    "approximate estimate between as"
)
_QUAL_LAST = frozenset(_QUAL_LAST_WORDS.split())
# "over" as the particle of a verb, not a bound: "handed over 1 000 bodies" is exact
_PARTICLE_OVER = re.compile(
    r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning)\s+over\s+$", re.IGNORECASE
)
# Matched in place after a count (match(text, pos, endpos)), so no "^".
_QUAL_AFTER_RE = re.compile(
    r"(?:\s*(?P<plus>\+)|[\s-]*plus\b|\s+or\s+(?P<more>more|above)\b|\s+or\s+so\b(?P<so>)"
    r"|-odd\b(?P<odd>)"  # "30-odd others"
    r"|\s+or\s+(?P<less>less|fewer|under)\b)",
    re.IGNORECASE,
)
_QUAL_AFTER_LOWER = lower_twin(_QUAL_AFTER_RE)


def qualifier_before(before: str) -> tuple[Qualifier, int] | None:
    """The qualifier that ends `before` (the text right before a count), and how many characters
    it spans back from the count, or None ("at least " -> AT_LEAST, 9)."""
    tail = before.rstrip(" ,")
    last_word = tail[tail.rfind(" ") + 1 :].lower().lstrip("\"'“‘(—–-")
    if last_word not in _QUAL_LAST:
        return None  # every qualifier phrase ends in one of these words: skip the regex
    if last_word == "over" and _PARTICLE_OVER.search(before):
        return None
    low_before = before.lower()
    same = len(low_before) == len(before)
    qm = (_QUAL_BEFORE_LOWER if same else _QUAL_BEFORE_RE).search(low_before if same else before)
    if qm is None:
        return None
    return _QUAL_BEFORE[int((qm.lastgroup or "q0")[1:])][0], len(before) - qm.start()


def qualifier_after(
    sentence: str, end: int, low: str | None = None
) -> tuple[Qualifier, int] | None:
    """The qualifier right after a count ending at `end` ("+", "plus", "or more", "or so",
    "or less"), and its length, or None. `low`, if given, is `sentence.lower()` of the same
    length."""
    if low is None:
        am = _QUAL_AFTER_RE.match(sentence, end, end + 20)
    else:
        am = _QUAL_AFTER_LOWER.match(low, end, end + 20)
    if am is None:
        return None
    reach = am.end() - end
    if am.group("more") is not None:
        return Qualifier.AT_LEAST, reach
    if am.group("so") is not None or am.group("odd") is not None:
        return Qualifier.APPROXIMATELY, reach
    if am.group("less") is not None:
        return Qualifier.UP_TO, reach
    return Qualifier.MORE_THAN, reach  # "3,000+", "3,000-plus", "3,000 plus"
