"""Who states a sentence's figures (the claimant); its normalised key is in claimkeys.py.

A claimant is found, in order of trust: "according to X"; a speaker before a speech verb
("the coast guard said", "Myanmar's junta claimed"); a speaker after one ("writes the regional
prosecutor's office", "said Jane Roe"); a headline label ("General Staff: ...") or a dash
credit at the end ("... — Interfax"). "citing Y" names a source of the speaker, so Y is the
claimant only when no speaker is named.
"""

from __future__ import annotations

import re

from pipeline.figures.claimkeys import DETS as _DETS
from pipeline.figures.claimkeys import ORG_WORDS as ORG_WORDS  # re-exported
from pipeline.figures.claimkeys import POSSESSIVE_ENDS as _POSSESSIVE_ENDS
from pipeline.figures.claimkeys import claimant_key as claimant_key  # re-exported
from pipeline.figures.claimkeys import drop_possessive as _drop_possessive
from pipeline.figures.claimkeys import names_a_person
from pipeline.figures.cues import lowered
from pipeline.figures.gates import Gated, Prefilter, by_first_letter
from pipeline.figures.lang import longest_first, vocabulary

_V = vocabulary("en")

_LEAD_DETS = re.compile(r"^(?:(?:the|a|an|and|of)\s+)+", re.IGNORECASE)
# A trailing full stop that is not part of initials or an abbreviation: "told AFP." -> "AFP"
_TRAIL_STOP = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z])\.$")


_SPEECH = (
    r"(?:said|says|say|reported|reports|report|stated|states|told|tells|claimed|claims|claim"
    r"|announced|announces|estimated|estimates|estimate|confirmed|confirms|added|adds|wrote"
    r"|writes|noted|notes|tweeted|posted|had\s+data|has\s+data|have\s+data|put|puts|places"
    r"|placed|recorded|records|documented|counted|tallied|show|shows|showed|suggest|suggests"
    r"|suggested|indicate|indicates|indicated|warned|warns|revealed|reveals|acknowledged"
    r"|acknowledges|admitted|admits|admit|declared|declares"
    # "Some authors place it as high as", "Airwars, which believes that 4,354 ..."
    r"|place(?=\s+(?:it|them|the)\b)|believes?(?=\s+(?:that\b|\d))"
    # "Haitian authorities gave a lower count of 51 dead"
    r"|gave(?=\s+(?:an?\s+|the\s+|its\s+|their\s+)?(?:\w+\s+)?(?:count|figure|toll|estimate|tally)s?\b)"
    # "The Pentagon also lists 15,000 troops wounded"; "The army accused the rebels of killing"
    r"|lists(?=\s+(?:more|about|over|at|some|nearly|\d))|accused(?=\s[^.;]{0,80}?\bof\b)"
    # "a NATO spokesman was quoted in a newspaper as saying"
    r"|(?:was|were|is)\s+quoted(?=[^.;]{0,100}?\bas\s+saying\b)"
    # "Iran has revised down the number killed", "officials lowered the state's death toll"
    r"|(?:revised|raised|lowered|updated|corrected|reconciled)(?=\s+(?:[\w’'-]+\s+){0,4}?"
    r"(?:toll|number|figure|count|tally|estimate|record)s?\b)"
    # "monitors have verified the deaths of", "the organisers insisted", "an inquiry found that",
    # "the coroner heard", "outlets have identified by name", "established the names of"
    r"|verified|insisted|found(?=\s+that\b)|heard(?=\s*(?:,|that\b|\.))"
    r"|identified(?=\s+by\s+name\b)|established(?=\s+the\s+names?\b)"
    # "what the AP described as its compilation", "the minister read out the names of 279"
    r"|described(?=\s+as\b)|read(?=\s+(?:out|aloud)\b)"
    # "the Italian coastguard confirming at least 367 people were saved"
    r"|confirming(?=\s+(?:that\s+)?(?:at\s+least|more\s+than|about|over|nearly|some|\d))"
    # "USA TODAY has kept a tally of mass killings"
    r"|kept(?=\s+(?:an?|the|its|their)\s+(?:\w+\s+)?(?:count|tally|record|toll|database)s?\b)"
    r"|(?:released|publishe[ds]|issued)(?=\s+(?:(?:an?|the|its|their|new|latest)\s+)?(?:\w+\s+)?"
    r"(?:estimates?|figures|data|reports?|statement|tally|count|statistics|results|findings"
    r"|study|survey|tables?|lists?)\b))"
)
# Regrouped by first letter (gates.by_first_letter, with its derived first-letter look-ahead):
# the scan tries a few letters at each word, not every alternative.
_SPEECH_RE = re.compile(rf"\b{by_first_letter(_SPEECH)}\b")
_NP_LOWER = _V.words("speaker_words")
# Lower-case words that never sit inside a speaker's name: verbs, pronouns, quantities.
_NOT_SPEAKER = _V.words("not_speaker")
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
_MAX_GENERIC = 4
# Between a speaker and the verb: "Zelensky first reported", "officials on Monday said".
_SPEECH_GAP = _V.words("speech_gap")
# Capitalised at the start of a sentence, these come before a speaker, never inside a name.
_LEAD_WORDS = _SPEECH_GAP | frozenset(
    {"meanwhile", "separately", "however", "but", "and", "at", "although", "though", "while"}
)
WORD = re.compile(r"[\w’'.&-]+|[^\w\s]")
# What opens a source: "according to", "citing", "compiled by", ...
_SOURCE_HEADS = (
    r"according\s+to|citing|quoting|(?:by|in)\s+the\s+(?:count|tally|estimate)\s+of"
    r"|(?:cited|reported|confirmed|given|mentioned|compiled"
    r"|recorded|released|published|analy[sz]ed|provided|issued|announced|documented|verified)"
    r"\s+by"
)
_ACCORDING = re.compile(
    rf"\b(?P<k>{_SOURCE_HEADS}|per(?=\s+(?:the\s|(?-i:[A-Z]))))\s+"  # "per Reuters", not "per cent"
    r"(?P<x>[^,.;:()“”\"—–]{2,90})",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(
    r"\b(?:said|says|told|reported|reports|added|announced|writes|wrote|claimed)\s+"
    r"(?=[A-Z]|(?:the|a|an)\s)",
    re.IGNORECASE,
)
_SAID_AFTER_GATED = Gated(_SAID_AFTER)  # the same matches, read on the lower-cased sentence
# Where an _ACCORDING match can open, read on the lower-cased sentence without IGNORECASE (its
# heads, with "(?-i:[A-Z])" as any lower-case letter): every match of _ACCORDING opens where
# this one matches, so _ACCORDING is tried at those places only (_according).
_ACCORDING_HEAD = re.compile(rf"\b(?:{_SOURCE_HEADS}|per(?=\s+(?:the\s|[a-z])))\s+")
# Prefilters derived from the patterns they guard (gates.Prefilter, its many rare stems tested
# one by one): a sentence that holds none of the literals every match holds has no source
# (_according) or speaker (_speaker, whose _SPEECH_RE is _SPEECH regrouped by first letter)
_ACCORDING_GATE = Prefilter(_ACCORDING_HEAD, one_by_one=99)
_SPEAKER_GATE = Prefilter(re.compile(_SPEECH), _SAID_AFTER, one_by_one=99)
_SOURCE_OF = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?:(?:latest|new|recent|official|daily|final|preliminary|updated)\s+)?"
    r"(?:[a-z]+\s+(?=(?:data|figures|statistics)\b))?"  # "health data analyzed by The Post"
    r"(?:report|statement|data|figures|estimates?|tally|count|update|statistics|numbers)\s+"
    r"(?:from|of|(?:(?:released|issued|published|compiled|collected|gathered|analy[sz]ed)\s+)?by)"
    r"\s+",
    re.IGNORECASE,
)
_CUT = re.compile(
    r"\s+(?:on|in|at|that|who|which|as|during|after|before|when|while|from|to|with|about"
    r"|today|yesterday|tonight|this|last"
    r"|figures|data|statistics|estimates|reports?|tally|is|are|was|were|has|have|had|shows?"
    r"|suggests?|said)\b.*$|\s+\S*\d.*$",
    re.IGNORECASE,
)
# The last word of every _DATA_NOUN match.
_DATA_NOUN_WORDS = frozenset(
    {"data", "figures", "statistics", "tally", "count", "estimate", "estimates", "numbers"}
    | {"record", "records"}
)
_DATA_NOUN = re.compile(
    r"(?:’s|'s)?\s+(?:data|figures|statistics|tally|count|estimates?|numbers|records?)$"
    r"|^(?:data|figures|statistics|numbers)$",
    re.IGNORECASE,
)
# "an estimated", "the earlier reported toll": the verb's participle inside a noun phrase
_ARTICLE_BEFORE = re.compile(
    r"\b(?:an?|the|its|their)\s+(?:(?:earlier|first|initially|previously|officially|last"
    r"|newly|recently|widely)\s+)?$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(r"\s+(?:of|from|by|for|on)\b")
_NOUN_SPEECH = _V.words("noun_speech")
_LIVES_AFTER = re.compile(r"\s+(?:the\s+)?(?:[\w,.]+\s+){0,3}?li(?:ves|fe)\b", re.IGNORECASE)
_EVENT_NOUNS = _V.words("event_nouns")
# Capitalised words after a final dash that label the item rather than credit a source.
_NOT_CREDIT = _V.words("not_credit")
_PRONOUNS = _V.words("pronouns")
GENERIC_CLAIMANTS = _V.words("generic_claimants")
NAMED_GENERIC_CLAIMANTS = _V.words("named_generic_claimants")
# "the head of the regional administration, Ivan Fedorov." after a speech verb
_APPOSED_NAME = re.compile(
    r"(?:the|a|an)\s+(?P<role>[a-z][\w’'-]*(?:\s+(?!said\b)[\w’'-]+){0,7}),\s+"
    r"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s*(?:[.,;]|$)"
)
# "General Staff: Russia has lost ...", "Zelensky: 'We have lost ...'"
# "Idlib Province – The Syrian Observatory:: at least 5 ...": after a place line and a dash
_LABEL = re.compile(
    r"^(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}\s+[–—]\s+)?"
    r"(?P<x>[A-Z][\w’'.&-]*(?:\s+[\w’'.&-]+){0,6})::?\s+(?P<q>[\"'“‘]?)"
)
# "... five wounded in a clash — Interfax", "... - Ministry of Internal Affairs"
_CREDIT = re.compile(r"\s[—–-]\s*(?P<x>[A-Z][\w’'.&-]*(?:\s+[\w’'.&-]+){0,6})\s*\.?$")


def find_claimant(sentence: str) -> str | None:
    """Return who the sentence says states its figures ("according to X", "X said"), or None."""
    low = sentence.lower()
    label = _SOURCE_LABEL.search(sentence) if "source:" in low else None
    if label is not None:
        return clean_phrase(label.group("x"))  # "(source: Gen. Joseph Votel, who heads ...)"
    reports = _REPORTS_FROM.match(sentence) if " from " in low or " by " in low else None
    if reports is not None:
        return clean_phrase(reports.group("x"))  # "Reports from local committees ... estimated"
    m = _according(sentence) if _ACCORDING_GATE.may_match(low) else None
    source = None
    if m and m.group("k").lower().endswith("by") and not _names_someone(m.group("x")):
        m = None  # "recorded by fighter jets": a participle, not a source
    if m:
        source = clean_phrase(_CUT.sub("", _tally_owner(_SOURCE_OF.sub("", m.group("x")))))
        named = _ROLE_THEN_NAME.match(sentence, m.end()) if source else None
        if (
            named is not None
            and source is not None
            and _ROLE_TITLES.intersection(source.lower().split())
            and names_a_person(named.group("name"))
        ):
            source = named.group("name")  # "mentioned by the EU's foreign envoy, Ana Ruiz,"
        if m.group("k").lower() not in ("citing", "quoting") and not m.group("k").endswith("by"):
            return source  # "citing Y", "released by Y": Y only when no speaker is named
    speaker = _speaker(sentence) if _SPEAKER_GATE.may_match(low) else None
    return speaker or source or _label(sentence) or _owner_of_count(sentence)


# "43 of whom have been declared dead by Israeli officials": who declares the dead, right after
# their count
_DECLARED_BY = re.compile(
    r"\s+(?:of\s+(?:whom|them)\s+)?(?:have|has|had|were|was)\s+(?:been\s+)?"
    r"(?:declared|pronounced)\s+dead\s+(?:[^,.;:]{0,30}?\s)?by\s+(?P<x>[^,.;:()]{2,60}?)"
    r"(?=\s+(?:based|after|following|on|in|at|for|when|as)\b|[,.;:()]|$)"
)


def declared_by(sentence: str, pos: int) -> str | None:
    """Who the words right after a count (at `pos`) say declared them dead, or None."""
    if "declared" not in sentence and "pronounced" not in sentence:
        return None
    m = _DECLARED_BY.match(sentence, pos)
    if m is None or not _names_someone(m.group("x")):
        return None
    return clean_phrase(m.group("x"))


# "according to the military's daily casualty toll of Russian troops": the toll's owner
_OWNED_TALLY = re.compile(
    r"(?P<owner>[^’']{2,60}?)(?:’s|'s)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:count|toll|tally|figures|estimates?|statistics|data|report|update|numbers)\b"
)


def _tally_owner(source: str) -> str:
    """The owner of a count a source names ("the military's casualty toll" -> "the
    military"), else the source."""
    m = _OWNED_TALLY.match(source) if "s " in source else None
    return m.group("owner") if m is not None else source


# "well above the army's own admission on Friday that it had lost 9,000": whose statement a
# count is part of, right before it
_OWNED_STATEMENT = re.compile(
    r"\b(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})(?:’s|'s)\s+"
    r"(?:claims?|admission|assertion|estimate|statement|count|figures?)\s+"
    r"(?:(?:last|this|on)\s+\w+\s+)?that\b[^\d;]{0,60}$"
)


def stated_in(sentence: str, pos: int) -> str | None:
    """The owner of the statement a count at `pos` is part of ("Ukraine's admission that it
    had lost 31,000": Ukraine), when it is named right before the count."""
    if "that" not in sentence or ("'s " not in sentence and "’s " not in sentence):
        return None
    m = _OWNED_STATEMENT.search(sentence, max(0, pos - 160), pos)
    return m.group("owner") if m is not None else None


def _according(sentence: str) -> re.Match[str] | None:
    """`_ACCORDING.search(sentence)`, tried only where `_ACCORDING_HEAD` finds an opening on the
    lower-cased sentence, leftmost first (a search reads every position, folding case)."""
    low = lowered(sentence)
    if low is None:
        return _ACCORDING.search(sentence)
    head = _ACCORDING_HEAD.search(low)
    while head is not None:
        m = _ACCORDING.match(sentence, head.start())
        if m is not None:
            return m
        head = _ACCORDING_HEAD.search(low, head.start() + 1)
    return None


# "The military government's final count was 84,537", "the Pentagon's own count is 2,461":
# what follows a possessive, up to the count noun
_COUNT_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:count|toll|tally|figures|estimate|statistics)\b", re.IGNORECASE
)


def _owner_of_count(sentence: str) -> str | None:
    """The owner of a count the sentence gives ("The military government's final count was"),
    when it is an organisation (its last word an organisation or newsroom noun, or initials);
    "the country's death toll" names a place, not who counts."""
    for mark in ("’s", "'s"):
        at = sentence.find(mark)
        while at > 0:
            if _COUNT_AFTER.match(sentence, at + 2):
                words = sentence[max(0, at - 60) : at].split()[-4:]
                while words and words[0].lower() not in DETERMINERS and not words[0][:1].isupper():
                    words.pop(0)  # "puts the military's count": the owner starts at a name
                last = words[-1].lower() if words else ""
                named = (
                    last in ORG_WORDS or last in _NP_LOWER or words[-1].isupper() if last else False
                )
                if named and last not in _DETS:
                    return clean_phrase(" ".join(words))
            at = sentence.find(mark, at + 2)
    return None


def _names_someone(phrase: str) -> bool:
    """ "emergency authorities", "The Washington Post", "the coast guard": a name or a
    newsroom noun, not "fighter jets and the account of the commander"."""
    words = _CUT.sub("", phrase).split()
    if words[:1] and words[0].lower() in DETERMINERS:
        words = words[1:]
    return bool(words) and (words[0][:1].isupper() or all(_is_org(w) for w in words))


_EVIDENCE_VERBS = _V.words("evidence_verbs")
# the speech verb ends the sentence: "..., railway officials said."
_LAST_WORD = re.compile(r"[a-z]+\s*[.!]?[”\"’']?\s*$")
# the speech verb closes its clause: "..., county officials said, though many are safe"
_CLOSING_VERB = re.compile(
    r"[a-z]+\s*(?:[.!]?[”\"’']?\s*$|,\s+(?:though|although|but|while|adding|and)\b)"
)
_PERFECT = re.compile(r"\bha(?:s|ve|d)\s+$")  # "have confirmed by name": active, not a participle


# "..., but said", "... and also said": a verb coordinated with the clause before it
_COORDINATED = re.compile(r",?\s+(?:but|and)\s+(?:also\s+)?$", re.IGNORECASE)
# The verb of that clause, after its subject: "The ministry did not confirm the figure"
_CLAUSE_VERB = re.compile(
    r"\s(?:did|does|do|has|have|had|would|could|will|was|were|is|are|declined|refused)\b"
)


# "Although the generals have claimed ..., the war logs show ...": the speaker of an opening
# concessive clause gives way to the main clause's
_CONCESSION = re.compile(
    r"\W{0,3}(?:although|though|even\s+though|whereas|while)\s[^,;:]{1,240},\s", re.IGNORECASE
)
_CONCESSIVE_HEADS = ("although", "though", "even", "whereas", "while")


def concession(sentence: str, pos: int = 0) -> re.Match[str] | None:
    """The concessive clause opening `sentence` at `pos` ("Although ..., "), up to the space
    after its comma, or None."""
    head = sentence[pos : pos + 12].lstrip(" “\"‘'").lower()
    return _CONCESSION.match(sentence, pos) if head.startswith(_CONCESSIVE_HEADS) else None


# "the confidential report, said": a speech noun after a determiner and a word that names no
# speaker is a noun
_NOUN_AFTER_DET = re.compile(r"\b(?:the|a|an|its|their|this|that)\s+(?P<w>[a-z-]+)\s+$")


def _speaker(sentence: str) -> str | None:
    shown = None  # a speaker of an evidence verb ("the logs show"): gives way to who states it
    conceded = None  # a speaker in an opening concessive clause: the last resort
    opening = concession(sentence)
    main_from = opening.end() if opening is not None else 0
    for sm in _SPEECH_RE.finditer(sentence):
        got = _speaker_of(sentence, sm)
        if got is None:
            continue
        if sm.start() < main_from:
            conceded = conceded or got
        elif sm.group(0) not in _EVIDENCE_VERBS:
            return got
        else:
            # "Video evidence ... suggest no more than 30 were killed, the military said"
            shown = shown or got
    for sm in _SAID_AFTER_GATED.finditer(sentence, main_from):
        before = sentence[max(0, sm.start() - 12) : sm.start()].split()
        if _ADDRESSEE.match(sentence, sm.end()) or (before and before[-1].lower() in _PRONOUNS):
            continue  # "told a press conference", "he told AFP": who heard it, not who said it
        got = _speaker_after(sentence, sm.end())
        if got and not _is_event(got):
            return got
    return shown or conceded


def _speaker_of(sentence: str, sm: re.Match[str]) -> str | None:
    """Who the speech verb `sm` has as its speaker, or None when it is no speech verb here
    (a noun, a participle, "claimed the lives of") or its speaker is a pronoun or an event."""
    if _COORDINATED.search(sentence, max(0, sm.start() - 16), sm.start()):
        # "The ministry did not confirm the figure, but said six of its men were missing":
        # the speaker is the subject of the clause the verb is coordinated with
        verb = _CLAUSE_VERB.search(sentence, 0, sm.start())
        got = _speaker_before(sentence, verb.start()) if verb else None
        if got and not _is_event(got) and _names_someone(got):
            return got
    if sm.group(0).startswith("claim") and _LIVES_AFTER.match(sentence, sm.end()):
        return None  # "the blast claimed the lives of 18": a death, not a statement
    if (
        sentence.startswith(" by ", sm.end())
        and not sm.group(0).endswith("quoted")  # "was quoted by a paper as saying"
        and not _PERFECT.search(sentence, max(0, sm.start() - 6), sm.start())
    ):
        return None  # "evidence recorded by fighter jets": a participle; its agent follows
    noun = sm.group(0) in _NOUN_SPEECH and _NOUN_AFTER.match(sentence, sm.end())
    if noun or _ARTICLE_BEFORE.search(sentence, max(0, sm.start() - 24), sm.start()):
        return None  # "an estimated 150,000", "an internal estimate of": not a verb here
    if sm.group(0) in _NOUN_SPEECH:
        det = _NOUN_AFTER_DET.search(sentence, max(0, sm.start() - 30), sm.start())
        if det is not None and det.group("w") not in _NP_LOWER:
            return None  # "to discuss the confidential report, said": a noun
    before = sentence[max(0, sm.start() - 12) : sm.start()].split()
    if before and before[-1].lower() in _PRONOUNS:
        return None  # "he said": see pronoun_speaker
    inverted = before and before[-1][-1:] in _INVERTED and not sm.group(0).startswith("tol")
    after = _SAID_AFTER.match(sentence, sm.start()) if inverted else None
    if after is not None and not _ADDRESSEE.match(sentence, after.end()):
        # "..., said a coast guard spokesman, Armand Balilo": the speaker follows the verb
        got = _speaker_after(sentence, after.end())
        if got and not _is_event(got) and _names_someone(got):
            return got
    got = _speaker_before(sentence, sm.start())
    if (
        got
        and sm.group(0) in _NOUN_SPEECH
        and got.isalpha()
        and got.islower()
        and got not in _NP_LOWER  # "researchers estimate": a speaker and a verb
        and not _LAST_WORD.match(sentence, sm.start())  # "..., historians estimate."
    ):
        return None  # "The field reports purport to ...": a noun, not a speaker and a verb
    if (
        not got
        or _is_event(got)
        or (got.lower() in _NOT_SPEAKER and sentence.startswith(got + " "))
    ):
        return None  # "If confirmed, ...": a word that never names a speaker on its own
    return got


_INVERTED = frozenset({",", "”", '"', "’"})
_ADDRESSEES = _V.words("addressees")
_ADDRESSEE = re.compile(
    r"(?:(?:an?|the)\s+(?:news\s+|press\s+)?)?(?:" + "|".join(sorted(_ADDRESSEES)) + r")\b"
)


_SPEAKER_PRONOUN = re.compile(rf"\b(?P<p>he|she)\s+(?:also\s+|later\s+)?{_SPEECH}\b", re.I)


def pronoun_speaker(sentence: str) -> str | None:
    """ "he" or "she" when that pronoun states the sentence's figures ("..., he said."), else
    None: the caller resolves it to the person the article named before."""
    low = sentence.lower()
    at = low.find("he")
    if at < 0 or "he " not in low:  # a substring of "she " too: most sentences stop here
        return None
    if len(low) != len(sentence):
        m = _SPEAKER_PRONOUN.search(sentence)
        return m.group("p").lower() if m is not None else None
    # A match opens at "he" or at the letter before it ("she", "ſhe"): the pattern is tried
    # there only, in order (the leftmost match, as a search finds), not at every position.
    last = -1
    while at >= 0:
        for pos in (at - 1, at):
            if pos > last:
                last = pos
                m = _SPEAKER_PRONOUN.match(sentence, pos)
                if m is not None:
                    return m.group("p").lower()
        at = low.find("he", at + 1)
    return None


def _is_event(phrase: str) -> bool:
    """ "US-British strikes", "the blast": an event is never who states a figure."""
    words = phrase.split()
    if len(words) > 2 and words[-1][:1].isupper() and words[-2].lower() == "of":
        return False  # "Coordination Headquarters for ... Prisoners of War": a name
    return words[-1].lower() in _EVENT_NOUNS


def _is_name(tokens: list[str]) -> bool:
    """ "Yusuf Danladi", "the El Fasher Resistance Committees", "OCHA": capitalised words, a
    leading "the" and inner "of"/"for"/"and" allowed."""
    words = tokens[1:] if tokens[:1] in (["the"], ["The"]) else tokens
    return (
        bool(words)
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w in ("of", "for", "and", "on", "al", "bin") for w in words)
    )


def _speaker_after(sentence: str, pos: int) -> str | None:
    """ "said Jane Roe", "writes the regional prosecutor's office": the phrase after the verb;
    a name in apposition to it wins ("said the head of the administration, Ivan Fedorov")."""
    after = _APPOSED_NAME.match(sentence, pos)
    if after is not None and not after.group("role")[:1].isupper():
        return clean_phrase(after.group("name"))
    words: list[str] = []
    for w in WORD.findall(sentence, pos, pos + 90)[:9]:
        low = _drop_possessive(w.lower().rstrip("."))
        known = w[:1].isupper() or low in _NP_LOWER or low in DETERMINERS or low in ORG_WORDS
        if not known and not (words and w.isalpha() and w.islower() and low not in _NOT_SPEAKER):
            break
        words.append(w)
    while words and not (words[-1][:1].isupper() or _is_org(words[-1])):
        words.pop()  # the phrase ends on a name or an organisation noun
    return clean_phrase(" ".join(words))


def _is_org(word: str) -> bool:
    low = _drop_possessive(word.lower().rstrip("."))
    return low in ORG_WORDS or low in _NP_LOWER and low not in _DETS


_LOWER_CREDIT = re.compile(r"\s[—–]\s*(?P<x>[a-z]+(?:\s+[a-z]+)?)\s*\.?$")
# "... more than 1,700 had died (Iraq Coalition Casualty Count, 2005; Antiwar.com, 2005).",
# "11,000 rebels killed (Gilbert)": a source cited in brackets at the sentence's end
_CITED = re.compile(
    r"\((?P<x>[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*){0,5})(?:,\s*(?:\d{4}|[a-z]+\.?\s*\d+))?"
    r"(?:;[^()]*)?\)\W*$"
)


def _label(sentence: str) -> str | None:
    """A headline's label before a colon, a news agency credited after a final dash, or a
    source cited in brackets at the end."""
    m = _LABEL.match(sentence) if ":" in sentence[:80] else None
    if m is not None:
        words = m.group("x").split()
        named = all(w[:1].isupper() or w.lower() in _NP_LOWER for w in words)
        if named and (any(_is_org(w) for w in words) or (m.group("q") and len(words) <= 3)):
            return clean_phrase(m.group("x"))
    tail = sentence[-80:]
    m = _CREDIT.search(sentence) if ("-" in tail or "–" in tail or "—" in tail) else None
    if m is not None:
        words = m.group("x").split()
        if words[0].lower().strip(".") not in _NOT_CREDIT and all(
            w[:1].isupper() or w.lower() in _NP_LOWER for w in words
        ):
            return clean_phrase(m.group("x"))
    m = _LOWER_CREDIT.search(sentence, len(sentence) - 40) if "—" in tail or "–" in tail else None
    if m is not None and all(w in _NP_LOWER or w in ORG_WORDS for w in m.group("x").split()):
        return m.group("x")  # "... in shooting at a shopping centre — police."
    m = _CITED.search(sentence, len(sentence) - 120) if sentence.rstrip(" .")[-1:] == ")" else None
    if m is not None and m.group("x").split()[0].lower().strip(".") not in _NOT_CREDIT:
        return clean_phrase(m.group("x"))
    return None


# "Two officials briefed on the report, who asked not to be named, said": a
# relative clause between the speaker and the verb
_RELATIVE_BEFORE = re.compile(r",\s+(?:who|which)\s+(?P<rel>[^;:“”\"]{1,200}?),\s*$")
# "An indigene, who gave his name as Ana Ruiz, said": the relative clause names the speaker
_GAVE_NAME = re.compile(
    r"gave\s+(?:his|her|their)\s+names?\s+as\s+(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
)
# "two people familiar with the matter", "sources close to the ministry": a source known by
# what it knows (lang/en/vocabulary.toml, source_links)
_SOURCE_LINKS = tuple(sorted(_V.words("source_links")))
_LINK_MARKS = tuple(max(link.split(), key=len) for link in _SOURCE_LINKS)  # each match holds one
_LINKED_SOURCE = re.compile(
    r"(?:\b(?:the|a|an|two|three|four|five|several|some)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:people|persons|sources?|officials?|diplomats?|officers?)\s+"
    r"(?:" + "|".join(w.replace(" ", r"\s+") for w in _SOURCE_LINKS) + r")"
    r"\s+(?:the\s+|an?\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3}\s*$",
    re.IGNORECASE,
)
_OPENING_QUOTES = frozenset({"“", '"', "‘"})
_CLOSING_QUOTES = frozenset({"”", '"'})


def _speaker_before(sentence: str, pos: int) -> str | None:
    """The noun phrase right before a speech verb: names, newsroom nouns, "the coast guard"."""
    window = max(0, pos - 260)
    rel = _RELATIVE_BEFORE.search(sentence, window, pos) if ", wh" in sentence[window:pos] else None
    if rel is not None:
        gave = _GAVE_NAME.match(rel.group("rel"))
        if gave is not None:
            return clean_phrase(gave.group("name"))
        pos = rel.start()  # the speaker is before the relative clause
    start = max(0, pos - 120)
    near = sentence[start:pos].lower()
    linked = (
        _LINKED_SOURCE.search(sentence, start, pos)
        if any(mark in near for mark in _LINK_MARKS)
        else None
    )
    if linked is not None:
        return clean_phrase(linked.group(0))
    tokens: list[str] = WORD.findall(sentence, max(0, pos - 160), pos)
    if len(tokens) > 2 and tokens[-1] == "]" and "[" in tokens:
        # "the war logs [published by a website] show": the editor's bracket is passed over
        del tokens[len(tokens) - 1 - tokens[::-1].index("[") :]
    if len(tokens) > 2 and tokens[-1] in _CLOSING_QUOTES:
        tokens = _unquoted_name(tokens)  # 'the news agency "AFP" reported'
    if len(tokens) > 2 and tokens[-1].lower() in ("which", "who") and tokens[-2] == ",":
        del tokens[-2:]  # "monitors such as Airwars, which believes": the name before
    while tokens and tokens[-1].lower() in _SPEECH_GAP and not _initials(tokens[-1]):
        tokens.pop()  # "Zelensky first reported", "officials on Monday said"
        if tokens and tokens[-1].lower() in ("on", "in", "last", "this"):
            tokens.pop()
    acronym = None
    if tokens and tokens[-1] == ")" and "(" in tokens:
        # "The Office for Civil Liberties (OCL) has recorded": brackets after the name
        inner = tokens[len(tokens) - tokens[::-1].index("(") : -1]
        del tokens[len(tokens) - 1 - tokens[::-1].index("(") :]
        if len(inner) == 1 and inner[0].isupper():
            # "The Wall Street Journal (WSJ) reported": the name and its acronym, as the text
            # gives them (article.acronyms keys both as the acronym); the acronym alone when no
            # name is read before it
            acronym = inner[0]
    got = _phrase_before(sentence, pos, tokens)
    if acronym is None:
        return got
    return f"{got} ({acronym})" if got else acronym


def _unquoted_name(tokens: list[str]) -> list[str]:
    """`tokens` without the quotation marks around a name of up to four words at their end."""
    for k in range(len(tokens) - 3, max(-1, len(tokens) - 7), -1):
        if tokens[k] in _OPENING_QUOTES:
            name = tokens[k + 1 : -1]
            return [*tokens[:k], *name] if all(_capital(w) for w in name) else tokens
    return tokens


def _phrase_before(sentence: str, pos: int, tokens: list[str]) -> str | None:
    opening = _OPENING_NAME.match(sentence) if pos <= 200 else None
    if tokens and tokens[-1] == "," and opening is not None:
        # "Carl Conetta, co-director of the Project, a group that ..., estimates": the name that
        # opens the sentence, whatever the appositions after it
        head = opening.group("name").split()
        if head[0].lower() not in _LEAD_WORDS and _is_name(head):
            return clean_phrase(opening.group("name"))
    if tokens and tokens[-1] == "," and tokens.count(",") >= 2:
        # "Adm. Jane Roe, head of the naval staff, estimated": the name, not the apposition;
        # "The lawmaker, Yusuf Danladi, said": the apposition is the name
        first = len(tokens) - 1 - tokens[-2::-1].index(",") - 1
        inner = tokens[first + 1 : -1]
        if inner and _is_name(inner) and not _is_name(tokens[max(0, first - 1) : first]):
            return clean_phrase(" ".join(inner))
        if first > 0:
            tokens = tokens[:first]
    words: list[str] = []
    generic = 0  # plain lower-case nouns taken: they need a determiner or a name before them
    anchored = False
    stop = ""  # the token the phrase stopped at
    for tok in reversed(tokens[-12:]):
        low = _drop_possessive(tok.lower())
        if words and tok[:1].isupper() and low in _LEAD_WORDS and not _initials(tok):
            # "On Tuesday the agency said", "By Saturday evening police said": the time
            # phrase opens the sentence and the speaker follows it
            while len(words) > 1 and words[-1].lower() in _SPEECH_GAP:
                words.pop()
                generic -= 1
            anchored = True
            break
        if _capital(tok) or low in _NP_LOWER:
            words.append(tok)
            anchored = anchored or _capital(tok) or low in DETERMINERS
        elif tok == "from" and words:
            break  # "data from the UN shows": the source follows "from"
        elif tok in ("in", "at") and words:
            words, generic, anchored = [], 0, False  # "medics in the Jenin camp said"
        elif low in DETERMINERS:
            anchored = True  # "the coast guard", "their employer"
            break
        elif (
            # "search-and-rescue teams"; "the ship's operator", but "the country's general
            # staff" is the general staff
            (tok.replace("-", "").isalpha() or (generic and low.isalpha()))
            and tok.islower()
            and low not in _NOT_SPEAKER
            and generic < _MAX_GENERIC
            and not low.endswith("ed")  # "has killed an estimated"
        ):
            words.append(tok)
            generic += 1
        else:
            stop = tok
            break
    if generic and not anchored and not (stop == "," and _CLOSING_VERB.match(sentence, pos)):
        # "were killed in clashes, officials said" keeps its old reading; "..., railway
        # officials said.", "..., county officials said, though ...": a phrase set off by a
        # comma before a verb that closes the clause is the speaker
        return None
    named = _name_before_role(tokens, words)
    if named is not None:
        return named
    phrase = " ".join(reversed(words))
    if words and words[0].lower() in _DATA_NOUN_WORDS:
        # "Mediazona's data shows", "UN figures show": the source, not its numbers
        phrase = _DATA_NOUN.sub("", phrase)
    return clean_phrase(phrase) if phrase else None


# "al-Qudra", "bin Salman": a name whose first letter is a lower-case particle's
_PARTICLE_NAME = re.compile(
    r"(?:" + "|".join(longest_first(_V.words("name_particles"))) + r")-[A-Z]"
)


def _initials(tok: str) -> bool:
    """ "TODAY" in "USA TODAY": a word in capitals is a name, never a time word."""
    return len(tok) > 1 and tok.isupper()


def _capital(tok: str) -> bool:
    return tok[:1].isupper() or _PARTICLE_NAME.match(tok) is not None


_NAME_EDGES = frozenset({",", '"', "”", "“", "’", "'"})
_ROLE_TITLES = _V.words("role_titles")


def _name_before_role(tokens: list[str], words: list[str]) -> str | None:
    """ "..., Naguib Sinarimbo, spokesman and civil defense chief for the region told": the
    name set off by commas before a lower-case role is who speaks."""
    if not words or words[-1] not in _ROLE_TITLES or len(tokens) < len(words) + 3:
        return None  # "Richmond, Virginia, police said": a place, not a name and a role
    k = len(tokens) - len(words)  # where the role starts
    if tokens[k - 1] != ",":
        return None
    j = k - 2
    while j >= 0 and tokens[j] not in _NAME_EDGES and k - 1 - j <= 4:
        j -= 1
    name = tokens[j + 1 : k - 1]
    if j < 0 or tokens[j] not in _NAME_EDGES or not name or not _is_name(name) or name[0] == "The":
        return None
    return clean_phrase(" ".join(name))


_REPORTS_FROM = re.compile(
    r"\W{0,2}(?:reports?|data|figures|estimates|statistics)\s+(?:from|by)\s+(?P<x>[^,.;:()]{2,80}?)"
    r"(?=\s*,|\s+(?:show|shows|showed|say|said|put|estimated|suggest|suggested)\b)",
    re.IGNORECASE,
)
# A name in apposition after a source naming a role: "by High Representative ..., Ana Ruiz,"
_ROLE_THEN_NAME = re.compile(
    r",\s+(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){1,2})\s*(?:[,.;]|$)"
)
_SOURCE_LABEL = re.compile(r"\bsource:\s+(?P<x>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,4})", re.I)
# A name of two to four capitalised words opening the sentence, then a comma.
_OPENING_NAME = re.compile(r"(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){1,3}),\s")


def clean_phrase(phrase: str) -> str | None:
    """Trim spaces, determiners, a possessive and a stray full stop; None when nothing is left."""
    # Whitespace runs become single spaces (str.split and \s agree on what is a space), so the
    # trailing patterns below are plain string tests: no "$" before a line break is possible.
    phrase = " ".join(phrase.split()).strip(" ,;:-–—'\"“”")
    if phrase.endswith("."):
        phrase = _TRAIL_STOP.sub("", phrase)
    lead = _LEAD_DETS.match(phrase)
    if lead:
        phrase = phrase[lead.end() :]
    head, space, last = phrase.rpartition(" ")
    if space and last.lower() in _DETS:
        phrase = head  # a trailing determiner: "the Kyiv city administration and"
    if phrase.endswith(_POSSESSIVE_ENDS):
        phrase = phrase[:-2]
    low = phrase.lower()
    if not phrase or low in _PRONOUNS or len(phrase) > 100 or low in _DETS:
        return None
    return phrase
