"""Answer source value.

The other agency's index an external indicator is valued from (e.g. Indeks SDI 68.75 for pemdi-2026 I05),
kept beside the value converted from it.

Revision ID: 01709ebf4788
Revises: 74482327b0ef
Create Date: 2026-11-30 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "01709ebf4788"
down_revision: str | Sequence[str] | None = "74482327b0ef"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch_op:
        batch_op.add_column(sa.Column("source_value", sa.Numeric(precision=8, scale=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch_op:
        batch_op.drop_column("source_value")
