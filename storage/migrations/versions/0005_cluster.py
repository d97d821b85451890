"""cluster mode: a fencing token per source, the instance of each fetch, procrastinate's schema

Several `figwatch run` on one PostgreSQL database share the checks through procrastinate
(pipeline/cluster.py). `source.fence` is raised by every check that starts, and a check records
its result only while its token is still the newest, so an instance that was paused and resumed
cannot overwrite a newer result. `fetch_log.instance` names the instance that made each fetch;
`source_health` shows the last one. On PostgreSQL, procrastinate's own tables and functions are
created here, under the advisory lock that serialises migrations (migrations/env.py), unless
they are already there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0002's source_health with one more column: the instance of the newest fetch.
SOURCE_HEALTH = """
CREATE VIEW source_health AS
SELECT s.id, s.name AS source, s.url,
       l.started_at AS last_check_at, l.outcome AS last_outcome, l.status_code AS last_status,
       l.duration_ms AS last_duration_ms,
       (SELECT COUNT(*) FROM fetch_log AS e
        WHERE e.source_id = s.id AND e.outcome = 'error'
          AND e.id > COALESCE((SELECT MAX(k.id) FROM fetch_log AS k
                               WHERE k.source_id = s.id AND k.outcome <> 'error'), 0)
       ) AS failures_in_a_row,
       le.started_at AS last_error_at, le.error_kind AS last_error_kind, le.error AS last_error,
       (SELECT MAX(c.detected_at) FROM change AS c WHERE c.source_id = s.id) AS last_change_at,
       (SELECT COUNT(*) FROM current_figure AS f
        WHERE f.source_id = s.id AND f.active) AS figures_now{extra}
FROM source AS s
LEFT JOIN fetch_log AS l ON l.id = (SELECT MAX(x.id) FROM fetch_log AS x WHERE x.source_id = s.id)
LEFT JOIN fetch_log AS le ON le.id = (
    SELECT MAX(x.id) FROM fetch_log AS x WHERE x.source_id = s.id AND x.outcome = 'error')
"""


def upgrade() -> None:
    op.add_column("source", sa.Column("fence", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("fetch_log", sa.Column("instance", sa.String(200), nullable=True))
    op.execute("DROP VIEW source_health")
    op.execute(SOURCE_HEALTH.format(extra=",\n       l.instance AS last_instance"))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and not _has_procrastinate(bind):
        from procrastinate.schema import SchemaManager

        # The driver's own execute: the schema is many statements, with `%` and `:` in them.
        bind.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not a batch copy: SQLite refuses to rename a copy of a
    # table other views read. procrastinate's tables stay: other apps may use them.
    op.execute("DROP VIEW source_health")
    op.drop_column("fetch_log", "instance")
    op.drop_column("source", "fence")
    op.execute(SOURCE_HEALTH.format(extra=""))


def _has_procrastinate(bind: sa.Connection) -> bool:
    """Whether procrastinate's schema is already in this database (another app put it there)."""
    return bind.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None
