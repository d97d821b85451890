"""delivery.claimed_by: who holds a delivery's lease, so a dead instance's sends are put back

A drain claims a delivery with a lease long enough to outlast any attempt (minutes). In cluster
mode the claiming instance's worker id is written beside it; when that instance's heartbeat
stops, the others put its "sending" rows back to pending at once (pipeline/cluster.py) instead
of waiting out the lease. A single instance leaves it empty and relies on the lease.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("delivery", sa.Column("claimed_by", sa.String(200), nullable=True))


def downgrade() -> None:
    op.drop_column("delivery", "claimed_by")
