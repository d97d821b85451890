"""The alert message: one change of one figure, as every channel sends it.

`message_for` turns a stored `Change` (and its `Source`) into a frozen `AlertMessage`; the
channels only ever see the message, never the database rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alerts.redact import mask_url
from alerts.render import summary
from storage.models import Change, Source

PAYLOAD_VERSION = 1
FLOOD = "flood"  # a check that found more changes than a source's flood_limit
# Source health, stored as Change rows like the flood: new_value holds the failure streak
# (failing), new_sentence the detail (the last error, ...).
FAILING, RECOVERED, SILENT = "failing", "recovered", "silent"
HEALTH = (FAILING, RECOVERED, SILENT)
KINDS = ("new", "changed", "removed", FLOOD, *HEALTH)
TYPES = {"new": "figure.new", "changed": "figure.changed", "removed": "figure.removed"}
TYPES |= {FLOOD: "source.flood", FAILING: "source.failing", RECOVERED: "source.recovered"}
TYPES[SILENT] = "source.silent"
DIGEST = "digest"  # the webhook type of a digest: `changes` lists its alerts


@dataclass(frozen=True, slots=True)
class FigureView:
    """One side (before or after) of a change, as page text states it."""

    category: str
    value: int
    value_max: int | None
    qualifier: str
    subject: str | None
    claimant: str | None
    sentence: str

    def to_json(self) -> dict[str, Any]:
        """The figure as DESIGN.md's JSON figure: category, value, value_max, qualifier, ..."""
        return {
            "category": self.category,
            "value": self.value,
            "value_max": self.value_max,
            "qualifier": self.qualifier,
            "subject": self.subject,
            "claimant": self.claimant,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """One alert: `id` is stable per change, so every retry carries the same id. `url` is the
    source's URL as shown (`alerts.redact.mask_url`), never its secrets."""

    id: str
    type: str
    source: str
    url: str
    figure: FigureView | None
    previous: FigureView | None
    detected_at: datetime
    change_id: int | None  # None for a digest
    changes: int | None = None  # source.flood: how many figure changes the check recorded
    note: str | None = None  # source health: what happened ("HTTP 503, 3 checks in a row")
    decrease: bool = False  # a cumulative toll went down: usually a correction or a misread
    items: tuple[AlertMessage, ...] = ()  # a digest's alerts, oldest first

    def to_payload(self) -> dict[str, Any]:
        """The webhook body (version 1). `summary` is the one-line text of `render.summary`;
        `changes` is there only for a `source.flood`."""
        payload = {
            "type": self.type,
            "id": self.id,
            "version": PAYLOAD_VERSION,
            "source": self.source,
            "url": mask_url(self.url),
            "figure": self.figure.to_json() if self.figure is not None else None,
            "previous": self.previous.to_json() if self.previous is not None else None,
            "detected_at": iso_utc(self.detected_at),
            "change_id": self.change_id,
            "summary": summary(self),
        }
        if self.changes is not None:
            payload["changes"] = self.changes
        if self.note is not None:
            payload["note"] = self.note
        if self.decrease:
            payload["decrease"] = True
        if self.type == DIGEST:
            payload["changes"] = [item.to_payload() for item in self.items]
        return payload


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a "Z", to the second. Raises ValueError for a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; alerts need UTC-aware times")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def message_id(change_id: int) -> str:
    """The alert id of a change: the webhook-id and the Message-ID's local part."""
    return f"fw_chg_{change_id}"


def message_for(change: Change, source: Source) -> AlertMessage:
    """Build the alert for a stored change of `source`.

    Raises ValueError when the change has no id yet (not flushed), an unknown kind, a naive
    detected_at, or lacks the values its kind needs (a new change without new_value, ...).
    """
    if change.id is None:
        raise ValueError("change has no id; flush it before building its alert")
    if change.kind not in KINDS:
        raise ValueError(f"change {change.id}: unknown kind {change.kind!r}")
    if change.detected_at is None or change.detected_at.tzinfo is None:
        raise ValueError(f"change {change.id}: detected_at must be UTC-aware")
    figure = _side(change, "new") if change.kind in ("new", "changed") else None
    previous = _side(change, "old") if change.kind in ("changed", "removed") else None
    decrease = (
        figure is not None
        and previous is not None
        and (figure.value_max or figure.value) < previous.value
    )
    return AlertMessage(
        id=message_id(change.id),
        type=TYPES[change.kind],
        source=source.name,
        url=mask_url(source.url),  # what recipients see: no token, no password
        figure=figure,
        previous=previous,
        detected_at=change.detected_at.astimezone(UTC),
        change_id=change.id,
        changes=change.new_value if change.kind == FLOOD else None,
        note=change.new_sentence if change.kind in HEALTH else None,
        decrease=decrease,
    )


def _side(change: Change, side: str) -> FigureView:
    value = getattr(change, f"{side}_value")
    qualifier = getattr(change, f"{side}_qualifier")
    if value is None or qualifier is None:
        raise ValueError(f"change {change.id} ({change.kind}): {side}_value/qualifier missing")
    return FigureView(
        category=change.category,
        value=value,
        value_max=getattr(change, f"{side}_value_max"),
        qualifier=qualifier,
        subject=change.subject,
        claimant=change.claimant,
        sentence=getattr(change, f"{side}_sentence") or "",
    )
