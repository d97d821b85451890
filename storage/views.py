"""The review views made by migration 0002, described for queries (they are not tables to write).

`latest_figure`, `figure_timeline`, `change_log` and `source_health` read the same on SQLite and
PostgreSQL; the datetime columns go through `UTCDateTime`, so they come back UTC-aware on both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, ColumnClause, Integer, Text, column, table

from storage.models import UTCDateTime


def _figure_columns() -> list[ColumnClause[Any]]:
    return [
        column("key", Text),
        column("category", Text),
        column("subject", Text),
        column("claimant", Text),
        column("qualifier", Text),
        column("value", BigInteger),
        column("value_max", BigInteger),
        column("sentence", Text),
    ]


latest_figure = table(
    "latest_figure",
    column("id", Integer),
    column("source", Text),
    column("url", Text),
    *_figure_columns(),
    column("updated_at", UTCDateTime()),
    column("last_seen_at", UTCDateTime()),
    column("previous_value", BigInteger),
    column("previous_value_max", BigInteger),
    column("previous_qualifier", Text),
)

figure_timeline = table(
    "figure_timeline",
    column("id", Integer),
    column("source", Text),
    column("url", Text),
    column("title", Text),
    *_figure_columns(),
    column("observed_at", UTCDateTime()),
)

change_log = table(
    "change_log",
    column("id", Integer),
    column("detected_at", UTCDateTime()),
    column("source", Text),
    column("url", Text),
    column("kind", Text),
    column("baseline", Boolean),
    column("key", Text),
    column("category", Text),
    column("subject", Text),
    column("claimant", Text),
    column("old_value", BigInteger),
    column("old_value_max", BigInteger),
    column("old_qualifier", Text),
    column("new_value", BigInteger),
    column("new_value_max", BigInteger),
    column("new_qualifier", Text),
    column("sentence", Text),
)

source_health = table(
    "source_health",
    column("id", Integer),
    column("source", Text),
    column("url", Text),
    column("last_check_at", UTCDateTime()),
    column("last_outcome", Text),
    column("last_status", Integer),
    column("last_duration_ms", Integer),
    column("failures_in_a_row", Integer),
    column("last_error_at", UTCDateTime()),
    column("last_error_kind", Text),
    column("last_error", Text),
    column("last_change_at", UTCDateTime()),
    column("figures_now", Integer),
    column("last_instance", Text),  # migration 0005
)
