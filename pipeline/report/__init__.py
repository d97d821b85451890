"""The HTML report: one self-contained file (no script, no external style, font or image).

`gather` reads what the report shows (pure reads through `pipeline.tracker`); `render_html` turns
it into the page with the Jinja2 template beside this module, autoescaped, so every string taken
from a page is shown as text. The same page is the status server's `/`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from sqlmodel import Session

from pipeline.history import amount
from pipeline.report.chart import colours, timeline_svg
from pipeline.tables import ago, when
from pipeline.tracker import (
    NO_FILTERS,
    Configured,
    Filters,
    LogEntry,
    Reading,
    SourceHealth,
    Timeline,
    change_log,
    latest_figures,
    source_health,
    split_key,
    timelines,
)

# No request may leave the file: the browser is told so, as well as the template obeying it.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True, slots=True)
class ReportData:
    generated_at: datetime
    sources: Sequence[SourceHealth]
    timelines: Sequence[Timeline]
    latest: Sequence[Reading]
    changes: Sequence[LogEntry]  # newest first
    filters: Filters
    status: Mapping[str, str] | None = None  # the status page's health checks, when live


def gather(
    *,
    session: Session,
    now: datetime,
    filters: Filters = NO_FILTERS,
    configured: Mapping[str, Configured] | None = None,
    changes_limit: int | None = None,
) -> ReportData:
    """Everything the report shows, read in one session."""
    return ReportData(
        generated_at=now,
        sources=source_health(session=session, configured=configured),
        timelines=timelines(session=session, filters=filters),
        latest=latest_figures(session=session, filters=filters),
        changes=list(reversed(change_log(session=session, filters=filters, limit=changes_limit))),
        filters=filters,
    )


def render_html(
    data: ReportData, *, on_chart: Callable[[], None] | None = None, refresh: int | None = None
) -> str:
    """The report page; `on_chart` is called after each chart (for a progress bar), `refresh`
    makes the page reload itself every so many seconds (the live status page)."""
    figures = []
    for n, tl in enumerate(data.timelines, start=1):
        anchor = f"f{n}"
        current = [r for r in data.latest if r.identity == tl.identity]
        figures.append(
            {
                "anchor": anchor,
                "timeline": tl,
                "title": _title(tl),
                "svg": timeline_svg(
                    tl.points, anchor=anchor, title=_title(tl), until=_until(tl, data)
                ),
                "colours": colours(tl.points),
                "current": current,
            }
        )
        if on_chart is not None:
            on_chart()
    return _template().render(
        data=data, figures=figures, csp=CSP, refresh=refresh, amount=amount, when=when,
        ago=ago, split_key=split_key,
    )  # fmt: skip


def _title(tl: Timeline) -> str:
    who = f" (per {tl.claimant})" if tl.claimant else ""
    return f"{tl.subject or 'people (unnamed)'}, {tl.category.replace('_', ' ')}{who}"


def _until(tl: Timeline, data: ReportData) -> datetime:
    """Where a chart's lines end: the newest page of its sources that was read."""
    seen = [s.last_check_at for s in data.sources if s.last_check_at is not None and any(
        p.source == s.name for p in tl.points)]  # fmt: skip
    return max([tl.points[-1].at, *seen])


@cache
def _template() -> Template:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent),
        autoescape=select_autoescape(("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html")
