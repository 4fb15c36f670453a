"""Users system admin.

A system administrator adds instansi and manages the users of any instansi; instansi admins manage their
own instansi's members only.

Revision ID: c15ad0170001
Revises: 01709ebf4788
Create Date: 2026-12-07 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c15ad0170001"
down_revision: str | Sequence[str] | None = "c14b07170001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("is_system_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("is_system_admin")
