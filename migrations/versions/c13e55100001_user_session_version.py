"""User session version.

A signed-in session carries the user's session version; raising it (sign-out, password change, role change,
deactivation) ends every session of that user at once, checked on each request.

Revision ID: c13e55100001
Revises: 01709ebf4788
Create Date: 2026-12-07 17:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c13e55100001"
down_revision: str | Sequence[str] | None = "01709ebf4788"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_version")
