"""Official values and KPI targets.

KemenPANRB's final level (nilai akhir) beside the self-assessed one on every answer; the instansi's LKJIP
KPIs with their Renstra end target and their target per year.

Revision ID: 2cdafce91083
Revises: 7e6617001fcb
Create Date: 2026-11-30 05:13:20.536457
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "2cdafce91083"
down_revision: str | Sequence[str] | None = "7e6617001fcb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instansi_id", sa.Integer(), nullable=False),
        sa.Column("scope", AutoString(length=16), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("end_target", sa.Numeric(precision=8, scale=4), nullable=True),
        sa.CheckConstraint("end_target > 0", name=op.f("ck_kpis_end_target")),
        sa.ForeignKeyConstraint(
            ["instansi_id"], ["instansi.id"], name=op.f("fk_kpis_instansi_id_instansi"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpis")),
        sa.UniqueConstraint("instansi_id", "scope", name=op.f("uq_kpis_instansi_id_scope")),
    )
    op.create_table(
        "kpi_targets",
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Numeric(precision=8, scale=4), nullable=False),
        sa.CheckConstraint("target > 0", name=op.f("ck_kpi_targets_target")),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name=op.f("fk_kpi_targets_kpi_id_kpis"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("kpi_id", "year", name=op.f("pk_kpi_targets")),
    )
    with op.batch_alter_table("answers") as batch_op:
        batch_op.add_column(sa.Column("official_value", sa.Numeric(precision=8, scale=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch_op:
        batch_op.drop_column("official_value")
    op.drop_table("kpi_targets")
    op.drop_table("kpis")
