"""The `figwatch sources`, `figures` and `report` sub-commands: the history, to look at.

`pipeline/cli.py` calls `register(subparsers)`; each handler returns the exit code (0 fine, 2 the
input cannot be used, with one line on stderr). They only read the database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.tables import ago, duration, fit, when

if TYPE_CHECKING:  # the database modules are imported by the commands that use them
    from sqlmodel import Session

    from pipeline.config import Config
    from pipeline.tracker import Configured, Filters, Reading, SourceHealth
from pipeline.words import plural

CATEGORIES = ("killed", "wounded", "killed_or_wounded", "captured", "missing")


def register(subparsers: Any) -> None:
    """Add `sources`, `figures` and `report` to an argparse sub-parser collection."""
    src = subparsers.add_parser(
        "sources",
        help="each source's health: last check, failures in a row, last error, figures stated",
    )
    src.add_argument("--format", choices=("table", "json"), default="table")
    _database_option(src)
    src.set_defaults(handler=run_sources)

    fig = subparsers.add_parser(
        "figures", help="the tracker: the latest value of every figure across sources"
    )
    add_filters(fig)
    fig.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _database_option(fig)
    fig.set_defaults(handler=run_figures)

    rep = subparsers.add_parser(
        "report", help="one self-contained HTML report: timelines, source health, change log"
    )
    rep.add_argument("--html", required=True, metavar="FILE", help="where to write the report")
    add_filters(rep)
    _database_option(rep)
    rep.set_defaults(handler=run_report)


def add_filters(parser: argparse.ArgumentParser, *, source: bool = True) -> None:
    """The filters `figures`, `history` and `report` share (`history` has its own --source)."""
    parser.add_argument("--subject", metavar="S", help="subjects containing S (any case)")
    parser.add_argument("--category", choices=CATEGORIES, metavar="C", help=", ".join(CATEGORIES))
    parser.add_argument("--claimant", metavar="X", help="claimants containing X (any case)")
    if source:
        parser.add_argument("--source", metavar="N", help="only this source (by name)")
    parser.add_argument(
        "--since", type=since_date, metavar="DATE", help="from DATE on (2025-01-14, UTC)"
    )


def filters_of(args: argparse.Namespace) -> Filters:
    from pipeline.tracker import Filters

    return Filters(
        subject=args.subject,
        category=args.category,
        claimant=args.claimant,
        source=args.source,
        since=args.since,
    )


def filter_rows(
    rows: Sequence[dict[str, Any]], filters: Filters, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """`history` rows (changes or current figures) that pass `filters`, the newest `limit`."""
    kept = [
        r
        for r in rows
        if filters.admits(
            source=r["source"],
            category=r["category"],
            subject=r["subject"],
            claimant=r["claimant"],
            key="",
        )
        and (
            filters.since is None
            or since_date(r.get("detected_at") or r["updated_at"]) >= filters.since
        )
    ]
    return kept[-limit:] if limit else kept


def since_date(text: str) -> datetime:
    """A DATE or ISO date-time option, as a UTC-aware datetime (a date is its midnight, UTC)."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r} (use e.g. 2025-01-14 or 2025-01-14T09:00)"
        ) from None
    if len(text) == 10:
        parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", help="database URL (default: the config's)")


def open_database(args: argparse.Namespace) -> tuple[Callable[[], Session], Config | None]:
    """A session factory on the database (migrated), and the config when there is one.

    With --database the config is optional (it only adds schedules); without, it is required.
    Raises ConfigError or storage.db.DatabaseError.
    """
    from pipeline.config import ConfigError, config_path, load_config
    from storage.db import make_engine, migrate, session_factory

    config: Config | None = None
    path = config_path(args.config, os.environ)
    if args.database is None or path.exists():
        try:
            config = load_config(path, env=os.environ, alerts=False)  # reads only
        except ConfigError:
            if args.database is None:
                raise
    url = args.database or (config.database if config else "")
    engine = make_engine(url, create=False)  # reading must not leave an empty database behind
    migrate(engine)
    return session_factory(engine), config


def configured_sources(config: Config | None) -> dict[str, Configured] | None:
    """The config's sources by name, or None without a config."""
    from pipeline.tracker import Configured

    if config is None:
        return None
    out = {}
    for source in config.sources:
        schedule = config.schedule_for(source)
        if schedule.cron or schedule.every is None:
            every = f"cron {schedule.cron}"
        else:
            every = f"every {duration(schedule.every)}"
        out[source.name] = Configured(str(source.url), every, source.enabled)
    return out


# --- sources -----------------------------------------------------------------------------------


def run_sources(args: argparse.Namespace) -> int:
    from pipeline.tracker import source_health

    factory, config = open_database(args)
    with factory() as session:
        health = source_health(session=session, configured=configured_sources(config))
    if args.format == "json":
        rows = [_jsonable({**asdict(h), "state": h.state}) for h in health]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(sources_table(health, now=datetime.now(UTC)))
    return 0


def sources_table(health: Sequence[SourceHealth], *, now: datetime) -> str:
    """Sources in trouble first, one line each, a second line with the last error of a failing
    one; fits 80 columns. When several instances share the checks (cluster mode), a last
    column names the one that checked each source last."""
    if not health:
        return "(no sources configured or checked yet)"
    names = "source state every checked outcome fail figs changed"
    head = tuple(names.split())
    shared = len({h.last_instance for h in health if h.last_instance}) > 1
    rows = [
        (
            h.name,
            h.state,
            (h.schedule or "-").removeprefix("every ").removeprefix("cron "),
            ago(h.last_check_at, now),
            _outcome(h),
            str(h.failures_in_a_row),
            str(h.figures_now),
            ago(h.last_change_at, now),
        )
        + ((h.last_instance or "-",) if shared else ())
        for h in health
    ]
    head += ("instance",) if shared else ()
    lines = fit(head, rows, flexible={0: 16, 2: 6, 4: 9, 8: 10})
    out = lines[:2]
    for h, line in zip(health, lines[2:], strict=True):
        out.append(line)
        if h.failures_in_a_row and h.last_error:
            note = f"  └ {h.last_error_kind or 'error'}: {' '.join(h.last_error.split())}"
            out.append(note if len(note) <= 80 else note[:79] + "…")
    return "\n".join(out)


def _outcome(h: SourceHealth) -> str:
    if h.last_outcome is None:
        return "-"
    text = h.last_outcome.replace("_", " ")
    return f"{text} {h.last_status}" if h.last_status and h.last_outcome == "error" else text


# --- figures -----------------------------------------------------------------------------------


def run_figures(args: argparse.Namespace) -> int:
    from pipeline.tracker import latest_figures

    factory, _ = open_database(args)
    with factory() as session:
        readings = latest_figures(session=session, filters=filters_of(args))
    if args.format == "json":
        print(json.dumps([reading_row(r) for r in readings], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(csv_text([reading_row(r) for r in readings]), end="")
    else:
        print(figures_table(readings))
    return 0


def reading_row(r: Reading) -> dict[str, Any]:
    row = {"identity": r.identity, **asdict(r)}
    del row["key"]
    return _jsonable(row)


def figures_table(readings: Sequence[Reading]) -> str:
    """Per category and subject, a title line, then each source's and claimant's latest value."""
    from pipeline.history import amount
    from pipeline.tracker import groups

    if not readings:
        return "(no figures match)"
    head = ("source", "claimant", "value", "before", "since")
    gathered = groups(readings)
    rows = [
        (
            r.source,
            r.claimant or "-",
            amount(r.value, r.value_max, r.qualifier),
            amount(r.previous_value, r.previous_value_max, r.previous_qualifier) or "-",
            when(r.updated_at)[:10],
        )
        for g in gathered
        for r in g.readings
    ]
    lines = fit(head, rows, flexible={0: 12, 1: 10}, indent="  ")
    out, at = lines[:2], 2
    for g in gathered:
        title = f"{g.category.replace('_', ' ')} · {g.subject or 'people (unnamed)'}"
        out.append(title if len(title) <= 80 else title[:79] + "…")
        out.extend(lines[at : at + len(g.readings)])
        at += len(g.readings)
    return "\n".join(out)


# --- report ------------------------------------------------------------------------------------


def run_report(args: argparse.Namespace) -> int:
    from pipeline.progress import progress
    from pipeline.report import gather, render_html

    factory, config = open_database(args)
    with factory() as session:
        data = gather(
            session=session,
            filters=filters_of(args),
            configured=configured_sources(config),
            now=datetime.now(UTC),
        )
    with progress(total=len(data.timelines), desc="report", unit="figure") as bar:
        html = render_html(data, on_chart=lambda: bar.update(1))
    path = Path(args.html)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as e:
        print(f"figwatch report: cannot write {path}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(
        f"{path}: {plural(len(data.timelines), 'figure timeline')}, "
        f"{plural(len(data.sources), 'source')}, {plural(len(data.changes), 'change')}",
        file=sys.stderr,
    )
    return 0


# --- shared output -----------------------------------------------------------------------------


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat().replace("+00:00", "Z") if isinstance(v, datetime) else v
        for k, v in row.items()
    }


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as CSV; a cell a spreadsheet would run as a formula ('=', '+', '-', '@') is quoted
    with a leading apostrophe."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
