"""`figwatch alerts test NAME`, `alerts log` and `alerts retry`: try a channel, see and requeue
deliveries. `pipeline/cli.py` calls `register(subparsers)`; each handler returns the exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from alerts.redact import mask_urls_in
from pipeline.tables import fit, when
from pipeline.words import plural

if TYPE_CHECKING:  # the alert and database modules are imported by the commands that use them
    from alerts.channels.base import DeliveryError
    from alerts.deliverylog import LogEntry
    from alerts.message import AlertMessage

STATUSES = ("pending", "sent", "dead", "held")  # what `alerts log --status` filters on


def register(subparsers: Any) -> None:
    """Add `alerts` with its `test`, `log` and `retry` subcommands."""
    alerts = subparsers.add_parser(
        "alerts", help="try an alert channel, list deliveries, requeue failed ones"
    )
    sub = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")

    test = sub.add_parser("test", help="send a sample alert through one channel now")
    test.add_argument("name", help="the channel's name in [[alerts]]")
    test.set_defaults(handler=run_test)

    log = sub.add_parser("log", help="deliveries: channel, change, attempts, last error, times")
    log.add_argument("--status", choices=STATUSES, help="only deliveries in this state")
    log.add_argument("--channel", help="only this channel")
    log.add_argument("--limit", type=int, help="only the newest N")
    log.add_argument("--format", choices=("table", "json"), default="table")
    log.add_argument("--database", help="database URL (default: the config's)")
    log.set_defaults(handler=run_log)

    retry = sub.add_parser("retry", help="requeue dead deliveries (all with --dead, or by ID)")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="delivery ids (see log)")
    retry.add_argument("--dead", action="store_true", help="every dead delivery")
    retry.add_argument("--database", help="database URL (default: the config's)")
    retry.set_defaults(handler=run_retry)


def sample_message(now: datetime) -> AlertMessage:
    """The alert `alerts test` sends: plainly a test, shaped like a real figure.changed."""
    from alerts.message import AlertMessage, FigureView

    sentence = "At least 12 civilians were killed, the governor said (a figwatch test alert)."
    figure = FigureView("killed", 12, None, "at_least", "civilians", "governor", sentence)
    previous = FigureView("killed", 10, None, "at_least", "civilians", "governor", sentence)
    return AlertMessage(
        id=f"fw_test_{int(now.timestamp())}",
        type="figure.changed",
        source="figwatch-test",
        url="https://example.org/figwatch-test",
        figure=figure,
        previous=previous,
        detected_at=now,
        change_id=0,
    )


def describe(error: DeliveryError) -> str:
    """One line saying what went wrong: DNS, refused, timeout, TLS, authentication, HTTP."""
    reason = error.reason
    low = reason.lower()
    if any(w in low for w in ("name or service not known", "nodename", "getaddrinfo", "dns")):
        what = "DNS: the host name does not resolve"
    elif "refused" in low:
        what = "connection refused"
    elif "timeout" in low or "timed out" in low or "no complete answer" in low:
        what = f"timeout ({reason})"
    elif any(w in low for w in ("ssl", "certificate", "tls")):
        what = f"TLS: {reason}"
    elif any(w in low for w in ("401", "403", "535", "auth")):
        what = f"authentication failed: {reason}"
    else:
        what = reason
    if error.detail and error.detail not in what:
        what += f": {error.detail}"
    return mask_urls_in(" ".join(what.split()))


def run_test(args: argparse.Namespace) -> int:
    from alerts.channels.base import ChannelConfigError, DeliveryError
    from pipeline.config import ConfigError, config_path, load_config
    from pipeline.config.channels import build as build_channel

    path = config_path(args.config, os.environ)
    config = load_config(path, env=os.environ, alerts=True)
    alert = next((a for a in config.alerts if a.name == args.name), None)
    if alert is None:
        known = ", ".join(a.name for a in config.alerts) or "none configured"
        raise ConfigError(path, [f"alerts: no channel named {args.name!r} (known: {known})"])
    try:
        channel = build_channel(alert)
    except ChannelConfigError as e:
        raise ConfigError(path, [f"alerts: channel {alert.name!r}: {e}"]) from None
    try:
        channel.deliver(sample_message(datetime.now(UTC)))
    except DeliveryError as e:
        print(f"{alert.name}: not delivered: {describe(e)}", file=sys.stderr)
        return 1
    finally:
        close = getattr(channel, "close", None)
        if close is not None:
            close()
    print(f"{alert.name}: sample alert accepted")
    return 0


def run_log(args: argparse.Namespace) -> int:
    from alerts.deliverylog import entries
    from pipeline.viewcommands import open_database

    factory, _config = open_database(args)
    with factory() as session:
        rows = entries(session=session, status=args.status, channel=args.channel, limit=args.limit)
    if args.format == "json":
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        print(log_table(rows))
    return 0


def log_table(rows: list[LogEntry]) -> str:
    """One line per delivery, a second line with the last error when there is one."""
    if not rows:
        return "(no deliveries)"
    head = ("id", "channel", "status", "alert", "source", "tries", "created", "next/sent")
    table = [
        (
            str(r.id), r.channel, r.status, r.type, r.source or "-", str(r.attempts),
            when(r.created_at), when(r.sent_at or r.next_attempt_at),
        )
        for r in rows
    ]  # fmt: skip
    lines = fit(head, table, flexible={1: 12, 3: 14, 4: 12})
    out = lines[:2]
    for row, line in zip(rows, lines[2:], strict=True):
        out.append(line)
        if row.last_error and row.status != "sent":
            out.append(f"    {row.last_error}")
    return "\n".join(out)


def run_retry(args: argparse.Namespace) -> int:
    from alerts.deliverylog import requeue
    from pipeline.viewcommands import open_database

    if not args.ids and not args.dead:
        print("figwatch: alerts retry: name delivery IDs or give --dead", file=sys.stderr)
        return 2
    factory, _config = open_database(args)
    with factory() as session, session.begin():
        count = requeue(session=session, ids=args.ids, dead=args.dead, now=datetime.now(UTC))
    print(f"requeued {plural(count, 'delivery', 'deliveries')}; the next drain sends them")
    return 0
