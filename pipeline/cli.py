"""The `figwatch` command line. Every failure a user can cause ends in one clear line and exit 2."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the commands that read a config: `extract` starts without them
    from pipeline.config import Config

log = logging.getLogger("figwatch")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic", "mail.log", "procrastinate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `figwatch history | head`: the reader left; say nothing more on a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:
        if _is_user_error(e):
            print(f"figwatch: {e}", file=sys.stderr)
            return 2
        raise


def _is_user_error(e: Exception) -> bool:
    """A bad config or an unusable database: one line, exit 2. Their modules are imported here,
    not at start-up (a command that raised one has imported them already)."""
    from pipeline.config import ConfigError
    from storage.db import DatabaseError

    return isinstance(e, ConfigError | DatabaseError)


def _global_options(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    """--config, -v, -q. On a subcommand they default to SUPPRESS, so one given before the
    subcommand is not overwritten by the subcommand's default (`figwatch --config f run` and
    `figwatch run --config f` both work)."""
    default: Any = argparse.SUPPRESS if sub else None
    parser.add_argument(
        "--config",
        default=default,
        help="config file (default: $FIGWATCH_CONFIG, else ./figwatch.toml)",
    )
    for flag, long, text in (
        ("-v", "--verbose", "debug logging"),
        ("-q", "--quiet", "warnings and errors only"),
    ):
        parser.add_argument(flag, long, action="store_true", default=default or False, help=text)


def _command(sub: Any, name: str, text: str) -> argparse.ArgumentParser:
    """A subcommand whose one line shows in `figwatch --help` and on top of its own --help."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=text, description=text[:1].upper() + text[1:] + "."
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="figwatch",
        description="Watch news pages for casualty and capture figures; alert when they change.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    _global_options(parser, sub=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = _command(sub, "run", "the service: check every source on its schedule")
    run.add_argument(
        "--http",
        metavar="HOST:PORT",
        help="also serve the status page, /healthz and /metrics (e.g. 127.0.0.1:8080)",
    )
    run.set_defaults(handler=cmd_run)

    check = _command(sub, "check", "one pass over all (or one) sources now, then exit")
    check.add_argument("--source", help="only this source (by name)")
    check.set_defaults(handler=cmd_check)

    history = _command(sub, "history", "the recorded figures and their changes")
    history.add_argument("--format", choices=("table", "json", "csv"), default="table")
    history.add_argument("--source", help="only this source (by name)")
    history.add_argument("--current", action="store_true", help="current figures, not changes")
    history.add_argument("--limit", type=int, help="only the newest N changes")
    history.add_argument("--database", help="database URL (default: the config's)")
    history.set_defaults(handler=cmd_history)
    from pipeline.viewcommands import add_filters

    add_filters(history, source=False)

    again = _command(sub, "reprocess", "read the stored article texts again with this extractor")
    again.add_argument("--source", help="only this source (by name)")
    again.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would change in the history; record nothing",
    )
    again.add_argument(
        "--alert", action="store_true", help="alert the changes too (default: record them silently)"
    )
    again.set_defaults(handler=cmd_reprocess)

    demo = _command(sub, "demo", "the whole pipeline on a bundled local news site")
    demo.add_argument(
        "--database",
        default="figwatch-demo.db",
        help="SQLite file, or sqlite:///FILE (default: %(default)s)",
    )
    demo.add_argument("--db", dest="database", help=argparse.SUPPRESS)  # the old name
    demo.set_defaults(handler=cmd_demo)

    from pipeline.figures.commands import register

    register(sub)
    from pipeline import viewcommands

    viewcommands.register(sub)
    from pipeline import alertcommands

    alertcommands.register(sub)
    _add_global_options_below(parser)
    return parser


def _add_global_options_below(parser: argparse.ArgumentParser) -> None:
    """Give every subcommand, at any depth (`alerts test NAME`), the global options, and its
    one-line help as the description on top of its own --help when it has none."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, command in action.choices.items():
                text = helps.get(name)
                if command.description is None and text:
                    command.description = text[:1].upper() + text[1:] + "."
                _global_options(command, sub=True)
                _add_global_options_below(command)


class _Version(argparse.Action):
    """--version, looked up when asked for (reading the package metadata slows every start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> None:
        from importlib import metadata

        try:
            version = metadata.version("figwatch")
        except metadata.PackageNotFoundError:  # a source tree that was never installed
            version = "(not installed)"
        print(f"{parser.prog} {version}")
        parser.exit()


def _config(args: argparse.Namespace, *, alerts: bool) -> Config:
    """The config for this command. `alerts`: the command sends alerts, so alert secrets
    (${VAR}s in [[alerts]]) must be set; other commands neither need nor read them."""
    from pipeline.config import config_path, load_config, readable_by_others

    path = config_path(args.config, os.environ)
    config = load_config(path, env=os.environ, alerts=alerts)
    if readable_by_others(path):
        log.warning("%s can be read by other users and may hold secrets: chmod 600 %s", path, path)
    return config


def _watched(config: Config, args: argparse.Namespace) -> Config:
    """`config`, if it watches something; raise ConfigError if no source is enabled."""
    from pipeline.config import ConfigError, config_path

    if not any(s.enabled for s in config.sources):
        what = "every source is disabled" if config.sources else "no sources are configured"
        raise ConfigError(
            config_path(args.config, os.environ),
            [f"sources: {what}: nothing to watch (add a [[sources]] entry with name and url)"],
        )
    return config


def cmd_run(args: argparse.Namespace) -> int:
    import asyncio

    from pipeline.service import install_stop_signals, open_app, serve
    from pipeline.status import parse_listen, status_server

    config = _watched(_config(args, alerts=True), args)
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
        async with open_app(config, parsing=True) as app, status_server(app, listen):
            # SIGHUP re-reads the same file; a broken new config is reported, the old one kept.
            await serve(app, stop=stop, reload=lambda: _watched(_config(args, alerts=True), args))

    asyncio.run(go())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import gc

    gc.disable()  # until the app is open: see _settle
    try:
        return _check(args)
    finally:
        gc.enable()  # also when the pass failed before it started


def _check(args: argparse.Namespace) -> int:
    import asyncio

    from pipeline.service import open_app
    from pipeline.words import plural

    config = _watched(_config(args, alerts=True), args)
    names = {s.name for s in config.sources}
    if args.source and args.source not in names:
        known = ", ".join(sorted(names)) or "none"
        print(f"figwatch: no source named {args.source!r} (configured: {known})", file=sys.stderr)
        return 2
    if args.source and not config.source(args.source).enabled:
        print(f"figwatch: source {args.source!r} is disabled (enabled = false)", file=sys.stderr)
        return 2

    async def go() -> int:
        from pipeline.progress import progress

        async with open_app(config, parsing=True) as app:
            _settle()
            jobs = app.jobs(args.source)
            with progress(total=len(jobs), desc="check", unit="source") as bar:
                results = await app.runner.check_all(jobs, on_result=lambda _: bar.update())
            queued = [change for r in results for change in r.alerted]
            tallies = await app.deliver(queued, within=config.outbox.check_wait)
            await app.prune()
        failed = 0
        for r in results:
            if r.outcome == "error":
                failed += 1
                print(f"{r.source}: error ({r.error_kind}): {r.error}")
            elif r.outcome == "changed":
                note = (
                    " (baseline, no alerts)"
                    if r.baseline
                    else f", {plural(r.alerts, 'alert')} queued"
                )
                counts = f"{plural(r.figures, 'figure')}, {plural(r.changes, 'change')}"
                print(f"{r.source}: {counts}{note}")
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
            if t.held:
                line += f", {t.held} held for its digest"
            undelivered += t.pending + t.dead
            print(line)
        return 1 if failed or undelivered else 0

    return asyncio.run(go())


def _settle() -> None:
    """Before a one-shot pass: what start-up made (modules, classes, the config, the app) lives
    to the end, so it is moved out of the garbage collector's sight (gc.freeze) and the
    collector, off while the imports ran, is turned on again. The pass's collections then scan
    what the pass makes, not the ~90,000 objects of the imports again (the three full
    collections of start-up, pass and exit were about a twentieth of an unchanged pass over
    1,000 pages)."""
    import gc

    gc.freeze()
    gc.enable()


def cmd_history(args: argparse.Namespace) -> int:
    from pipeline.history import change_rows, current_rows, render, source_names
    from pipeline.viewcommands import filter_rows, filters_of
    from storage.db import make_engine, migrate, session_factory

    url = args.database or _config(args, alerts=False).database
    engine = make_engine(url, create=False)  # reading must not leave an empty database behind
    migrate(engine)
    with session_factory(engine)() as session:
        if args.source:
            known = source_names(session=session)
            if args.source not in known:
                listed = ", ".join(known) or "none yet"
                print(
                    f"figwatch: no source named {args.source!r} in the database "
                    f"(recorded: {listed})",
                    file=sys.stderr,
                )
                return 2
        if args.current:
            rows = current_rows(session=session, source=args.source)
        else:
            rows = change_rows(session=session, source=args.source, limit=None)
    rows = filter_rows(rows, filters_of(args), limit=None if args.current else args.limit)
    print(render(rows, args.format, current=args.current))
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    import asyncio

    from pipeline.progress import progress
    from pipeline.reprocess import describe, reprocess
    from pipeline.service import open_app
    from pipeline.words import plural

    config = _config(args, alerts=args.alert)  # secrets only when it is to alert
    if args.source and args.source not in {s.name for s in config.sources}:
        known = ", ".join(sorted(s.name for s in config.sources)) or "none"
        print(f"figwatch: no source named {args.source!r} (configured: {known})", file=sys.stderr)
        return 2

    async def go() -> int:
        async with open_app(config) as app:
            jobs = app.jobs(args.source)
            results = []
            with progress(total=len(jobs), desc="reprocess", unit="source") as bar:
                for job in jobs:
                    results.append(await asyncio.to_thread(
                        reprocess, app.session_factory, job, aliases=config.subjects.aliases,
                        now=app.clock(), dry_run=args.dry_run, alert=args.alert,
                    ))  # fmt: skip
                    bar.update(1)
            queued = [change for r in results for change in r.alerted]
            tallies = await app.deliver(queued, within=config.outbox.check_wait) if queued else []
        for r in results:
            if r.missing:
                print(f"{r.source}: no stored text (never read)")
                continue
            done = " (dry run: nothing recorded)" if args.dry_run else ""
            done = done or (" (recorded, not alerted)" if r.changes and not args.alert else "")
            changes = plural(len(r.changes), "change")
            print(f"{r.source}: {plural(r.figures, 'figure')}, {changes}{done}")
            for change in r.changes:
                print(f"  {describe(change)}")
        undelivered = sum(t.pending + t.dead for t in tallies)
        for t in tallies:
            print(f"alerts to {t.channel}: {t.sent} delivered, {t.pending} pending, {t.dead} dead")
        return 1 if undelivered else 0

    return asyncio.run(go())


def cmd_demo(args: argparse.Namespace) -> int:
    from pipeline.demo.run import run_demo

    # --database is a file here (the demo runs on SQLite); a sqlite:/// URL, as `history` takes,
    # names the same file.
    file = str(args.database).removeprefix("sqlite:///")
    if "://" in file:
        print("figwatch: demo --database takes a SQLite file (or sqlite:///FILE)", file=sys.stderr)
        return 2
    return run_demo(Path(file))


if __name__ == "__main__":
    sys.exit(main())
