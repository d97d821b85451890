"""views for review: latest_figure, figure_timeline, change_log, source_health

Plain SQL that SQLite and PostgreSQL both read, so `sqlite3`, datasette or psql users get the
tracker without writing joins. `storage/views.py` describes their columns for the code.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each active figure a source states now, where it was read, and the value it had before.
LATEST_FIGURE = """
CREATE VIEW latest_figure AS
SELECT f.id, s.name AS source, COALESCE(g.final_url, s.url) AS url, f.key, f.category,
       f.subject, f.claimant, f.qualifier, f.value, f.value_max, f.sentence,
       f.updated_at,
       (SELECT MAX(x.started_at) FROM fetch_log AS x
        WHERE x.source_id = f.source_id AND x.outcome <> 'error') AS last_seen_at,
       p.old_value AS previous_value, p.old_value_max AS previous_value_max,
       p.old_qualifier AS previous_qualifier
FROM current_figure AS f
JOIN source AS s ON s.id = f.source_id
LEFT JOIN observation AS o ON o.id = f.observation_id
LEFT JOIN fetch_log AS g ON g.id = o.fetch_id
LEFT JOIN change AS p ON p.id = (
    SELECT MAX(c.id) FROM change AS c
    WHERE c.source_id = f.source_id AND c.key = f.key AND c.kind = 'changed')
WHERE f.active
"""

# Every reading of every figure: one row per page version that stated it.
FIGURE_TIMELINE = """
CREATE VIEW figure_timeline AS
SELECT o.id, s.name AS source, COALESCE(g.final_url, s.url) AS url, d.title, o.key,
       o.category, o.subject, o.claimant, o.qualifier, o.value, o.value_max, o.sentence,
       o.observed_at
FROM observation AS o
JOIN fetch_log AS g ON g.id = o.fetch_id
JOIN source AS s ON s.id = o.source_id
LEFT JOIN document AS d ON d.id = g.document_id
"""

# Every change with its evidence sentence and the page it was read on.
CHANGE_LOG = """
CREATE VIEW change_log AS
SELECT c.id, c.detected_at, s.name AS source, COALESCE(g.final_url, s.url) AS url, c.kind,
       c.baseline, c.key, c.category, c.subject, c.claimant,
       c.old_value, c.old_value_max, c.old_qualifier,
       c.new_value, c.new_value_max, c.new_qualifier,
       COALESCE(c.new_sentence, c.old_sentence) AS sentence
FROM change AS c
JOIN source AS s ON s.id = c.source_id
JOIN fetch_log AS g ON g.id = c.fetch_id
"""

# Each source's last check, its failures in a row, last error, last change and figure count.
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
        WHERE f.source_id = s.id AND f.active) AS figures_now
FROM source AS s
LEFT JOIN fetch_log AS l ON l.id = (SELECT MAX(x.id) FROM fetch_log AS x WHERE x.source_id = s.id)
LEFT JOIN fetch_log AS le ON le.id = (
    SELECT MAX(x.id) FROM fetch_log AS x WHERE x.source_id = s.id AND x.outcome = 'error')
"""

VIEWS = {
    "latest_figure": LATEST_FIGURE,
    "figure_timeline": FIGURE_TIMELINE,
    "change_log": CHANGE_LOG,
    "source_health": SOURCE_HEALTH,
}


def upgrade() -> None:
    for sql in VIEWS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
