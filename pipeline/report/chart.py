"""A figure's timeline as an inline SVG chart, drawn here (no script, no external resource).

One step line per source (a value holds until the source states another), a dot per reading
linked to its evidence sentence (`#<anchor>-<n>`), a bar for a range ('30–40'), and a marker for
a qualifier ('more than' ▲, 'up to'/'fewer than' ▼, 'about' ~). Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from pipeline.history import amount
from pipeline.tracker import Point

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
# Colour-blind-safe (Okabe-Ito), in the order sources appear.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKS = {"more_than": "▲", "at_least": "▲", "up_to": "▼", "less_than": "▼", "approximately": "~"}


def colours(points: Sequence[Point]) -> dict[str, str]:
    """A colour per source, in order of first appearance."""
    out: dict[str, str] = {}
    for p in points:
        out.setdefault(p.source, PALETTE[len(out) % len(PALETTE)])
    return out


def timeline_svg(points: Sequence[Point], *, anchor: str, title: str, until: datetime) -> Markup:
    """The chart of `points` (oldest first), lines drawn on to `until`; `anchor` prefixes the
    ids of the evidence items the dots link to."""
    if not points:
        return Markup("")
    start = points[0].at
    end = max(until, points[-1].at)
    span = (end - start).total_seconds() or 1.0
    top_value = max(p.value_max or p.value for p in points)
    ymax = _nice(top_value * 1.1 or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(at: datetime) -> float:
        if end <= start:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (at - start).total_seconds() / span

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / ymax)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, ymax / 2, ymax):
        ty = TOP + plot_h * (1 - tick / ymax)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{tick:,.10g}</text>"
        )
    ends = ((start, "start"), (end, "end")) if end > start else ((start, "middle"),)
    for at, anchor_side in ends:
        parts.append(
            f'<text class="axis" x="{x(at):.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="{anchor_side}">{_stamp(at, end - start)}</text>'
        )
    palette = colours(points)
    for source, colour in palette.items():
        mine = [p for p in points if p.source == source]
        path = []
        for i, p in enumerate(mine):
            nxt = mine[i + 1].at if i + 1 < len(mine) else end
            path.append(f"{'M' if i == 0 else 'L'}{x(p.at):.1f},{y(p.value):.1f}")
            path.append(f"L{x(nxt):.1f},{y(p.value):.1f}")
        parts.append(f'<path class="line" d="{" ".join(path)}" stroke="{colour}" fill="none"/>')
        last = mine[-1]  # the value the source states now, qualifier and all, on its line
        parts.append(
            f'<text class="value" x="{min(x(end), WIDTH - RIGHT):.1f}" '
            f'y="{y(last.value) - 8:.1f}" text-anchor="end" fill="{colour}">'
            f"{escape(amount(last.value, last.value_max, last.qualifier))}</text>"
        )
    for n, p in enumerate(points, start=1):
        colour = palette[p.source]
        label = f"{amount(p.value, p.value_max, p.qualifier)} · {p.source} · {p.at:%Y-%m-%d %H:%M}"
        parts.append(f'<a href="#{anchor}-{n}" class="point"><title>{escape(label)}</title>')
        if p.value_max is not None:
            parts.append(
                f'<line class="range" x1="{x(p.at):.1f}" x2="{x(p.at):.1f}" '
                f'y1="{y(p.value):.1f}" y2="{y(p.value_max):.1f}" stroke="{colour}"/>'
            )
        parts.append(f'<circle cx="{x(p.at):.1f}" cy="{y(p.value):.1f}" r="5" fill="{colour}"/>')
        mark = MARKS.get(p.qualifier)
        if mark:
            parts.append(
                f'<text class="mark" x="{x(p.at) + 7:.1f}" y="{y(p.value) - 6:.1f}" '
                f'fill="{colour}">{mark}</text>'
            )
        parts.append("</a>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _stamp(at: datetime, span: timedelta) -> str:
    """A time on the axis, as precise as the chart's span needs."""
    if span >= timedelta(hours=1):
        return at.strftime("%Y-%m-%d %H:%M")
    if span >= timedelta(minutes=1):
        return at.strftime("%Y-%m-%d %H:%M:%S")
    return at.strftime("%H:%M:%S.%f")[:-3]


def _nice(value: float) -> int:
    """The round number at or above `value` for the top of an axis: 1, 2, 2.5 or 5 × 10^n."""
    magnitude = 10 ** max(len(str(int(value))) - 1, 0)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)
