"""fetch_log (source_id, id): a source's newest fetches found without reading its history

A check looks up its source's newest good fetch and newest document (repository.check_state);
with this index both are a short walk back from the end of the source's entries, on SQLite and
PostgreSQL alike, however long fetch_log grows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_fetch_log_source_id_id", "fetch_log", ["source_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_fetch_log_source_id_id", table_name="fetch_log")
