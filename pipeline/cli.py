"""The `figwatch` command line. Every failure a user can cause ends in one clear line and exit 2."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.config import Config, ConfigError, config_path, load_config
from storage.db import DatabaseError

log = logging.getLogger("figwatch")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.handler(args))
    except ConfigError as e:
        print(f"figwatch: {e}", file=sys.stderr)
        return 2
    except DatabaseError as e:
        print(f"figwatch: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `figwatch history | head`: the reader left; say nothing more on a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="figwatch",
        description="Watch news pages for casualty and capture figures; alert when they change.",
    )
    parser.add_argument(
        "--config", help="config file (default: $FIGWATCH_CONFIG, else ./figwatch.toml)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="the service: check every source on its schedule")
    run.add_argument(
        "--http",
        metavar="HOST:PORT",
        help="also serve the status page, /healthz and /metrics (e.g. 127.0.0.1:8080)",
    )
    run.set_defaults(handler=cmd_run)

    check = sub.add_parser("check", help="one pass over all (or one) sources now, then exit")
    check.add_argument("--source", help="only this source (by name)")
    check.set_defaults(handler=cmd_check)

    history = sub.add_parser("history", help="the recorded figures and their changes")
    history.add_argument("--format", choices=("table", "json", "csv"), default="table")
    history.add_argument("--source", help="only this source (by name)")
    history.add_argument("--current", action="store_true", help="current figures, not changes")
    history.add_argument("--limit", type=int, help="only the newest N changes")
    history.add_argument("--database", help="database URL (default: the config's)")
    history.set_defaults(handler=cmd_history)
    from pipeline.viewcommands import add_filters

    add_filters(history, source=False)

    demo = sub.add_parser("demo", help="the whole pipeline on a bundled local news site")
    demo.add_argument("--db", default="figwatch-demo.db", help="SQLite file (default: %(default)s)")
    demo.set_defaults(handler=cmd_demo)

    from pipeline.figures.commands import register

    register(sub)
    from pipeline import viewcommands

    viewcommands.register(sub)
    return parser


def _config(args: argparse.Namespace) -> Config:
    return load_config(config_path(args.config, os.environ), env=os.environ)


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.service import install_stop_signals, open_app, serve
    from pipeline.status import parse_listen, status_server

    config = _config(args)
    listen = args.http or config.http.listen
    if listen:
        try:
            parse_listen(listen)
        except ValueError as e:
            print(f"figwatch: --http: {e}", file=sys.stderr)
            return 2

    async def go() -> None:
        stop = asyncio.Event()
        install_stop_signals(stop)
        async with open_app(config) as app, status_server(app, listen):
            await serve(app, stop=stop)

    asyncio.run(go())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline.service import open_app

    config = _config(args)
    names = {s.name for s in config.sources}
    if args.source and args.source not in names:
        known = ", ".join(sorted(names)) or "none"
        print(f"figwatch: no source named {args.source!r} (configured: {known})", file=sys.stderr)
        return 2
    if args.source and not config.source(args.source).enabled:
        print(f"figwatch: source {args.source!r} is disabled (enabled = false)", file=sys.stderr)
        return 2

    async def go() -> int:
        async with open_app(config) as app:
            results = await app.runner.check_all(app.jobs(args.source))
            queued = [change for r in results for change in r.alerted]
            tallies = await app.deliver(queued, within=config.outbox.check_wait)
        failed = 0
        for r in results:
            if r.outcome == "error":
                failed += 1
                print(f"{r.source}: error ({r.error_kind}): {r.error}")
            elif r.outcome == "changed":
                note = (
                    " (baseline, no alerts)" if r.baseline else f", {_n(r.alerts, 'alert')} queued"
                )
                print(f"{r.source}: {_n(r.figures, 'figure')}, {_n(r.changes, 'change')}{note}")
            else:
                print(f"{r.source}: {r.outcome.replace('_', ' ')}")
        undelivered = 0
        for t in tallies:
            line = f"alerts to {t.channel}: {t.sent} delivered"
            if t.pending:
                retry = (
                    f"next try {t.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC"
                    if t.next_attempt_at
                    else ""
                )
                line += f", {t.pending} pending ({'; '.join(filter(None, [retry, t.last_error]))})"
            if t.dead:
                line += f", {t.dead} dead ({t.last_error})"
            undelivered += t.pending + t.dead
            print(line)
        return 1 if failed or undelivered else 0

    return asyncio.run(go())


def _n(count: int, noun: str) -> str:
    """ "1 change", "2 changes"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def cmd_history(args: argparse.Namespace) -> int:
    from pipeline.history import change_rows, current_rows, render
    from pipeline.viewcommands import filter_rows, filters_of
    from storage.db import make_engine, migrate, session_factory

    url = args.database or _config(args).database
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine)() as session:
        if args.current:
            rows = current_rows(session=session, source=args.source)
        else:
            rows = change_rows(session=session, source=args.source, limit=None)
    rows = filter_rows(rows, filters_of(args), limit=None if args.current else args.limit)
    print(render(rows, args.format, current=args.current))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pipeline.demo.run import run_demo

    return run_demo(Path(args.db))


if __name__ == "__main__":
    sys.exit(main())
