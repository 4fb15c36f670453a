"""Login failures.

Sign-ins per username and client address, pending while their password is checked and failed once it proved
wrong, counted by every worker alike to throttle password guessing.

Revision ID: 74482327b0ef
Revises: cab8c9a144ed
Create Date: 2026-11-30 05:51:09.116086
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "74482327b0ef"
down_revision: str | Sequence[str] | None = "cab8c9a144ed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", AutoString(length=100), nullable=False),
        sa.Column("client", AutoString(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", AutoString(length=10), nullable=False),
        sa.CheckConstraint("state IN ('pending', 'failed')", name=op.f("ck_login_failures_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"], unique=False)
    op.create_index("ix_login_failures_client_at", "login_failures", ["client", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_failures_client_at", table_name="login_failures")
    op.drop_index("ix_login_failures_username_at", table_name="login_failures")
    op.drop_table("login_failures")
