"""Where a figure's subject and claimant came from, for `figwatch extract --explain`.

Read again after `find_figures`, never during it. A figure's subject and claimant are first
read in its own sentence (`sentence_figures`), then may be rewritten across the article ("the
ministry said" -> the ministry named before, "he said" -> the person named before, a count
naming no group -> "people"). This module reads the sentence again the way the extractor did,
names the construction that gave the first value, then the step that changed it, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.figures.article import IT_LOST, claimant_in_article, is_generic
from pipeline.figures.claimants import (
    _REPORTS_FROM,
    _SAID_AFTER,
    _SOURCE_LABEL,
    _SPEECH_RE,
    _according,
    _label,
    _owner_of_count,
    _speaker,
    _speaker_after,
    clean_phrase,
    find_claimant,
    pronoun_speaker,
)
from pipeline.figures.claimkeys import names_a_person
from pipeline.figures.grammar import NounPhrase, Reading
from pipeline.figures.groups import named_group
from pipeline.figures.model import Figure
from pipeline.figures.numbers import NumberMention
from pipeline.figures.sentence_figures import (
    _CLAUSE_SPLIT,
    _PERSON_CUES,
    Claimants,
    _subject_text,
)
from pipeline.figures.subjects import find_agent, find_sufferer
from pipeline.figures.walk import _ANAPHOR, _claimant_nearby, _pronoun_antecedent

GROUP_FILE = "lang/en/groups.toml"
BUILT_IN = "built-in"


@dataclass(frozen=True, slots=True)
class Origin:
    """One step that gave or changed a subject or claimant: the rule's stable name, where it is
    written, and the words it read (or what it resolved)."""

    rule: str
    source: str
    words: str


@dataclass(frozen=True, slots=True)
class Article:
    """What the origin readers need of the whole text: its sentences and claimant cache."""

    text: str
    spans: list[tuple[int, int]]
    claimants: Claimants
    found: list[Figure]  # what find_figures gave for the text

    def sentence(self, j: int) -> str:
        return self.text[self.spans[j][0] : self.spans[j][1]]

    def named_before(self, j: int) -> list[str]:
        """The claimants of the figures before sentence `j`, latest last."""
        start = self.spans[j][0]
        return [f.claimant for f in self.found if f.start < start and f.claimant]


# --- subject --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountRead:
    """One count of a sentence as the readers saw it."""

    mention: NumberMention
    np: NounPhrase
    reading: Reading | None


def subject_origin(
    sentence: str, read: CountRead | None, first: str | None, final: str | None
) -> list[Origin]:
    """How the subject came to be `final`: the sentence's own reading gave `first` (read off
    the count `read`), then an article step may have changed it."""
    steps = [] if first is None or read is None else [_own_subject(sentence, read, first)]
    if final == first:
        return steps or [Origin("none", BUILT_IN, "no group named")]
    if final == "people":
        step = Origin("unnamed-group", BUILT_IN, "names no group, so it counts people")
    elif IT_LOST.search(sentence):
        step = Origin("unit-before", BUILT_IN, f"'it' is the unit named before: {final}")
    elif first is not None and first.lower().startswith(("its ", "their ", "his ", "her ")):
        step = Origin("owned-by-claimant", BUILT_IN, f"“{first}” of who speaks: {final}")
    elif _ANAPHOR.match(sentence.lower()):
        step = Origin("group-of-previous", BUILT_IN, f"points back at the figure before: {final}")
    else:
        step = Origin("article", BUILT_IN, f"{final}")
    return [*steps, step]


def _own_subject(sentence: str, read: CountRead, subject: str) -> Origin:
    """The construction of the count's own sentence that named `subject`."""
    m, np, r = read.mention, read.np, read.reading
    cue = r.rule.partition(":")[2].removesuffix("~soft") if r is not None else ""
    if r is not None and r.subject and r.rule.startswith("left:") and subject == r.subject:
        return Origin("cue-words", BUILT_IN, r.subject)  # "Russian troop losses of 1,200"
    own = _subject_text(np)
    if own and subject == own:
        return Origin("noun-phrase-after", BUILT_IN, np.text.strip())
    if cue in _PERSON_CUES and subject.lower().endswith(cue) and subject.startswith(own or ""):
        return Origin("cue-noun-names-group", BUILT_IN, subject)  # "1,300 Russian POWs"
    for where in (("after", "before", "opening"), ("opening",)):
        ruled = named_group(sentence, m.start, m.end, where=where)
        if ruled is not None and (subject == ruled[1] or subject.startswith(ruled[1] + " (")):
            return Origin(f"group:{ruled[0]}", GROUP_FILE, ruled[1])
    if own and subject.startswith(own):
        return Origin("noun-phrase-after", BUILT_IN, np.text.strip())
    if r is not None and r.subject and subject.startswith(r.subject):
        return Origin("cue-words", BUILT_IN, r.subject)
    sufferer = find_sufferer(sentence, m.start)
    if sufferer and subject.startswith(sufferer):
        return Origin("sufferer-before", BUILT_IN, sufferer)
    return Origin("group-of-count-before", BUILT_IN, subject)


def continuing_subject(first: str | None, final: str | None, *, item: bool) -> list[Origin]:
    """The subject of a figure of a sentence that continues the one before: a breakdown's item
    ("300 were women") names its group; an earlier tally keeps the figure before's."""
    if not item:
        return [Origin("of-figure-before", BUILT_IN, final or "")]
    if first is None or final != first:
        return [Origin("unnamed-group", BUILT_IN, "names no group, so it counts people")]
    return [Origin("breakdown-item", BUILT_IN, first)]


# --- claimant -------------------------------------------------------------------------------


def claimant_origin(
    art: Article, idx: int, first: str | None, first_step: Origin | None, final: str | None
) -> list[Origin]:
    """How sentence `idx`'s figure came to be claimed by `final`: its sentence gave `first`
    (by `first_step`); when that is none, the article around it; then a name given before may
    stand in for a short one."""
    if final is None:
        return [Origin("none", BUILT_IN, "no one is quoted")]
    steps = [first_step] if first is not None and first_step is not None else []
    value = first
    if value is None:
        value, step = _from_article(art, idx, final)
        steps.append(step)
    if value is not None and value != final:
        steps.append(_resolved(value, final))
    return steps


def own_claimant(sentence: str, claimant: str | None, *, rule: str) -> Origin | None:
    """The construction that names `claimant` in `sentence`, or in one of its clauses; a
    captor acting at the start for a capture ("The Border Guard captured six")."""
    if claimant is None:
        return None
    if find_claimant(sentence) == claimant:
        return construction(sentence, claimant)
    if rule.startswith("left") and find_agent(sentence) == claimant:
        return Origin("captor", BUILT_IN, claimant)
    for clause in _CLAUSE_SPLIT.split(sentence):
        if find_claimant(clause) == claimant:
            found = construction(clause, claimant)
            return Origin(found.rule, found.source, f"{found.words} (in its own clause)")
    return Origin("sentence", BUILT_IN, claimant)


def construction(text: str, claimant: str) -> Origin:
    """Which construction of `claimants.find_claimant` names `claimant` in `text`."""
    label = _SOURCE_LABEL.search(text) if "source:" in text.lower() else None
    if label is not None:
        return Origin("source-label", BUILT_IN, label.group(0))
    reports = _REPORTS_FROM.match(text)
    if reports is not None and clean_phrase(reports.group("x")) == claimant:
        return Origin("reports-from", BUILT_IN, reports.group(0).strip())
    source = _according(text)
    if source is not None and _speaker(text) != claimant:
        head = source.group("k").lower()
        name = "according-to" if head.startswith(("according", "per")) else "source-of"
        return Origin(name, BUILT_IN, source.group(0).strip())
    if _speaker(text) == claimant:
        for said in _SAID_AFTER.finditer(text):
            if _speaker_after(text, said.end()) == claimant:
                return Origin("speaker-after", BUILT_IN, f"{said.group(0)}{claimant}")
        return Origin("speaker-before", BUILT_IN, _speaker_words(text, claimant))
    if _label(text) == claimant:
        return Origin("label-or-credit", BUILT_IN, claimant)
    if _owner_of_count(text) == claimant:
        return Origin("owner-of-count", BUILT_IN, claimant)
    return Origin("speaker", BUILT_IN, claimant)


def _speaker_words(text: str, claimant: str) -> str:
    """ "The ministry said": the speaker as written and its speech verb."""
    at = text.lower().find(claimant.lower())
    if at < 0:
        return claimant
    verb = _SPEECH_RE.search(text, at + len(claimant))
    return text[at : verb.end()] if verb is not None else claimant


def _from_article(art: Article, idx: int, final: str) -> tuple[str | None, Origin]:
    """Where an unattributed sentence's claimant was found in the article, as
    `extract.find_figures` looks: a pronoun's antecedent, a sentence nearby, the article."""
    pronoun = pronoun_speaker(art.sentence(idx))
    person = _pronoun_antecedent(art.text, art.spans, idx, art.claimants, art.named_before(idx))
    if pronoun is not None and person is not None:
        said = f"“{pronoun}” is {person}, named before"
        return person, Origin("pronoun-antecedent", BUILT_IN, said)
    nearby = _claimant_nearby(art.text, art.spans, idx, art.claimants)
    if nearby is not None:
        return nearby, Origin("sentence-nearby", BUILT_IN, _where_named(art, idx, nearby))
    found = claimant_in_article(art.text, art.spans, idx, art.claimants)
    if found is not None:
        return found, Origin("named-in-article", BUILT_IN, _where_named(art, idx, found))
    # "27 killed in a blast" in a headline: a repeat later in the article names who says it
    return None, Origin(
        "repeat-named", BUILT_IN, f"stated again with {_where_named(art, idx, final)}"
    )


def _where_named(art: Article, idx: int, claimant: str) -> str:
    """ "'the ministry' in sentence 2": the nearest sentence that names `claimant`."""
    order = [*range(idx - 1, -1, -1), *range(idx + 1, len(art.spans))]
    for j in order:
        if art.claimants.at(art.text, art.spans, j) == claimant:
            return f"“{claimant}” in sentence {j + 1}"
    return claimant


_ACRONYM = re.compile(r"[A-Z]{2,8}")


def _resolved(short: str, full: str) -> Origin:
    """The article step that put `full` for the claimant `short` the sentence gave."""
    said = f"“{short}” -> “{full}”"
    if " " not in short and short.islower() and full.lower().endswith(short):
        return Origin("named-in-full", BUILT_IN, f"{said}, the name given before")
    if is_generic(short):
        return Origin("organisation-before", BUILT_IN, f"{said}, the organisation named before")
    if _ACRONYM.fullmatch(short) and full.endswith(f"({short})"):
        return Origin("initials-spelled-out", BUILT_IN, f"{said}, as the article spells it")
    if (clean_phrase(short) or short).lower() in full.lower() and names_a_person(full):
        return Origin("role-to-person", BUILT_IN, f"{said}, the person named before")
    return Origin("fullest-name", BUILT_IN, f"{said}, the fullest name of a repeated figure")
