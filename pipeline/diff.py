"""Figures of a new page version against the source's current figures: new, changed, removed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipeline.figures import Figure


@dataclass(frozen=True, slots=True)
class Known:
    """A figure as the source last stated it (one `current_figure` row)."""

    key: str
    category: str
    value: int
    value_max: int | None
    qualifier: str
    subject: str | None
    claimant: str | None
    sentence: str
    active: bool = True
    # False for a value recorded without an alert (a restatement left behind by an update,
    # `moved` with no `old_key`): it leaves without one too.
    announced: bool = True

    @classmethod
    def stated(cls, key: str, figure: Figure, *, active: bool = True) -> Known:
        """The figure as it would be stored under `key`."""
        return cls(
            key,
            figure.category.value,
            figure.value,
            figure.value_max,
            figure.qualifier.value,
            figure.subject,
            figure.claimant,
            figure.sentence,
            active,
        )


# Changes recorded in the current figures without a Change row or an alert: "moved", a value
# already known under a new key; "retired", a figure never announced that is no longer stated.
SILENT = frozenset({"moved", "retired"})
UNNAMED = "people"  # the subject key of a count whose text names no group


@dataclass(frozen=True, slots=True)
class FigureChange:
    """One change; `old_key` is set when the figure was known before under another key."""

    kind: str  # "new" | "changed" | "removed", or one of SILENT
    key: str
    old: Known | None
    new: Figure | None
    old_key: str | None = None

    @property
    def alerts(self) -> bool:
        """Whether the change is recorded as a Change row and alerted."""
        return self.kind not in SILENT

    @property
    def announces(self) -> bool:
        """Whether the figure stored by this change has been announced (see Known.announced):
        False for a value left behind by an update."""
        if self.kind != "moved":
            return True
        return self.old_key is not None and self.old is not None and self.old.announced


def figure_key(figure: Figure) -> str:
    """The identity of a figure on a source: category, normalised subject, normalised claimant."""
    return "|".join(figure.identity)


def keyed(figures: Iterable[Figure]) -> dict[str, Figure]:
    """Key each figure by identity; a second figure with the same identity gets '#2', and so on.

    Pages state one figure many times (headline, lede, body); repeats of the same value under one
    identity collapse into the first, and so does the same value restated of the same group
    under another claimant or none (`same_toll`: "soldiers" then "Ukrainian soldiers", "rights
    group" then "human rights organisation"), so that a rewrite dropping either statement is
    no removal. Distinct values under one
    identity (two unnamed groups of "people" in one article) stay apart by their order of
    appearance.
    """
    out: dict[str, Figure] = {}
    seen_values: dict[str, set[tuple[int, int | None]]] = {}
    for figure in figures:
        base = figure_key(figure)
        values = seen_values.setdefault(base, set())
        value = (figure.value, figure.value_max)
        if value in values or _restated(base, value, seen_values):
            continue
        values.add(value)
        key = base if len(values) == 1 else f"{base}#{len(values)}"
        out[key] = figure
    return out


def align(previous: Mapping[str, Known], current: Mapping[str, Figure]) -> dict[str, Figure]:
    """`current` keyed as `previous` knew its figures, so that moving a sentence is no change.

    `keyed` tells apart several values under one identity by their order on the page ("#2",
    "#3"): once two such sentences swap places, each value would take the other's key, and
    two `figure.changed` alerts would report what is only a reordering. Here a value already
    known under one of its identity's keys keeps that key wherever it now stands; the other
    values take the identity's remaining known keys in order (changes), then free ones (new).
    That is done only where it raises fewer alerts than the keys in page order: a headline
    that rises to 35 above a body still saying 31 stays one change of the first figure.
    """
    bases: dict[str, list[str]] = {}
    for key in current:
        bases.setdefault(_base(key), []).append(key)
    known_keys: dict[str, list[str]] = {}
    for key, old in previous.items():
        if old.active:
            known_keys.setdefault(_base(key), []).append(key)
    if all(len(keys) == 1 and len(known_keys.get(b, ())) <= 1 for b, keys in bases.items()):
        return _headline_first(previous, current)  # no identity states two values
    new_key: dict[str, str] = {}
    for base, keys in bases.items():
        new_key.update(_align_identity(base, keys, known_keys.get(base, []), previous, current))
    return _headline_first(previous, {new_key[key]: current[key] for key in current})


def _headline_first(
    previous: Mapping[str, Known], current: Mapping[str, Figure]
) -> dict[str, Figure]:
    """`current`, where a headline updated before its body under a slightly other identity
    ("315 students, the headteacher said" above "287 students, the school headteacher said",
    the body unchanged) takes the known figure's key: one `changed` alert, the body's old value
    kept silently under the new key, as `align` does within one identity. Only a new value
    stated before the unchanged one: a new toll further down is a new figure."""
    out = dict(current)
    for key, figure in current.items():
        was = previous.get(key)
        if (was is not None and was.active) or _restates(key, figure, previous):
            continue
        for known_key, old in previous.items():
            body = out.get(known_key)
            if (
                body is not None
                and known_key != key
                and old.active
                and (body.value, body.value_max) == (old.value, old.value_max)
                and body.start > figure.start
                and compatible(known_key, key)
            ):
                out[known_key], out[key] = figure, body
                break
    return out


def _align_identity(
    base: str,
    keys: list[str],
    olds: list[str],
    previous: Mapping[str, Known],
    current: Mapping[str, Figure],
) -> dict[str, str]:
    """{current key: aligned key} for the figures of one identity (see `align`)."""
    out: dict[str, str] = {}
    free = list(olds)
    for key in keys:
        value = (current[key].value, current[key].value_max)
        same = next((o for o in free if (previous[o].value, previous[o].value_max) == value), None)
        if same is not None:
            out[key] = same
            free.remove(same)
    rest = [key for key in keys if key not in out]
    for key in rest:
        if free:
            out[key] = free.pop(0)
    taken = set(olds)
    spare = iter([base, *(f"{base}#{n}" for n in range(2, len(keys) + len(olds) + 2))])
    for key in rest:
        if key not in out:
            out[key] = next(k for k in spare if k not in taken)
    in_place = {key: key for key in keys}
    # Values a figure of the same toll stated: a new key restating one raises nothing.
    nearby = {
        (old.value, old.value_max)
        for key, old in previous.items()
        if old.active and same_toll(key, base)
    }
    if _alerts(out, olds, nearby, previous, current) < _alerts(
        in_place, olds, nearby, previous, current
    ):
        return out
    return in_place  # as many alerts either way: a rise stays a change, not a new figure


def _alerts(
    assigned: Mapping[str, str],
    olds: list[str],
    nearby: set[tuple[int, int | None]],
    previous: Mapping[str, Known],
    current: Mapping[str, Figure],
) -> int:
    """How many alerts one identity's figures would raise with its keys `assigned`: values
    changed, values new to the identity and its neighbours, known ones no longer stated."""
    count = sum(o not in assigned.values() for o in olds)
    for key, to in assigned.items():
        value = (current[key].value, current[key].value_max)
        if to in olds:
            was = previous[to]
            count += (was.value, was.value_max) != value and (was.announced or value not in nearby)
        else:
            count += value not in nearby
    return count


def _restated(
    base: str, value: tuple[int, int | None], seen: Mapping[str, set[tuple[int, int | None]]]
) -> bool:
    """`value` was already kept under another identity of the same toll as `base`."""
    return any(value in values and same_toll(key, base) for key, values in seen.items())


def same_toll(old_key: str, new_key: str) -> bool:
    """One page stating one value twice of one group, by whoever: one toll ("420, says rights
    group" above "at least 420, according to a human rights organisation"). Looser than
    `compatible`, which also pairs values that differ."""
    old_category, old_subject, _ = _parts(old_key)
    new_category, new_subject, _ = _parts(new_key)
    return old_category == new_category and _nested(_named(old_subject), _named(new_subject))


def _differs(old: Known, new: Figure) -> bool:
    return (old.value, old.value_max, old.qualifier) != (
        new.value,
        new.value_max,
        new.qualifier.value,
    )


def diff(previous: Mapping[str, Known], current: Mapping[str, Figure]) -> list[FigureChange]:
    """The changes from `previous` (by key, including removed ones) to `current`, in a stable order.

    Figures are matched by key, then by `_pair`. A figure that comes back after removal is `new`
    again; an absent removed one is no change. A new key that restates the value a figure of the
    same toll had (the body still saying 31 after the headline went to 35) is recorded without an
    alert: `moved` with no `old_key`.
    """
    return diff_aligned(previous, align(previous, current))


def diff_aligned(
    previous: Mapping[str, Known], current: Mapping[str, Figure]
) -> list[FigureChange]:
    """`diff` of figures `align` has already keyed against `previous` (a check aligns them
    first, to store their observations under the same keys)."""
    pairs = _pair(previous, current)
    changes: list[FigureChange] = []
    for key, figure in current.items():
        old = previous.get(key)
        if old is not None and old.active:
            if not _differs(old, figure):
                continue
            if not old.announced and _restates(key, figure, previous):
                # a value left behind catching up with one announced: still not news
                changes.append(FigureChange("moved", key, old, figure))
            else:
                changes.append(FigureChange("changed", key, old, figure))
        elif key in pairs:
            # A figure found under another key: its value says whether it changed. Its qualifier
            # alone does not, since the statement that stands for it may now be another one
            # ("at least 420" in the body, where the headline's "420" stood before).
            was = previous[pairs[key]]
            kind = (
                "changed"
                if (was.value, was.value_max) != (figure.value, figure.value_max)
                else "moved"
            )
            changes.append(FigureChange(kind, key, was, figure, old_key=pairs[key]))
        elif _restates(key, figure, previous):
            changes.append(FigureChange("moved", key, old, figure))
        else:
            changes.append(FigureChange("new", key, old, figure))
    paired = set(pairs.values())
    changes.extend(
        FigureChange("removed" if old.announced else "retired", key, old, None)
        for key, old in previous.items()
        if old.active and key not in current and key not in paired
    )
    return changes


def _restates(key: str, figure: Figure, previous: Mapping[str, Known]) -> bool:
    value = (figure.value, figure.value_max)
    return any(
        old.active and (old.value, old.value_max) == value and same_toll(old_key, key)
        for old_key, old in previous.items()
    )


def _pair(previous: Mapping[str, Known], current: Mapping[str, Figure]) -> dict[str, str]:
    """New keys matched to vanished ones: {new key: old key}.

    A rewritten attribution or a reworded subject is one change of a figure, not a removal
    plus a new figure. So a key never seen before takes over a vanished figure of its category
    whose subject and claimant are compatible (`compatible`); failing that, the only vanished
    figure of its category by the same claimant, when it is also the only new one.
    """
    vanished = [k for k, old in previous.items() if old.active and k not in current]
    fresh = [k for k in current if k not in previous]
    pairs: dict[str, str] = {}
    for key in fresh:
        match = next((k for k in vanished if compatible(k, key)), None)
        if match is not None:
            pairs[key] = match
            vanished.remove(match)
    fresh = [k for k in fresh if k not in pairs]
    for key in fresh:
        olds = [k for k in vanished if _same_claimant(k, key)]
        if len(olds) == 1 and sum(_same_claimant(olds[0], k) for k in fresh) == 1:
            pairs[key] = olds[0]
            vanished.remove(olds[0])
    fresh = [k for k in fresh if k not in pairs]
    for key in fresh:
        olds = [k for k in vanished if _relabelled(k, previous[k], key, current[key])]
        if len(olds) == 1 and [
            k for k in fresh if _relabelled(olds[0], previous[olds[0]], k, current[k])
        ] == [key]:
            pairs[key] = olds[0]
            vanished.remove(olds[0])
    return pairs


# Categories one toll is read as from one wording to the next ("2,500 soldiers were killed or
# wounded" merged into the sentence before: "killed"): each with its union, never with the other.
_NESTED_CATEGORIES = (
    frozenset({"killed", "killed_or_wounded"}),
    frozenset({"wounded", "killed_or_wounded"}),
)


def _relabelled(old_key: str, old: Known, new_key: str, new: Figure) -> bool:
    """`new` restates `old`'s value under an identity that differs in one part only: its group
    named otherwise (a rewrite naming the unit, the subject taken from another clause), or
    its category read as killed (or wounded) one time and killed-or-wounded the other. Exactly
    the same value, by the same or a compatible claimant: a rewording, not a new figure. A
    value that moves, or missing that became killed, is news and is not paired so."""
    if (old.value, old.value_max) != (new.value, new.value_max):
        return False
    old_category, old_subject, old_claimant = _parts(old_key)
    new_category, new_subject, new_claimant = _parts(new_key)
    if not _nested(old_claimant, new_claimant):
        return False
    if old_category == new_category:
        return old_subject != new_subject
    return old_subject == new_subject and {old_category, new_category} in _NESTED_CATEGORIES


def _same_claimant(old_key: str, new_key: str) -> bool:
    old_category, _, old_claimant = _parts(old_key)
    new_category, _, new_claimant = _parts(new_key)
    return old_category == new_category and bool(old_claimant) and old_claimant == new_claimant


def compatible(old_key: str, new_key: str) -> bool:
    old_category, old_subject, old_claimant = _parts(old_key)
    new_category, new_subject, new_claimant = _parts(new_key)
    if old_category != new_category:
        return False
    if old_subject == new_subject:
        return True
    return _nested(_named(old_subject), _named(new_subject)) and _nested(old_claimant, new_claimant)


def _named(subject: str) -> str:
    """The group a subject key names; "" for "people", what a count of no named group is."""
    return "" if subject == UNNAMED else subject


def _nested(a: str, b: str) -> bool:
    """One name's words contain the other's ("ministry", "health ministry"), or one is empty."""
    words_a, words_b = set(a.split()), set(b.split())
    return not words_a or not words_b or words_a <= words_b or words_b <= words_a


def _parts(key: str) -> tuple[str, str, str]:
    category, subject, claimant = _base(key).split("|", 2)
    return category, subject, claimant


def _base(key: str) -> str:
    """The identity of a key, without the "#2" that tells apart its values."""
    return key.split("#", 1)[0]
