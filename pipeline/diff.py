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


@dataclass(frozen=True, slots=True)
class FigureChange:
    kind: str  # "new" | "changed" | "removed"
    key: str
    old: Known | None
    new: Figure | None


def figure_key(figure: Figure) -> str:
    """The identity of a figure on a source: category, normalised subject, normalised claimant."""
    return "|".join(figure.identity)


def keyed(figures: Iterable[Figure]) -> dict[str, Figure]:
    """Key each figure by identity; a second figure with the same identity gets '#2', and so on.

    Pages state one figure many times (headline, lede, body); repeats of the same value under one
    identity collapse into the first. Distinct values under one identity (two unnamed groups of
    "people" in one article) stay apart by their order of appearance.
    """
    out: dict[str, Figure] = {}
    seen_values: dict[str, set[tuple[int, int | None]]] = {}
    for figure in figures:
        base = figure_key(figure)
        values = seen_values.setdefault(base, set())
        value = (figure.value, figure.value_max)
        if value in values:
            continue
        values.add(value)
        key = base if len(values) == 1 else f"{base}#{len(values)}"
        out[key] = figure
    return out


def _differs(old: Known, new: Figure) -> bool:
    return (old.value, old.value_max, old.qualifier) != (
        new.value,
        new.value_max,
        new.qualifier.value,
    )


def diff(previous: Mapping[str, Known], current: Mapping[str, Figure]) -> list[FigureChange]:
    """The changes from `previous` (by key, including removed ones) to `current`, in a stable order.

    A figure that comes back after removal is `new` again; an inactive one that stays absent is
    no change.
    """
    changes: list[FigureChange] = []
    for key, figure in current.items():
        old = previous.get(key)
        if old is None or not old.active:
            changes.append(FigureChange("new", key, old, figure))
        elif _differs(old, figure):
            changes.append(FigureChange("changed", key, old, figure))
    for key, old in previous.items():
        if old.active and key not in current:
            changes.append(FigureChange("removed", key, old, None))
    return changes
