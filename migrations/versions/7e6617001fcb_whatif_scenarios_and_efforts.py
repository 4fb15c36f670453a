"""What-if scenarios and advisor efforts.

Scenarios of an assessment with per-indicator value overrides; the effort per indicator and level.

Revision ID: 7e6617001fcb
Revises: 11bd1e5ff414
Create Date: 2026-11-30 04:54:43.408201
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "7e6617001fcb"
down_revision: str | Sequence[str] | None = "11bd1e5ff414"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "effort_settings",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", AutoString(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("effort", sa.Numeric(precision=8, scale=4), nullable=False),
        sa.CheckConstraint("effort >= 0", name=op.f("ck_effort_settings_effort")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_effort_settings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "indicator_id", "level", name=op.f("pk_effort_settings")),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_scenarios_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_scenarios_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("assessment_id", "name", name=op.f("uq_scenarios_assessment_id_name")),
    )
    op.create_table(
        "scenario_values",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", AutoString(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=8, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_values_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scenario_id", "indicator_id", name=op.f("pk_scenario_values")),
    )


def downgrade() -> None:
    op.drop_table("scenario_values")
    op.drop_table("scenarios")
    op.drop_table("effort_settings")
