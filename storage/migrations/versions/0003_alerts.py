"""alerts a desk can tune: digests, confirmation state, deliveries of digests

- `digest`: one row per (channel, period_end): the exactly-once key of a digest;
- `alert_state`: per (source, figure key, channel) confirmation state;
- `delivery.change_id` becomes nullable and `delivery.digest_id` is added: a digest's own
  outbox row has no change, and the held alerts of a digest channel point at their digest.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("period_end", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "period_end"),
    )
    op.create_table(
        "alert_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("alerted", sa.Text(), nullable=False),
        sa.Column("pending", sa.Text(), nullable=True),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "key", "channel"),
    )
    with op.batch_alter_table("alert_state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_state_source_id"), ["source_id"], unique=False)
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.alter_column("change_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_delivery_digest_id", "digest", ["digest_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_delivery_digest_id"), ["digest_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM delivery WHERE change_id IS NULL")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_digest_id"))
        batch_op.drop_constraint("fk_delivery_digest_id", type_="foreignkey")
        batch_op.drop_column("digest_id")
        batch_op.alter_column("change_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("alert_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_state_source_id"))
    op.drop_table("alert_state")
    op.drop_table("digest")
