"""The figures of one sentence: read each count, share readings, then name groups and claimants.

`extract.find_figures` walks a text's sentences and calls `sentence_figures` on each one that
holds a category cue and a number; this module is the part of the extractor that runs per
sentence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.figures.claimants import concession, declared_by, find_claimant, stated_in
from pipeline.figures.claimkeys import claimant_key
from pipeline.figures.cues import HELD_HEADS, KW, lower_twin, lowered
from pipeline.figures.grammar import BLOCKED, NounPhrase, Reading, noun_phrase
from pipeline.figures.groups import named_group, names_a_group
from pipeline.figures.lang import vocabulary
from pipeline.figures.model import Category, Figure, Qualifier
from pipeline.figures.numbers import NumberMention, find_numbers
from pipeline.figures.readings import readings as read_counts
from pipeline.figures.subjects import find_agent, find_sufferer, subject_key

_LEAD_OF_THE = re.compile(r"^(?:of\s+)?(?:the\b\s*)?", re.IGNORECASE)
_TRAIL_LINK = re.compile(r"(?:^|\s+)(?:and|of|the|in|from|a|an)$", re.IGNORECASE)
_PLACE_FIRST = re.compile(r"(?:in|at|on|near|across|inside)\b", re.IGNORECASE)
_OF_THEM = re.compile(r"^(?:of\s+)?(?:them|whom|those)\s+", re.IGNORECASE)
_PRONOUN_SUBJECTS = frozenset({"of whom", "of them", "whom", "them", "of those", "those"})
_BARE_OTHERS = frozenset({"more", "another", "further"})
_ONE_CATEGORY = vocabulary("en").words("one_category_groups")
_NOT_COUNTED = vocabulary("en").words("not_counted_people")
# Heads that say people but not whose: a loss of them is named by its owner.
GENERIC = vocabulary("en").words("generic_heads")
_PERSON_CUES = frozenset(
    {"hostages", "hostage", "pows", "pow", "prisoners", "captives", "martyrs", "bodies"}
)
_ESTIMATE = re.compile(r"\bestimat", re.IGNORECASE)
# An active verb with its object right after the count's noun phrase: the count is the agent,
# not the victims ("Seven masked gunmen shot dead the driver", "Two bombers killed 14").
_AGENT_OF = re.compile(
    r"\s*(?:killed|shot\s+dead|shot\s+and\s+killed|gunned\s+down|executed|murdered|beheaded"
    r"|massacred|slaughtered|lynched|(?:hacked|stabbed|beaten|burned)\s+to\s+death|abducted"
    r"|kidnapped|seized|captured|injured|wounded)\s+"
    r"(?!(?:the|a|an)\s+(?:day|week|month|year|night|previous|following|same|last|next)\b)"
    r"(?:(?:the|a|an|his|her|their|its|our|them|him)\b|(?:(?:at\s+least|more\s+than|about"
    r"|around|nearly|over|some)\s+)?(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten"
    r"|dozens|scores|hundreds|several)\b))",
    re.IGNORECASE,
)
_MAX_MENTIONS = 60  # per sentence
_CITATION = re.compile(r"\[(?:\d{1,3}|[a-z]|citation needed)\]")
# A digit glued to a letter before it; starting with the digit lets the matcher skip to digits
_FOOTNOTE_HINT = re.compile(r"\d(?<=[a-z]\d)(?![\w,])")
_FOOTNOTE = re.compile(
    r"\b(killed|wounded|missing|injured|captured|dead|prisoners)\d(?=[\s;,.)]|$)"
)


class Claimants:
    """The alias table of one `find_figures` call, and the claimants and claimant keys found
    during it, each found once: a sentence's claimant is asked for again by the sentences after
    it that quote no one, and most figures of a text name the same few claimants."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self._of: dict[str, str | None] = {}
        self._keys: dict[str | None, str | None] = {}
        self._at: dict[int, str | None] = {}

    def of(self, sentence: str) -> str | None:
        if sentence not in self._of:
            self._of[sentence] = find_claimant(sentence)
        return self._of[sentence]

    def at(self, text: str, spans: list[tuple[int, int]], j: int) -> str | None:
        """The claimant of sentence `j` of `text` (one text per call of find_figures): the
        sentences before a figure are asked for again by every later figure, so each is cut
        out and looked up once, by its index."""
        if j in self._at:
            return self._at[j]
        found = self.of(text[spans[j][0] : spans[j][1]])
        self._at[j] = found
        return found

    def key(self, claimant: str | None) -> str | None:
        if claimant not in self._keys:
            self._keys[claimant] = claimant_key(claimant, self.table)
        return self._keys[claimant]


def sentence_figures(sentence: str, offset: int, claimants: Claimants) -> list[Figure]:
    """The figures of one sentence: read each count, share readings, then name the groups."""
    if "[" in sentence:
        # "more than twenty thousand[4] people perished": a citation mark is no number
        sentence = _CITATION.sub(lambda m: " " * len(m.group(0)), sentence)
    if _FOOTNOTE_HINT.search(sentence):
        # "134 wounded1; total, 247": a footnote mark glued to a cue word is no number
        sentence = _FOOTNOTE.sub(r"\1 ", sentence)
    mentions = find_numbers(sentence)[:_MAX_MENTIONS]
    if not mentions:
        return []
    nps: list[NounPhrase] = [noun_phrase(sentence, m.end) for m in mentions]
    readings = read_counts(sentence, mentions, nps)
    if all(r is None or r is BLOCKED for r in readings):
        return []
    return _build(sentence, offset, claimants, mentions, nps, readings)


def _build(
    sentence: str,
    offset: int,
    claimants: Claimants,
    mentions: list[NumberMention],
    nps: list[NounPhrase],
    readings: list[Reading | None],
) -> list[Figure]:
    """Figures for the counts that have a reading: qualifier, subject, claimant, keys."""
    bounds, clauses = _clause_claimants(sentence, mentions, readings, claimants)
    agent = None if any(clauses.values()) else find_agent(sentence)
    estimate_at = _ESTIMATE.search(sentence) if "stimat" in sentence else None
    out: list[Figure] = []
    prev_subject: str | None = None
    prev_end: int | None = None
    for m, np, r in zip(mentions, nps, readings, strict=True):
        if r is None or r is BLOCKED:
            continue
        if r.rule.startswith("right:") and _AGENT_OF.match(sentence, np.end):
            continue  # the count did it: "Three militants executed a soldier"
        qualifier = m.qualifier
        if qualifier == Qualifier.EXACT and r.qualifier is not None:
            qualifier = r.qualifier  # "the toll tops 50,000"
        if (
            qualifier == Qualifier.EXACT
            and estimate_at
            and m.start - 120 < estimate_at.start() < m.start
            and ";" not in sentence[estimate_at.start() : m.start]
        ):
            qualifier = Qualifier.APPROXIMATELY
        subject = r.subject if r.subject and r.rule.startswith("left:") else _subject_text(np)
        if prev_end is not None and ";" in sentence[prev_end : m.start]:
            prev_subject = None  # a new clause counts a new group
        prev_end = m.end
        if subject is None:
            subject = r.subject or find_sufferer(sentence, m.start)  # "Iraq Army had lost 57"
            if subject and prev_subject and prev_subject.startswith(subject + " ("):
                subject = prev_subject  # "Ukraine lost 30,000 troops, including 14,000 killed"
        cue = r.rule.partition(":")[2].removesuffix("~soft")
        if (
            r.rule.startswith("right:")
            and cue in _PERSON_CUES
            and (
                subject is None
                or subject.split()[-1][:1].isupper()
                or (  # "500 political prisoners", not "holding five aid workers hostage"
                    " " not in subject
                    and subject.lower() not in HELD_HEADS
                    and sentence[np.end :].lstrip()[: len(cue)].lower() == cue
                )
            )
        ):
            # "1,300 Russian POWs", "101 hostages": the cue noun names the group
            word = sentence[np.end :].split(None, 1)[:1]
            subject = " ".join([*(subject.split() if subject else []), *word]).strip(",.;:")
        subject = _ruled_group(sentence, m, r, subject)
        if subject is not None and _head_word(subject) in _NOT_COUNTED:
            continue  # "30 bodies and five survivors", "3 kidnapped escapees": no figure
        if subject is None or subject.lower() in _BARE_OTHERS:
            subject = prev_subject  # "90 marines died and another 200 were hurt"
        if r.rule != "shared" and (subject is None or subject.lower() not in _ONE_CATEGORY):
            # a breakdown ("including 3 children") names a subgroup; "22 martyrs and 16
            # injured": a group named by its category is not the next count's group
            prev_subject = subject
        # "The Border Guard Service in Sumy captured six soldiers": captors report captures
        captor = agent if r.rule.startswith("left") and r.category == Category.CAPTURED else None
        own_claimant = (
            declared_by(sentence, np.end)
            or stated_in(sentence, m.start)
            or clauses.get(_clause_of(bounds, m.start))
            or captor
        )
        out.append(
            Figure(
                category=r.category,
                value=m.value,
                value_max=m.value_max,
                qualifier=qualifier,
                subject=subject,
                claimant=own_claimant,
                sentence=sentence,
                start=offset,
                end=offset + len(sentence),
                rule=r.rule + ("~soft" if r.soft and r.category == KW else ""),
                subject_key=subject_key(subject, claimants.table, sentence[: m.start]),
                claimant_key=claimants.key(own_claimant),
            )
        )
        if r.category == Category.CAPTURED and _THEN_KILLED.match(sentence, m.end, np.end + 60):
            # "seized nine farmers and shot them": the captives were then killed
            out.append(replace(out[-1], category=Category.KILLED, rule="then-killed"))
    return out


def _ruled_group(sentence: str, m: NumberMention, r: Reading, subject: str | None) -> str | None:
    """The group the subject rules (lang/en/groups.toml) name for a count whose own words name
    none ("48 missing individuals", "103 of the 107 passengers"). A loss of a generic head gets
    its owner, as the spec's "DPRK army (soldiers)": "The Confederates ... lost 128 men" ->
    "Confederates (men)"."""
    loss = r.rule.startswith("left:los") and subject is not None and subject.lower() in GENERIC
    if not (
        loss or subject is None or subject.lower() in _BARE_OTHERS or not names_a_group(subject)
    ):
        return subject
    if loss:
        group = named_group(sentence, m.start, m.end, where=("opening",))
        owner = find_sufferer(sentence, m.start) or (group[1] if group else None)
    else:
        group = named_group(sentence, m.start, m.end)
        owner = group[1] if group else None
    if owner is None:
        return subject
    return f"{owner} ({subject})" if loss else owner


_THEN_KILLED = re.compile(
    r"[^,.;]{0,40}?\s*,?\s+(?:and|before|then)\s+(?:later\s+|then\s+)?(?:killed|executed"
    r"|murdered|beheaded|shot(?:\s+dead)?|slaughtered|hanged)\s+(?:them|all\s+of\s+them)\b",
    re.IGNORECASE,
)
# Clauses that can each have their own claimant: "the army said ..., while the rebels said ...".
_CLAUSE_SPLIT = re.compile(r";|,?\s+(?:while|whereas|but|though|although)\s+", re.IGNORECASE)


_CLAUSE_SPLIT_LOWER = lower_twin(_CLAUSE_SPLIT)
_CLAUSE_WORDS = (" while ", " whereas ", " but ", "though ")


def _clause_bounds(sentence: str, pos: int = 0) -> list[int]:
    """Start offsets of the clauses after the first from `pos` on (each just past a ";" or
    "while", or past the comma closing an opening "Although ...,"). The cheap concession test
    comes first, and `pos` stands for a slice: a slice would push the whole sentence's
    lower-cased copy out of `cues.lowered`."""
    opening = concession(sentence, pos)
    if opening is not None:
        return [opening.end(), *_clause_bounds(sentence, opening.end())]
    same_length = lowered(sentence)
    if same_length is not None:
        worded = any(same_length.find(w, pos) >= 0 for w in _CLAUSE_WORDS)
    else:
        low = sentence[pos:].lower()
        worded = any(w in low for w in _CLAUSE_WORDS)
    if sentence.find(";", pos) < 0 and not worded:
        return []
    if same_length is not None:
        return [m.end() for m in _CLAUSE_SPLIT_LOWER.finditer(same_length, pos)]
    return [m.end() for m in _CLAUSE_SPLIT.finditer(sentence, pos)]


def _clause_of(bounds: list[int], pos: int) -> int:
    return sum(1 for b in bounds if b <= pos)


def _clause_claimants(
    sentence: str,
    mentions: list[NumberMention],
    readings: list[Reading | None],
    claimants: Claimants,
) -> tuple[list[int], dict[int, str | None]]:
    """Clause starts, and the claimant per clause holding a figure ("the junta said ...; the
    rebels said ..."). A clause without its own claimant takes the sentence's.
    """
    whole = claimants.of(sentence)
    bounds = _clause_bounds(sentence)
    if not bounds:
        return bounds, {0: whole}
    out: dict[int, str | None] = {}
    edges = [0, *bounds, len(sentence)]
    for m, r in zip(mentions, readings, strict=True):
        if r is None or r is BLOCKED:
            continue
        k = _clause_of(bounds, m.start)
        if k not in out:
            out[k] = find_claimant(sentence[edges[k] : edges[k + 1]]) or whole
    return bounds, out


def _head_word(subject: str) -> str:
    """The last word of a subject's first phrase: "escapees came running" -> "escapees"."""
    words = subject.lower().split()
    for w in words:
        if w in _NOT_COUNTED:
            return w
    return words[-1] if words else ""


def _subject_text(np: NounPhrase) -> str | None:
    if np.text.lower() in _PRONOUN_SUBJECTS:
        return None  # "500 of whom": the group named before
    text = _OF_THEM.sub("", np.text.strip(" ,;:-–—"))  # "6 of them children"
    if _PLACE_FIRST.match(text) or (text.endswith("ly") and " " not in text):
        return None  # "killed 12 in Cuba": a place; "two of them seriously": a manner
    text = _LEAD_OF_THE.sub("", text)
    text = _TRAIL_LINK.sub("", text)
    return text or None
