"""current_figure.announced: a figure recorded without an alert leaves without one

When a page's headline is updated before its body ("kills 35" above "31 people died"), the 31
the body still states is kept as a current figure without an alert: it restates a value already
announced. When the body catches up, that figure is no longer stated; it must not be alerted as
removed, since nobody was told about it (pipeline.diff). Rows written before this migration
were all announced.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "current_figure",
        sa.Column("announced", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("current_figure", "announced")
