"""Scenario butir.

The butir a what-if scenario takes as diterima (anggap diterima): the scenario's simulated levels follow
them; the assessment's butir states never change.

Revision ID: c16ab0140001
Revises: c15ad0170001
Create Date: 2026-12-07 23:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "c16ab0140001"
down_revision: str | Sequence[str] | None = "c15ad0170001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenario_butir",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_butir_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scenario_id", "code", name=op.f("pk_scenario_butir")),
    )


def downgrade() -> None:
    op.drop_table("scenario_butir")
