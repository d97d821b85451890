"""Numbers that are plainly not counts of people: dates, years, ages, money, percentages,
measures, times of day, ratios ("1 in 5"), codes ("flight 370") and list markers ("4. As of").

`numbers.find_numbers` asks `not_a_count` about each number it reads. The patterns run on the
lower-cased sentence when lower-casing keeps offsets (a regex without IGNORECASE is several
times faster), else on the sentence as written.
"""

from __future__ import annotations

import re

from pipeline.figures.cues import MODEL_MAKERS, lower_twin

_MONTH_WORDS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# "May" is a month only capitalised ("15 may have died"). The twins for lower-cased text leave
# it out, and `not_a_count` tests it on the text as written.
MONTHS = rf"(?:{_MONTH_WORDS}|(?-i:May))\.?"
_MONTHS_BUT_MAY = rf"(?:{_MONTH_WORDS})\.?"
_DATE_TAIL = r"\s*(?:\d{1,2}(?:st|nd|rd|th)?\s*(?:and|to|-|–|through|until)\s*)?"


def _before_drop(months: str) -> str:
    return (
        rf"(?:\b{months}{_DATE_TAIL}|[$£€¥₹]\s*|\b(?:us|rs|usd|eur|gbp|no|nos|aged?|age|"
        rf"page|article|resolution|route|highway|flight|room|section|chapter|vol|"
        rf"between\s+the\s+ages?\s+of|ages\s+of|ages\s+rang\w*\s+from(?:\s+\d+\s*(?:to|-|–))?|"
        rf"(?:population|town|city|nation|enrol?ment|enrollment|strength)\s+of|"
        rf"(?:up|down|rose|risen|fell|fallen|increased|decreased|dropped|jumped|climbed|grew)\s+by|"
        rf"(?:incident|case|serial|item|file)\s+number|pages|pp|brigade|battalion|regiment|"
        rf"division|corps|squadron|platoon|precinct|sector|ward|{'|'.join(sorted(MODEL_MAKERS))}|model)\.?\s*|\b(?!(?:1[5-9]|20)\d\d\s*:\s)\d+\s*[:/]\s*|#\s*|\(\s*\+\s*|\+\s*|[a-z]-"
        rf"|\baged?\s+\d+\s*(?:and|to|or|-|–)\s*"
        rf"|\b(?:nos?|wards?|rooms?|beds?|gates?)\.?\s*\d+\s*(?:,|and|&)\s*)$"  # "ward no. 3 and 4"
        # a time or ratio ("10:30", "3/4") drops; a year's label does not ("1865: 664,928")
    )


# "the 20-member crew", "a 12-strong family": the size of a group of people is a count
_GROUP_SIZE = (
    r"(?:member|man|strong|person)\s+(?:crew|family|team|delegation|group|party|band|contingent"
    r"|unit|squad|patrol)\b"
)
GROUP_SIZE = re.compile(r"-" + _GROUP_SIZE, re.IGNORECASE)


def _after_drop(months: str) -> str:
    # Matched at the number's end with match(text, pos, endpos), so no "^".
    return (
        rf"(?:\s*(?:%|percent|per\s*cent|pc\b|percentage)|\s*[:/]\s*\d"
        rf"|\s*-\s*(?!plus\b|odd\b|{_GROUP_SIZE})[a-z]"
        rf"|\s*[–—]\s*(?:day|week|month|year)s?\b"  # "a 3 –day- old baby": publishing noise
        rf"|\s+strong(?=\s*(?:[,;:.)]|$))"  # "the battalion, 1,000 strong, lost": its strength
        rf"|\s*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|decades?|"
        rf"centuries|century|km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|m|cm|mm|ft|feet|"
        rf"inch(?:es)?|kg|kilos?|kilograms?|tons?|tonnes?|lbs?|pounds?|dollars?|euros?|cents?|"
        rf"rupees?|naira|shillings?|yuan|yen|usd|am|pm|a\.m|p\.m|gmt|utc|bst|cet|mph|kph|km/h|"
        rf"degrees?|magnitude|richter|times|per(?:\s+cent)?|st|nd|rd|th|fewer|{months})\b"
        rf"|\s*[°º])"
    )


_BEFORE_DROP = re.compile(_before_drop(_MONTHS_BUT_MAY), re.IGNORECASE)
_AFTER_DROP = re.compile(_after_drop(_MONTHS_BUT_MAY), re.IGNORECASE)
_MAY_BEFORE = re.compile(rf"\b(?-i:May)\.?{_DATE_TAIL}$", re.IGNORECASE)
_MAY_AFTER = re.compile(r"\s*May\.?\b")
_RATIO_AFTER = re.compile(
    r"\s+(?:in|out\s+of)\s+(?:every\s+)?(?:(?!(?:1[6-9]|20)\d\d\b)\d|ten|five|four|three|two"
    r"|a\s+hundred|every)",
    re.IGNORECASE,
)
# "3 wounded for 1 dead", "five killed to one wounded": a ratio of casualties, not counts
_CASUALTY_WORD = r"(?:killed|dead|deaths?|wounded|injured)"
_CUE_RATIO_AFTER = re.compile(
    rf"\s+{_CASUALTY_WORD}\s+(?:for|to)\s+(?:every\s+)?(?:\d[\d,.]*|one|a|each|two|three|four"
    rf"|five|ten)\s+{_CASUALTY_WORD}\b"
)
_CUE_RATIO_BEFORE = re.compile(
    rf"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten))\s+{_CASUALTY_WORD}"
    r"\s+(?:for|to)\s+(?:every\s+)?$"
)
_RATIO_BEFORE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine)\s+(?:in|out\s+of)\s+(?:every\s+)?$",
    re.IGNORECASE,
)
# (after, ratio after, before, ratio before): for the text as written, and lower-cased.
_AS_WRITTEN = (_AFTER_DROP, _RATIO_AFTER, _BEFORE_DROP, _RATIO_BEFORE)
_ON_LOWER = tuple(lower_twin(p) for p in _AS_WRITTEN)
# Last words before a number that can make it a non-count (checked before the costly regex).
_DROP_LAST_WORDS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december us rs usd eur gbp no nos age aged page "
    "article resolution route highway flight room section chapter vol of in and to through "
    "until every from model number pages pp brigade battalion regiment division corps squadron "
    "platoon precinct sector ward by"
)
_DROP_LAST = frozenset(_DROP_LAST_WORDS.split()) | MODEL_MAKERS
_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")
# A four-digit number 1600-2099 is a year when the words around say so; else it is a count
# ("1600 troops were killed", "killed 2000 people").
_YEAR_BEFORE = re.compile(
    rf"(?:\b(?:in|since|by|from|until|till|year|the|a|an|early|late|mid|during|before|after"
    rf"|around|circa|spring|summer|autumn|fall|winter|between|of\s+the|{MONTHS},?"
    rf"|(?:end|start|beginning|middle|close|half|quarter|months?|weeks?|days?|rest|part|spring"
    rf"|summer|autumn|fall|winter)\s+of|\b(?:Day|Eve)\s*)"  # "Bastille Day 2016"
    rf"|\b(?:1[6-9]|20)\d\d\s*(?:to|and|through|until|or)|[-–/]"
    rf"|\b{MONTHS}\s*\d{{1,2}}(?:st|nd|rd|th)?,)\s*$",  # "October 7, 2023"
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"^(?:\s*(?:$|[,.;:)\]–]|-\s*\d|and\b|to\b|through\b)|s\b|['’]s\b)")
_YEAR_RANGE_START = re.compile(r"\b(?:1[6-9]|20)\d\d[-–/]$")
_COUNT_BEFORE = re.compile(
    r"\b(?:killed|killing|kills|wounded|wounding|injured|injuring|captured|capturing|abducted"
    r"|abducting|kidnapped|kidnapping|lost|losing|than|least|about|around|nearly|some|over"
    r"|almost|roughly|approximately|to|at|of|were|was|another|additional|total|further"
    r"|many\s+as|high\s+as)\s*$",
    re.IGNORECASE,
)


# "the massacre of 2009," names the year of an event ("the massacre of 2000 civilians" does not)
_EVENT_OF = re.compile(
    r"\b(?:massacre|war|attacks?|bombings?|earthquake|quake|floods?|storm|uprising|revolution"
    r"|riots?|famine|genocide|crisis|tsunami|hurricane|pandemic|epidemic|election|coup)\s+of\s*$",
    re.IGNORECASE,
)


# "his brother Ariel, 4, and their parents": an age set off by commas after a name
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z’'-]+,\s$")


def _apposed_age(sentence: str, start: int, end: int, value: float, digits: str) -> bool:
    return (
        sentence[end : end + 1] == ","
        and sentence[start - 2 : start] == ", "
        and bool(digits)
        and value <= 110
        and _NAME_BEFORE.search(sentence, max(0, start - 30), start) is not None
    )


def _is_year(before: str, after: str) -> bool:
    if _YEAR_BEFORE.search(before):
        return True
    if _EVENT_OF.search(before) and _YEAR_AFTER.match(after):
        return True
    return bool(_YEAR_AFTER.match(after)) and not _COUNT_BEFORE.search(before)


def not_a_count(
    sentence: str, low: str | None, start: int, end: int, value: float, scale: int, digits: str
) -> bool:
    """Whether the number at `sentence[start:end]` is plainly not a count of people.

    `low` is `sentence.lower()` when that keeps offsets, else None; `digits` is the number as
    written in digits ("" for a number in words), `scale` its scale word's value.
    """
    text, (after_drop, ratio_after, before_drop, ratio_before) = (
        (sentence, _AS_WRITTEN) if low is None else (low, _ON_LOWER)
    )
    may = "May" in sentence
    stop = end + 40
    if (
        after_drop.match(text, end, stop)
        or ratio_after.match(text, end, stop)
        or (may and _MAY_AFTER.match(sentence, end, stop))
    ):
        return True
    # The text before is sliced: its patterns begin with "\b", which must see the slice start.
    lo = max(0, start - 24)
    before = text[lo:start]
    tail = before.rstrip()
    last = tail[tail.rfind(" ") + 1 :].lower().rstrip(".")
    if (last in _DROP_LAST or not last[-1:].isalpha()) and (
        before_drop.search(before)
        or ratio_before.search(before)
        or (may and _MAY_BEFORE.search(sentence[lo:start]))
    ):
        return True  # a date, money, a code, a ratio ("1 in 5 children")
    if last in ("for", "to", "every") and _CUE_RATIO_BEFORE.search(
        (low or sentence.lower())[max(0, start - 40) : start]
    ):
        return True  # "3 wounded for 1 dead": the second term of a ratio
    if _CUE_RATIO_AFTER.match(low or sentence.lower(), end, stop + 20):
        return True  # "five killed to one wounded": the first term of a ratio
    if _apposed_age(sentence, start, end, value, digits):
        return True
    nxt = sentence[end : end + 2]
    if (
        nxt[:1] == "-"
        and nxt[1:].isalpha()
        and not sentence.startswith(("-plus", "-odd"), end)
        and not GROUP_SIZE.match(sentence, end)
    ):
        return True  # "19-year-old", "6.3-magnitude"
    if (
        digits
        and scale == 1
        and len(digits) == 4
        and _YEAR.fullmatch(digits)
        and _is_year(sentence[lo:start], sentence[end:stop])
    ):
        return True  # "in 2022", "the 2014 attack", "2014-2022"
    if len(digits) == 2 and _YEAR_RANGE_START.search(sentence, max(0, start - 5), start):
        return True  # "the 1975-90 civil war", "the 2020–22 war": the end of a span of years
    # A line-leading list marker: "4. As of ..."
    return bool(
        digits
        and nxt[:1] == "."
        and nxt[1:].isspace()
        and not sentence[lo:start].strip(" \t")
        and value < 100
    )
