"""Which channels a change goes to: routing lists and thresholds, pure functions over rules.

`ChannelRules` is one [[alerts]] entry's say on what it wants; `selects` answers for one change.
The runner asks it before writing an outbox row, so the outbox only ever holds alerts that are
meant to be sent (and keeps its exactly-once guarantee for them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

FIGURE_KINDS = {"new": "figure.new", "changed": "figure.changed", "removed": "figure.removed"}
HEALTH_KINDS = {"failing": "source.failing", "recovered": "source.recovered"}
HEALTH_KINDS["silent"] = "source.silent"
ALL_KINDS = (*FIGURE_KINDS.values(), *HEALTH_KINDS.values(), "source.flood")


@dataclass(frozen=True, slots=True)
class Digest:
    """A digest period: every `every`, or daily at `at` ("07:00") in time zone `zone`."""

    every: timedelta | None = None
    at: str | None = None
    zone: str = "UTC"


@dataclass(frozen=True, slots=True)
class ChannelRules:
    """One channel's routing, thresholds, confirmation and digest. None/empty = everything."""

    name: str
    sources: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    subjects: frozenset[str] | None = None  # subject keys, aliases already applied
    claimants: frozenset[str] | None = None  # claimant keys, as subject keys
    kinds: frozenset[str] | None = None  # webhook types: figure.new, source.failing, ...
    min_change: int | None = None
    min_change_pct: float | None = None
    confirm: int = 1
    digest: Digest | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """What routing looks at in a change (a Change row, or a health event)."""

    source: str
    kind: str  # the webhook type: figure.changed, source.failing, ...
    category: str | None = None
    subject: str | None = None
    claimant: str | None = None
    old_value: int | None = None
    new_value: int | None = None


def subject_keys(
    subjects: list[str] | tuple[str, ...], aliases: Mapping[str, str]
) -> frozenset[str]:
    """The identity keys of configured subject names, through the same aliases as the extractor."""
    from pipeline.figures.subjects import subject_key  # the extractor's tables: only when asked

    keys = (subject_key(s, dict(aliases)) for s in subjects)
    return frozenset(k for k in keys if k)


def passes_threshold(rules: ChannelRules, old: int | None, new: int | None) -> bool:
    """A change passes when it meets either threshold that is set; no threshold: it passes.

    Only `figure.changed` has two values; new and removed figures always pass.
    """
    if rules.min_change is None and rules.min_change_pct is None:
        return True
    if old is None or new is None:
        return True
    delta = abs(new - old)
    if rules.min_change is not None and delta >= rules.min_change:
        return True
    if rules.min_change_pct is not None:
        if old == 0:
            return delta > 0
        return delta * 100 >= rules.min_change_pct * abs(old)
    return False


def selects(
    rules: ChannelRules, change: Candidate, aliases: Mapping[str, str] | None = None
) -> bool:
    """True when `rules` want an alert for `change` (routing lists, then thresholds)."""
    if rules.kinds is not None and change.kind not in rules.kinds:
        return False
    if rules.sources is not None and change.source not in rules.sources:
        return False
    if not change.kind.startswith("figure."):
        return True  # source-health and flood alerts: routed by source and kind only
    if rules.categories is not None and change.category not in rules.categories:
        return False
    if rules.subjects is not None or rules.claimants is not None:
        # The extractor's tables load only where a channel routes by subject or claimant.
        from pipeline.figures.subjects import subject_key
    if rules.subjects is not None:
        key = subject_key(change.subject, dict(aliases or {}))
        if key not in rules.subjects:
            return False
    if rules.claimants is not None and (
        subject_key(change.claimant, dict(aliases or {})) not in rules.claimants
    ):
        return False
    return passes_threshold(rules, change.old_value, change.new_value)
