"""Number mentions in newsroom English: digits in every grouping, word numbers, ranges, qualifiers.

`find_numbers(sentence)` returns the counts a sentence writes, with their spans and the
qualifier words around them; it drops what is plainly not a count of people (dates, years,
ages, ordinals, money, percentages, measures, time of day). `parse_number(s)` reads one
number written alone. Both are pure and never raise on any str.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.figures.cues import lower_twin
from pipeline.figures.model import Qualifier
from pipeline.figures.qualifiers import qualifier_after, qualifier_before

_LOWER_WORDS = re.compile(r"[a-z]+")
_GROUP_SEP = re.compile(r"[,\u00a0\u2009\u202f ]")
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")

# Counts above this are not counts of people; larger values are dropped, not clamped.
MAX_VALUE = 10_000_000_000
# A digit run longer than this is an identifier or garbage, never a count.
_MAX_DIGITS = 13

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "mln": 1_000_000,
    "mn": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000, "k": 1_000,
}  # fmt: skip

_UNIT_ALT = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(_TENS)
_SMALL = rf"(?:(?:{_TENS_ALT})(?:[\s-]+(?:{_UNIT_ALT})\b|(?:{_UNIT_ALT})\b)?|(?:{_UNIT_ALT}))"
_WSCALE = r"(?:hundred|thousand|million|billion)"
# "one hundred and three", "twenty-five", "a dozen", "half a million", "two dozen"
_WORDNUM = (
    rf"(?:half\s+a\s+(?:dozen|million|thousand|hundred)"
    rf"|(?:a|{_SMALL})\s+dozen"
    rf"|(?:a\s+|{_SMALL}[\s-]+){_WSCALE}(?:(?:\s+and\s+|[\s-]+)(?:{_SMALL}|{_WSCALE}))*"
    rf"|{_SMALL}(?:(?:\s+and\s+|[\s-]+)(?:{_SMALL}|{_WSCALE}))*)"
)
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?!\d|,\d)"
    r"|\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d+)(?:\.\d+)?"
)
_DIGSCALE = (
    r"(?:\s*\(\s*(?:thousand|million|billion)\s*\)|\s*(?:thousand|million|billion|mln|mn|bn)\b"
    r"|k\b)"
)
NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<d>{_DIGITS})(?P<ds>{_DIGSCALE})?|(?P<w>{_WORDNUM}))(?![\w])",
    re.IGNORECASE,
)
# Scanning: digits on the text as written, word numbers on its lower-cased copy (a regex
# without IGNORECASE and with a first-letter guard runs several times faster).
# The same digits written to start on a digit ("\d(?<![\w.,]\d)" is the look-behind moved past
# it), so the engine jumps from digit to digit instead of trying every position.
_DIGITS_FROM_FIRST = (
    r"\d(?<![\w.,]\d)(?:\d{0,2}(?:,\d{3})+(?!\d)|\d{0,2}(?:[\u00a0\u2009\u202f ]\d{3})+(?!\d|,\d)"
    r"|\d{0,2}(?:\.\d{3}){2,}(?!\d)|\d*)(?:\.\d+)?"
)
_DIGIT_SCAN = re.compile(rf"(?P<d>{_DIGITS_FROM_FIRST})(?P<ds>{_DIGSCALE})?(?![\w])", re.IGNORECASE)
_DIGIT_SCAN_LOWER = lower_twin(_DIGIT_SCAN)  # for the lower-cased copy: no case folding
NUMBER_WORDS = frozenset([*_UNITS, *_TENS, "hundred", "thousand", "million", "billion", "dozen"])
# Where a number word starts (first letters as a guard: the engine skips other positions fast).
_WORD_START = re.compile(
    r"\b(?=[otfsenhmbd])(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
)
_A_BEFORE = re.compile(r"\b(?:half\s+a|a)\s+$")
_WORD_SCAN = re.compile(rf"\b(?=[otfsenha])(?P<w>{_WORDNUM})(?![\w])")

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_BEFORE_DROP = re.compile(
    rf"(?:\b{_MONTHS}\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s*(?:and|to|-|–|through|until)\s*)?|[$£€¥₹]\s*|\b(?:us|rs|usd|eur|gbp|no|nos|aged?|age|"
    rf"page|article|resolution|route|highway|flight|room|section|chapter|vol|"
    rf"between\s+the\s+ages?\s+of|ages\s+of)\.?\s*|\b\d+\s*[:/]\s*|#\s*|\(\s*\+\s*|\+\s*|[a-z]-"
    rf"|\baged?\s+\d+\s*(?:and|to|or|-|–)\s*)$",
    re.IGNORECASE,
)
_AFTER_DROP = re.compile(
    rf"^(?:\s*(?:%|percent|per\s*cent|pc\b|percentage)|\s*[:/]\s*\d|\s*-\s*(?!plus\b)[a-z]"
    rf"|\s*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|decades?|"
    rf"centuries|century|km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|m|cm|mm|ft|feet|"
    rf"inch(?:es)?|kg|kilos?|kilograms?|tons?|tonnes?|lbs?|pounds?|dollars?|euros?|cents?|"
    rf"rupees?|naira|shillings?|yuan|yen|usd|am|pm|a\.m|p\.m|gmt|utc|bst|cet|mph|kph|km/h|"
    rf"degrees?|magnitude|richter|times|per(?:\s+cent)?|st|nd|rd|th|{_MONTHS})\b"
    rf"|\s*[°º])",
    re.IGNORECASE,
)
_RATIO_AFTER = re.compile(
    r"\s+(?:in|out\s+of)\s+(?:every\s+)?(?:(?!(?:1[6-9]|20)\d\d\b)\d|ten|five|four|three|two"
    r"|a\s+hundred|every)",
    re.IGNORECASE,
)
_RATIO_BEFORE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine)\s+(?:in|out\s+of)\s+(?:every\s+)?$",
    re.IGNORECASE,
)
# Last words before a number that can make it a non-count (checked before the costly regex).
_DROP_LAST_WORDS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december us rs usd eur gbp no nos age aged page "
    "article resolution route highway flight room section chapter vol of in and to through "
    "until every"
)
_DROP_LAST = frozenset(_DROP_LAST_WORDS.split())
_PRONOUN_ONE = re.compile(r"\b(?:no|the|that|this|any|every|each|some|which)\s+$")
# A four-digit number 1600-2099 is a year when the words around say so; else it is a count
# ("1600 troops were killed", "killed 2000 people").
_YEAR_BEFORE = re.compile(
    rf"(?:\b(?:in|since|by|from|until|till|year|the|a|an|early|late|mid|during|before|after"
    rf"|around|circa|spring|summer|autumn|fall|winter|between|of\s+the|{_MONTHS},?)"
    rf"|\b(?:1[6-9]|20)\d\d\s*(?:to|and|through|until|or)|[-–/]"
    rf"|\b{_MONTHS}\s*\d{{1,2}}(?:st|nd|rd|th)?,)\s*$",  # "October 7, 2023"
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"^(?:\s*(?:$|[,.;:)\]–]|-\s*\d|and\b|to\b|through\b)|s\b|['’]s\b)")
_COUNT_BEFORE = re.compile(
    r"\b(?:killed|killing|kills|wounded|wounding|injured|injuring|captured|capturing|abducted"
    r"|abducting|kidnapped|kidnapping|lost|losing|than|least|about|around|nearly|some|over"
    r"|almost|roughly|approximately|to|at|of|were|was|another|additional|total|further)\s*$",
    re.IGNORECASE,
)


def _is_year(before: str, after: str) -> bool:
    if _YEAR_BEFORE.search(before):
        return True
    return bool(_YEAR_AFTER.match(after)) and not _COUNT_BEFORE.search(before)


_RANGE_MID = re.compile(r"^\s*(?:-|–|—|‒|to|or)\s*$", re.IGNORECASE)
CHANGE_FROM = re.compile(
    r"\b(?:fell|fallen|falls|rose|risen|rises|dropped|drops|climbed|climbs|increased|decreased"
    r"|declined|jumped|grew|grown|revised|went\s+(?:up|down)|down|up|raised|lowered)\s+from\s+$",
    re.IGNORECASE,
)
_BETWEEN_BEFORE = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_AND_MID = re.compile(r"^\s*(?:and|-|–|—|to)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A count written in a sentence: `text[start:end]` covers qualifier, number(s) and suffix."""

    value: int
    value_max: int | None
    qualifier: Qualifier
    start: int  # start of the qualifier words, or of the number
    end: int  # end of the number and any suffix ("+", "or so")
    num_start: int  # start of the number itself
    scaled: bool  # the high end carried a scale word ("2.5-3 thousand")


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    value: float
    scale: int  # the scale word's value, 1 when none
    words: bool


def _word_value(text: str) -> int | None:
    """Read a word number ("four hundred and forty-one", "a dozen", "half a million")."""
    toks = _LOWER_WORDS.findall(text.lower())
    if not toks:
        return None
    if toks[0] == "half" and len(toks) >= 3:
        scale = 12 if toks[2] == "dozen" else _SCALES.get(toks[2], 0)
        return scale // 2 or None
    total = current = 0
    for tok in toks:
        if tok in ("and",):
            continue
        if tok == "a":
            current = 1
        elif tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "dozen":
            current = max(current, 1) * 12
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok in _SCALES:
            total += max(current, 1) * _SCALES[tok]
            current = 0
        else:
            return None
    return total + current


def _digit_value(digits: str) -> float | None:
    raw = _GROUP_SEP.sub("", digits)
    if raw.count(".") > 1:  # "1.234.567": dots as thousands separators
        raw = raw.replace(".", "")
    if len(raw.split(".")[0]) > _MAX_DIGITS:
        return None
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        return None


def _scale_of(word: str) -> int:
    word = word.strip(" ()\u00a0\u2009\u202f").lower()
    return _SCALES.get(word, 1)


def parse_number(text: str) -> int | None:
    """Return the integer a number written alone stands for ("12 000", "1.2 million", "a dozen").

    Returns None when `text` is not exactly one number or the value is not a sane count.
    """
    text = text.strip()
    if len(text) > 200:
        return None
    m = NUMBER_RE.fullmatch(text)
    if m is None:
        return None
    atom = _atom(m)
    if atom is None:
        return None
    if not _whole(atom.value * atom.scale):
        return None
    value = round(atom.value * atom.scale)
    return value if 0 <= value <= MAX_VALUE else None


def _whole(x: float) -> bool:
    return abs(x - round(x)) < 1e-6


def _atom(m: re.Match[str]) -> _Atom | None:
    if "d" in m.re.groupindex and m.group("d") is not None:
        value = _digit_value(m.group("d"))
        if value is None:
            return None
        scale = _scale_of(m.group("ds") or "")
        if scale == 1 and _DOT_THOUSANDS.fullmatch(m.group("d")):
            value *= 1000  # "12.000 soldiers": a dot as thousands separator, not a decimal
        return _Atom(m.start(), m.end(), value, scale, False)
    wv = _word_value(m.group("w"))
    if wv is None:
        return None
    return _Atom(m.start(), m.end(), wv, 1, True)


def _dropped(sentence: str, atom: _Atom, digits: str) -> bool:
    before = sentence[max(0, atom.start - 24) : atom.start]
    after = sentence[atom.end : atom.end + 40]
    if _AFTER_DROP.match(after) or _RATIO_AFTER.match(after):
        return True
    tail = before.rstrip()
    last = tail[tail.rfind(" ") + 1 :].lower().rstrip(".")
    if (last in _DROP_LAST or not last[-1:].isalpha()) and (
        _BEFORE_DROP.search(before) or _RATIO_BEFORE.search(before)
    ):
        return True  # a date, money, a code, a ratio ("1 in 5 children")
    if after.startswith("-") and after[1:2].isalpha() and not after.startswith("-plus"):
        return True  # "19-year-old", "6.3-magnitude"
    if not atom.words and atom.scale == 1 and _YEAR.fullmatch(digits) and _is_year(before, after):
        return True  # "in 2022", "the 2014 attack", "2014-2022"
    # A line-leading list marker: "4. As of ..."
    return bool(
        not atom.words
        and after[:1] == "."
        and after[1:2].isspace()
        and not before.strip(" \t")
        and atom.value < 100
    )


def _word_numbers(lower: str) -> list[re.Match[str]]:
    """The word-number matches `_WORD_SCAN.finditer(lower)` gives, tried only where a number
    word starts (or the "a"/"half a" before one): most sentences hold none or one."""
    out: list[re.Match[str]] = []
    end = 0
    for wm in _WORD_START.finditer(lower):
        if wm.start() < end:
            continue
        pos = wm.start()
        lead = _A_BEFORE.search(lower, max(end, pos - 12), pos)
        m = _WORD_SCAN.match(lower, lead.start()) if lead is not None else None
        if m is None:
            m = _WORD_SCAN.match(lower, pos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def find_numbers(sentence: str) -> list[NumberMention]:
    """Return the count mentions in `sentence`, in order, ranges and qualifiers joined.

    Never raises; returns [] for text without counts. Values above MAX_VALUE are dropped.
    """
    atoms: list[_Atom] = []
    lower = sentence.lower()
    if len(lower) == len(sentence):
        found = list(_DIGIT_SCAN_LOWER.finditer(lower))
        words = _word_numbers(lower)
        if words:
            found.extend(words)
            found.sort(key=lambda m: m.start())
    else:  # lower-casing changed offsets (rare scripts): scan the text as written
        found = list(NUMBER_RE.finditer(sentence))
    for m in found:
        atom = _atom(m)
        groups = m.groupdict()
        if atom is None or _dropped(sentence, atom, groups.get("d") or ""):
            continue
        if atom.words and lower[atom.start : atom.end] == "one":
            tail = sentence[atom.end : atom.end + 12].lower()
            head = sentence[max(0, atom.start - 8) : atom.start].lower()
            if tail.startswith((" of ", " another", " by one")) or _PRONOUN_ONE.search(head):
                continue  # "one of them", "no one", "the one who"
        atoms.append(atom)
    out: list[NumberMention] = []
    i = 0
    while i < len(atoms):
        lo = atoms[i]
        hi: _Atom | None = None
        if i + 1 < len(atoms):
            nxt = atoms[i + 1]
            mid = sentence[lo.end : nxt.start]
            pre = sentence[max(0, lo.start - 12) : lo.start]
            if _RANGE_MID.match(mid) or (_AND_MID.match(mid) and _BETWEEN_BEFORE.search(pre)):
                hi = nxt
            if hi is not None and CHANGE_FROM.search(sentence, max(0, lo.start - 30), lo.start):
                hi = None  # "rose from 12 to 19": a change, two values, not a range
        low_scale = lo.scale
        if hi is not None and lo.scale == 1 and hi.scale > 1 and lo.value < hi.value:
            low_scale = hi.scale  # "2.5-3 thousand", "19 to 20 million"
        low = round(lo.value * low_scale)
        high = round(hi.value * hi.scale) if hi is not None else None
        if hi is not None and (high is None or high <= low):
            i += 2  # "lost 2-1", "3-0": a score, not a range and not two counts
            continue
        last = hi or lo
        if not _whole(lo.value * low_scale) or (hi is not None and not _whole(hi.value * hi.scale)):
            i += 2 if hi is not None else 1
            continue  # "7.4": a measure, not a count of people
        if not 0 < low <= MAX_VALUE or (high is not None and high > MAX_VALUE):
            i += 2 if hi is not None else 1
            continue
        start = lo.start
        qualifier = Qualifier.EXACT
        before = sentence[max(0, start - 34) : start]
        if hi is not None:
            bm = _BETWEEN_BEFORE.search(before)
            if bm:
                start -= len(before) - bm.start()
                before = before[: bm.start()]
        found_before = qualifier_before(before)
        if found_before is not None:
            qualifier, reach = found_before
            start -= reach
        end = last.end
        found_after = qualifier_after(sentence, end)
        if found_after is not None:
            qualifier, reach = found_after
            end += reach
        out.append(
            NumberMention(
                value=low,
                value_max=high,
                qualifier=qualifier,
                start=start,
                end=end,
                num_start=lo.start,
                scaled=hi is not None and hi.scale > 1,
            )
        )
        i += 2 if hi is not None else 1
    return out
