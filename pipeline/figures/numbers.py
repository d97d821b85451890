"""Number mentions in newsroom English: digits in every grouping, word numbers, ranges, qualifiers.

`find_numbers(sentence)` returns the counts a sentence writes, with their spans and the
qualifier words around them; it drops what is plainly not a count of people (dates, years,
ages, ordinals, money, percentages, measures, time of day). `parse_number(s)` reads one
number written alone. Both are pure and never raise on any str.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.figures.cues import lower_twin, lowered
from pipeline.figures.lang import longest_first, vocabulary
from pipeline.figures.model import Qualifier
from pipeline.figures.noncounts import GROUP_SIZE, not_a_count
from pipeline.figures.qualifiers import qualifier_after, qualifier_before

_V = vocabulary("en")  # number words: lang/en/vocabulary.toml
_LOWER_WORDS = re.compile(r"[a-z]+")
_MONTH_NAMES = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_GROUP_SEP = re.compile(r"[,\u00a0\u2009\u202f ]")
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")

# Counts above this are not counts of people; larger values are dropped, not clamped.
MAX_VALUE = 10_000_000_000
# A digit run longer than this is an identifier or garbage, never a count.
_MAX_DIGITS = 13

_UNITS = _V.numbers("number_units")
_TENS = _V.numbers("number_tens")
_SCALES = _V.numbers("number_scales")

_UNIT_ALT = "|".join(longest_first(_UNITS))
_TENS_ALT = "|".join(_TENS)
_SMALL = rf"(?:(?:{_TENS_ALT})(?:[\s-]+(?:{_UNIT_ALT})\b|(?:{_UNIT_ALT})\b)?|(?:{_UNIT_ALT}))"
_WSCALE = r"(?:hundred|thousand|million|billion)"
# "one hundred and three", "twenty-five", "a dozen", "half a million", "two dozen"
_WORDNUM = (
    rf"(?:half\s+a\s+(?:dozen|million|thousand|hundred)"
    rf"|(?:a|{_SMALL})\s+dozen"
    rf"|(?:a\s+|{_SMALL}[\s-]+){_WSCALE}(?:(?:\s+and\s+|[\s-]+)(?:{_SMALL}|{_WSCALE}))*"
    rf"|{_SMALL})"  # "four and three deaths": two counts, never 7 (an "and" needs a scale)
)
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?!\d|,\d)"
    r"|\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d+)(?:\.\d+)?"
)
_DIGSCALE = (
    r"(?:\s*\(\s*(?:thousand|million|billion)\s*\)|\s*(?:thousand|million|billion|mln|mn|bn)\b"
    r"|k\b)"
)
# Not a digit group's tail (",000" of "1,000"), but a count glued to a word by a comma ("killed
# in action,14 were fatalities": a missing space in published text)
NUMBER_RE = re.compile(
    rf"(?<![\w.])(?<![\d.],)(?:(?P<d>{_DIGITS})(?P<ds>{_DIGSCALE})?|(?P<w>{_WORDNUM}))(?![\w])",
    re.IGNORECASE,
)
# Scanning: digits on the text as written, word numbers on its lower-cased copy (a regex
# without IGNORECASE and with a first-letter guard runs several times faster).
# The same digits written to start on a digit ("\d(?<![\w.]\d)(?<![\d.],\d)" is the look-behind
# moved past it), so the engine jumps from digit to digit instead of trying every position.
_DIGITS_FROM_FIRST = (
    r"\d(?<![\w.]\d)(?<![\d.],\d)"
    r"(?:\d{0,2}(?:,\d{3})+(?!\d)|\d{0,2}(?:[\u00a0\u2009\u202f ]\d{3})+(?!\d|,\d)"
    r"|\d{0,2}(?:\.\d{3}){2,}(?!\d)|\d*)(?:\.\d+)?"
)
_DIGIT_SCAN = re.compile(rf"(?P<d>{_DIGITS_FROM_FIRST})(?P<ds>{_DIGSCALE})?(?![\w])", re.IGNORECASE)
_DIGIT_SCAN_LOWER = lower_twin(_DIGIT_SCAN)  # for the lower-cased copy: no case folding
_DIGITS_TO_ZERO = bytes(48 if 48 <= c <= 57 else 32 for c in range(256))
NUMBER_WORDS = frozenset([*_UNITS, *_TENS, "hundred", "thousand", "million", "billion", "dozen"])
# A whole number word, matched at a position bytes.find has proposed (see _word_numbers).
_WORD_START = re.compile(r"\b(?:" + "|".join(longest_first(NUMBER_WORDS)) + r")\b")
_ONE_MANNER = re.compile(r"\s+[a-z]+ly\b(?!\s+(?:injured|wounded|hurt|killed))")
_PRONOUN_ONE = re.compile(r"\b(?:no|the|that|this|any|every|each|some|which)\s+$")
_NON_WORD_TO_SPACE = bytes(c if re.fullmatch(r"\w", chr(c)) and c < 128 else 32 for c in range(256))
_NUMBER_WORD_BYTES = frozenset(w.encode() for w in NUMBER_WORDS)
_A_BEFORE = re.compile(r"\b(?:half\s+a|a)\s+$")
_WORD_SCAN = re.compile(rf"\b(?P<w>{_WORDNUM})(?![\w])")

# Matched in place between two numbers (match(text, pos, endpos)), so no "^".
_RANGE_MID = re.compile(r"\s*(?:-|–|—|‒|to|or)\s*$", re.IGNORECASE)
# A qualifier between "from" and the earlier value: "fell from over 160 to three"
_FROM_QUAL = (
    r"(?:(?:more\s+than|over|just\s+over|well\s+over|about|around|nearly|almost|some|roughly"
    r"|approximately|an\s+estimated|at\s+least|less\s+than|fewer\s+than|under)\s+)?"
)
CHANGE_FROM = re.compile(
    r"\b(?:fell|fallen|falls|rose|risen|rises|dropped|drops|climbed|climbs|increased|decreased"
    r"|declined|jumped|grew|grown|revised|went\s+(?:up|down)|down|up|raised|lowered)\s+from\s+"
    + _FROM_QUAL
    + "$",
    re.IGNORECASE,
)
_FROM_BEFORE = re.compile(r"\bfrom\s+" + _FROM_QUAL + "$", re.IGNORECASE)
_TO_MID = re.compile(r"\s*to\s*", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_AND_MID = re.compile(r"\s*(?:and|-|–|—|to)\s*$", re.IGNORECASE)
_RANGE_MID_LOWER = lower_twin(_RANGE_MID)
_AND_MID_LOWER = lower_twin(_AND_MID)


@dataclass(frozen=True, slots=True, init=False)
class NumberMention:
    """A count written in a sentence: `text[start:end]` covers qualifier, number(s) and suffix."""

    value: int
    value_max: int | None
    qualifier: Qualifier
    start: int  # start of the qualifier words, or of the number
    end: int  # end of the number and any suffix ("+", "or so")
    num_start: int  # start of the number itself
    scaled: bool  # the high end carried a scale word ("2.5-3 thousand")

    def __init__(
        self,
        value: int,
        value_max: int | None,
        qualifier: Qualifier,
        start: int,
        end: int,
        num_start: int,
        scaled: bool,
    ) -> None:
        # Written out (init=False): mypyc compiles this __init__, while the one @dataclass
        # generates runs as interpreted Python, several times slower, once per count read
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "value_max", value_max)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "num_start", num_start)
        object.__setattr__(self, "scaled", scaled)


@dataclass(frozen=True, slots=True, init=False)
class _Atom:
    """One number read, before ranges are joined."""

    start: int
    end: int
    value: float
    scale: int  # the scale word's value, 1 when none
    digits: str  # the number as written in digits; "" for a number in words

    def __init__(self, start: int, end: int, value: float, scale: int, digits: str) -> None:
        # Written out, as NumberMention's (a NamedTuple's __new__ runs interpreted too)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "scale", scale)
        object.__setattr__(self, "digits", digits)


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
    if digits.isdecimal():  # most counts: no separator, no decimal point
        return int(digits) if len(digits) <= _MAX_DIGITS else None
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
    """The number a match of NUMBER_RE, _DIGIT_SCAN or _WORD_SCAN reads, or None."""
    if "d" in m.re.groupindex and m.group("d") is not None:
        digits, scale_word = m.group("d", "ds")
        value = _digit_value(digits)
        if value is None:
            return None
        scale = _scale_of(scale_word) if scale_word else 1
        if scale == 1 and "." in digits and _DOT_THOUSANDS.fullmatch(digits):
            value *= 1000  # "12.000 soldiers": a dot as thousands separator, not a decimal
        return _Atom(m.start(), m.end(), value, scale, digits)
    wv = _word_value(m.group("w"))
    if wv is None:
        return None
    return _Atom(m.start(), m.end(), wv, 1, "")


def _word_runs(lower: str) -> bytes:
    """The ASCII bytes of `lower` ("?" for any other character) with every non-word byte made a
    space: each _WORD_START match is then one piece of its split()."""
    return lower.encode("ascii", "replace").translate(_NON_WORD_TO_SPACE)


def has_number_word(lower: str) -> bool:
    """Can the lower-cased `lower` hold a number in words ("two", "a dozen")? False means
    `find_numbers` finds none; bytes methods answer far cheaper than the scan."""
    return not _NUMBER_WORD_BYTES.isdisjoint(_word_runs(lower).split())


def _word_numbers(lower: str) -> list[re.Match[str]]:
    """The word-number matches `_WORD_SCAN.finditer(lower)` gives, tried only where a number
    word starts (or the "a"/"half a" before one): most sentences hold none or one."""
    marks = _word_runs(lower)
    words = _NUMBER_WORD_BYTES.intersection(marks.split())
    if not words:
        return []
    # Where those pieces are (bytes.find): candidates for _WORD_START, whose scan of every
    # character costs far more.
    padded = b" " + marks + b" "
    starts: list[int] = []
    for word in words:
        key = b" " + word + b" "
        i = padded.find(key)
        while i >= 0:
            starts.append(i)  # the word starts at padded[i + 1], lower[i]
            i = padded.find(key, i + 1)
    out: list[re.Match[str]] = []
    end = 0
    for pos in sorted(starts):
        if pos < end or _WORD_START.match(lower, pos) is None:
            continue
        lead = _A_BEFORE.search(lower, max(end, pos - 12), pos)
        m = _WORD_SCAN.match(lower, lead.start()) if lead is not None else None
        if m is None:
            m = _WORD_SCAN.match(lower, pos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def _digit_numbers(low: str) -> list[re.Match[str]]:
    """The matches `_DIGIT_SCAN_LOWER.finditer(low)` gives, tried only where a run of digits
    starts (a match cannot start inside one)."""
    if not low.isascii():
        return list(_DIGIT_SCAN_LOWER.finditer(low))
    # sre scans for "\d" at some 80 instructions a character; bytes.find jumps to a digit at
    # a fraction of that, in a copy of the text with every digit made "0", all else a space.
    marks = low.encode().translate(_DIGITS_TO_ZERO)
    out: list[re.Match[str]] = []
    end = 0
    pos = marks.find(b"0")
    while pos >= 0:
        if pos >= end and (m := _DIGIT_SCAN_LOWER.match(low, pos)) is not None:
            out.append(m)
            end = m.end()
        pos = marks.find(b" ", pos)  # past this run of digits
        if pos < 0:
            break
        pos = marks.find(b"0", pos)
    return out


def _atoms(sentence: str, low: str | None) -> list[_Atom]:
    """The numbers of `sentence` in text order, what is plainly not a count left out.

    `low` is `lowered(sentence)`: the lower-cased text the twins may test, or None.
    """
    if low is None:  # lower-casing changed offsets (rare scripts): scan the text as written
        lower = sentence.lower()
        found = [a for m in NUMBER_RE.finditer(sentence) if (a := _atom(m)) is not None]
    else:  # digits and number words scanned apart (see _DIGIT_SCAN), then merged
        lower = low
        found = [a for m in _digit_numbers(low) if (a := _atom(m)) is not None]
        words = [a for m in _word_numbers(low) if (a := _atom(m)) is not None]
        if words:
            found.extend(words)
            found.sort(key=lambda a: a.start)
    if len(found) > 1:
        found = _join_stray_spaces(sentence, found)
    out: list[_Atom] = []
    for atom in found:
        if not_a_count(sentence, low, atom.start, atom.end, atom.value, atom.scale, atom.digits):
            continue
        start, end = atom.start, atom.end
        if not atom.digits and lower[start:end] == "one":
            tail = sentence[end : end + 12].lower()
            head = sentence[max(0, start - 8) : start].lower()
            if tail.startswith((" of ", " another", " by one")) or _PRONOUN_ONE.search(head):
                continue  # "one of them", "no one", "the one who"
            if tail[:1] == "," and sentence[end + 1 : end + 4].lstrip()[:1].isupper():
                continue  # "and one, Leah Sharibu, is still held": a person, not a count
            if _ONE_MANNER.match(tail) and head.rstrip().endswith(","):
                continue  # "35 others injured, one critically": one of them, not a count
        out.append(atom)
    return out


# "77, 000", "at least 85, 694": a thousands group set off by a stray space after its comma. Not
# after a month ("May 5, 300 people") and not inside a list of counts ("120, 340 and 560").
_STRAY_GAP = ", "
_LIST_BEFORE = re.compile(r"\d\s*,\s*$")
_LIST_AFTER = re.compile(r"\s*(?:,|and\b|or\b)\s*\d")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_NAMES})\.?\s+$", re.IGNORECASE)


def _join_stray_spaces(sentence: str, found: list[_Atom]) -> list[_Atom]:
    """Atoms with each "N, DDD" pair written with a stray space read as one number."""
    out: list[_Atom] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if (
            b is not None
            and a.scale == 1
            and b.scale == 1
            and a.digits.isdigit()
            and len(a.digits) <= 3
            and a.digits[0] != "0"
            and b.digits.isdigit()
            and len(b.digits) == 3
            and sentence[a.end : b.start] == _STRAY_GAP
            and not _LIST_BEFORE.search(sentence, max(0, a.start - 8), a.start)
            and not _LIST_AFTER.match(sentence, b.end)
            and not _MONTH_BEFORE.search(sentence, max(0, a.start - 12), a.start)
        ):
            digits = a.digits + b.digits
            out.append(_Atom(a.start, b.end, int(digits), 1, digits))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def find_numbers(sentence: str) -> list[NumberMention]:
    """Return the count mentions in `sentence`, in order, ranges and qualifiers joined.

    Never raises; returns [] for text without counts. Values above MAX_VALUE are dropped.
    """
    low = lowered(sentence)
    atoms = _atoms(sentence, low)
    # Range words and qualifiers are matched in place (match(text, pos, endpos)).
    text, range_mid, and_mid = (sentence, _RANGE_MID, _AND_MID)
    if low is not None:
        text, range_mid, and_mid = low, _RANGE_MID_LOWER, _AND_MID_LOWER
    out: list[NumberMention] = []
    i = 0
    while i < len(atoms):
        lo = atoms[i]
        hi: _Atom | None = None
        if i + 1 < len(atoms):
            nxt = atoms[i + 1]
            if range_mid.match(text, lo.end, nxt.start) or (
                and_mid.match(text, lo.end, nxt.start)
                and _BETWEEN_BEFORE.search(sentence[max(0, lo.start - 12) : lo.start])
            ):
                hi = nxt
            if hi is not None and (
                CHANGE_FROM.search(sentence, max(0, lo.start - 44), lo.start)
                or (
                    hi.value * hi.scale < lo.value * lo.scale
                    and _FROM_BEFORE.search(sentence, max(0, lo.start - 22), lo.start)
                    and _TO_MID.fullmatch(sentence, lo.end, hi.start)
                )
            ):
                # "rose from 12 to 19", "lowered the toll from 93 to 76": a change, two values
                hi = None
        i += 2 if hi is not None else 1
        low_scale = lo.scale
        if hi is not None and lo.scale == 1 and hi.scale > 1 and lo.value < hi.value:
            low_scale = hi.scale  # "2.5-3 thousand", "19 to 20 million"
        value = round(lo.value * low_scale)
        high = round(hi.value * hi.scale) if hi is not None else None
        if hi is not None and (high is None or high <= value):
            continue  # "lost 2-1", "3-0": a score, not a range and not two counts
        if not _whole(lo.value * low_scale) or (hi is not None and not _whole(hi.value * hi.scale)):
            continue  # "7.4": a measure, not a count of people
        if not 0 < value <= MAX_VALUE or (high is not None and high > MAX_VALUE):
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
        end = (hi or lo).end
        found_after = qualifier_after(sentence, end, low)
        if found_after is not None:
            qualifier, reach = found_after
            end += reach
        elif sentence[end : end + 1] == "-" and GROUP_SIZE.match(sentence, end):
            end = sentence.index(" ", end)  # "the 20-member crew": the group's noun follows
        out.append(
            NumberMention(
                value=value,
                value_max=high,
                qualifier=qualifier,
                start=start,
                end=end,
                num_start=lo.start,
                scaled=hi is not None and hi.scale > 1,
            )
        )
    return out
