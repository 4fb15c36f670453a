"""Butir states and their evidence.

Per assessment, the status of each butir (evidence item of the Indeks Pemdi) with the asesor's reason and
note, who changed it and when, a due date; and which evidence items serve which butir.

Revision ID: c14b07170001
Revises: 01709ebf4788
Create Date: 2026-12-07 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "c14b07170001"
down_revision: str | Sequence[str] | None = "c13e55100001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "butir_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", AutoString(length=16), nullable=False),
        sa.Column("code", AutoString(length=16), nullable=False),
        sa.Column("status", AutoString(length=20), nullable=False),
        sa.Column("reason", AutoString(length=20), nullable=False),
        sa.Column("asesor_note", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('belum', 'disiapkan', 'diunggah', 'diterima', 'revisi', 'otomatis_ditolak')",
            name=op.f("ck_butir_states_status"),
        ),
        sa.CheckConstraint(
            "reason IN ('', 'tidak_tepat', 'belum_diunggah')", name=op.f("ck_butir_states_reason")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_butir_states_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_butir_states_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_butir_states")),
        sa.UniqueConstraint("assessment_id", "code", name=op.f("uq_butir_states_assessment_id_code")),
    )
    op.create_index(
        "ix_butir_states_assessment_id_indicator_id", "butir_states", ["assessment_id", "indicator_id"]
    )
    op.create_table(
        "butir_evidence",
        sa.Column("butir_state_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["butir_state_id"],
            ["butir_states.id"],
            name=op.f("fk_butir_evidence_butir_state_id_butir_states"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_butir_evidence_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("butir_state_id", "evidence_id", name=op.f("pk_butir_evidence")),
    )
    op.create_index("ix_butir_evidence_evidence_id", "butir_evidence", ["evidence_id"])


def downgrade() -> None:
    op.drop_index("ix_butir_evidence_evidence_id", table_name="butir_evidence")
    op.drop_table("butir_evidence")
    op.drop_index("ix_butir_states_assessment_id_indicator_id", table_name="butir_states")
    op.drop_table("butir_states")
