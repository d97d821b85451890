"""`figwatch history`: the recorded changes (or current figures) as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from alerts.redact import mask_url
from pipeline.tables import WIDTH, clip, fit
from storage import repository as repo
from storage.models import Source

# OWASP "CSV injection": a cell a spreadsheet would read as a formula gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "up_to": "up to ",
    "less_than": "fewer than ",
}


def amount(value: int | None, value_max: int | None, qualifier: str | None) -> str:
    """'at least 1,000', '30–40', or '' for no value."""
    if value is None:
        return ""
    number = f"{value:,}" if value_max is None else f"{value:,}–{value_max:,}"
    return QUALIFIER_WORDS.get(qualifier or "exact", "") + number


CHANGE_COLUMNS = (
    "detected_at", "source", "url", "kind", "baseline", "category", "subject", "claimant",
    "old_value", "old_value_max", "old_qualifier", "new_value", "new_value_max", "new_qualifier",
    "sentence",
)  # fmt: skip
CURRENT_COLUMNS = (
    "source", "category", "value", "value_max", "qualifier", "subject", "claimant", "updated_at",
    "sentence",
)  # fmt: skip


def change_rows(*, session: Session, source: str | None, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    for change, src in repo.changes(session=session, source=source, limit=limit):
        rows.append(
            {
                "detected_at": change.detected_at.isoformat().replace("+00:00", "Z"),
                "source": src.name,
                "url": mask_url(src.url),  # shown, so no token or password
                "kind": change.kind,
                "baseline": change.baseline,
                "category": change.category,
                "subject": change.subject,
                "claimant": change.claimant,
                "old_value": change.old_value,
                "old_value_max": change.old_value_max,
                "old_qualifier": change.old_qualifier,
                "new_value": change.new_value,
                "new_value_max": change.new_value_max,
                "new_qualifier": change.new_qualifier,
                "sentence": change.new_sentence or change.old_sentence,
            }
        )
    return rows


def source_names(*, session: Session) -> list[str]:
    """The names of every source the database has recorded, sorted."""
    return sorted(session.exec(select(Source.name)).all())


def current_rows(*, session: Session, source: str | None) -> list[dict[str, Any]]:
    return [
        {
            "source": src.name,
            "category": fig.category,
            "value": fig.value,
            "value_max": fig.value_max,
            "qualifier": fig.qualifier,
            "subject": fig.subject,
            "claimant": fig.claimant,
            "updated_at": fig.updated_at.isoformat().replace("+00:00", "Z"),
            "sentence": fig.sentence,
        }
        for fig, src in repo.active_figures(session=session, source=source)
    ]


def render(rows: Sequence[dict[str, Any]], fmt: str, *, current: bool) -> str:
    """Rows as 'table', 'json' or 'csv' text."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        # The header even when nothing matched: a spreadsheet or script still knows the columns.
        columns = list(rows[0]) if rows else list(CURRENT_COLUMNS if current else CHANGE_COLUMNS)
        # CRLF, as RFC 4180 says; it also makes the csv module quote a cell holding a lone
        # CR, which with "\n" line ends it writes bare, splitting the row in a spreadsheet.
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
        return out.getvalue().removesuffix("\r\n")
    return _table(rows, current=current)


def csv_cell(value: Any) -> Any:
    """`value` safe for a spreadsheet: a string starting with =, +, -, @, tab or CR gets a
    leading `'`, as OWASP recommends, so it is shown as text and never run as a formula.
    Numbers stay numbers (a negative number is no formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _table(rows: Sequence[dict[str, Any]], *, current: bool) -> str:
    """An 80-column table: dates and values whole, the source and the figure clipped to fit."""
    if not rows:
        return "(no figures recorded yet)" if current else "(no changes recorded yet)"
    head: tuple[str, ...]
    body: list[tuple[str, ...]]
    if current:
        head = ("source", "figure", "value", "updated")
        body = [
            (r["source"], _figure(r), amount(r["value"], r["value_max"], r["qualifier"]),
             r["updated_at"][:16].replace("T", " "))
            for r in rows
        ]  # fmt: skip
    else:
        head = ("detected", "source", "kind", "old", "new")
        body = [
            (
                r["detected_at"][:16].replace("T", " "),
                r["source"],
                r["kind"] + (" (baseline)" if r["baseline"] else ""),
                amount(r["old_value"], r["old_value_max"], r["old_qualifier"]),
                amount(r["new_value"], r["new_value_max"], r["new_qualifier"]),
            )
            for r in rows
        ]
        # Each change on two lines: when, where, what kind, old and new; then the figure.
        lines = fit(head, body, flexible={1: 12})
        out = lines[:2]
        for row, line in zip(rows, lines[2:], strict=True):
            out += [line, clip("  " + _figure(row), WIDTH)]
        return "\n".join(out)
    return "\n".join(fit(head, body, flexible={0: 12, 1: 16}))


def _figure(row: dict[str, Any]) -> str:
    """'killed: North Korean soldiers (Zelensky)'."""
    who = f" ({row['claimant']})" if row["claimant"] else ""
    return f"{row['category'].replace('_', ' ')}: {row['subject'] or 'people'}{who}"
