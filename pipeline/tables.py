"""Plain-text tables that fit a terminal: `sources`, `figures` and `history` print through here.

A table is fitted to a width (80 columns by default) by narrowing its flexible columns, longest
first, and clipping their cells with '…'; fixed columns (dates, counts) are never clipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

WIDTH = 80
GAP = "  "


def fit(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    flexible: Mapping[int, int] | None = None,
    width: int = WIDTH,
    indent: str = "",
) -> list[str]:
    """Lines of a table: a header, a rule, the rows; at most `width` characters where the
    flexible columns ({index: narrowest width}) can narrow enough."""
    flexible = flexible or {}
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    room = width - len(indent) - len(GAP) * (len(head) - 1)
    while sum(widths) > room:
        narrowable = [i for i, least in flexible.items() if widths[i] > least]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    lines = [_line(head, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in rows]
    return [indent + line for line in lines]


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, the last one '…' when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return GAP.join(clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def when(at: datetime | None) -> str:
    """'2025-01-14 09:10' (UTC), or '-' for never."""
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else "-"


def ago(at: datetime | None, now: datetime) -> str:
    """'12m ago', '3h ago', '2d ago', 'now', or 'never'."""
    if at is None:
        return "never"
    seconds = (now - at).total_seconds()
    if seconds < 60:
        return "now"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "now"


def duration(span: timedelta) -> str:
    """'90s', '15m', '1h', '1d' (the config's own spelling)."""
    seconds = int(span.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
