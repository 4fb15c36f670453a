"""Initial schema.

Instansi, users and memberships; assessments with answers, evidence files and comments.

Revision ID: 11bd1e5ff414
Revises:
Create Date: 2026-11-30 04:11:46.226217
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "11bd1e5ff414"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "instansi",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", AutoString(length=100), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("kind", AutoString(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('kementerian', 'lpnk', 'lembaga_lainnya', 'provinsi', 'kabupaten', 'kota')",
            name=op.f("ck_instansi_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instansi")),
        sa.UniqueConstraint("code", name=op.f("uq_instansi_code")),
    )
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", AutoString(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", AutoString(length=255), nullable=False),
        sa.Column("storage_name", AutoString(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_stored_files_sha256")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", AutoString(length=100), nullable=False),
        sa.Column("full_name", AutoString(length=200), nullable=False),
        sa.Column("password_hash", AutoString(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instansi_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rubric_id", AutoString(length=64), nullable=False),
        sa.Column("rubric_version", AutoString(length=32), nullable=False),
        sa.Column("status", AutoString(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f("ck_assessments_status")),
        sa.ForeignKeyConstraint(
            ["instansi_id"], ["instansi.id"], name=op.f("fk_assessments_instansi_id_instansi")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("instansi_id", "year", name=op.f("uq_assessments_instansi_id_year")),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("instansi_id", sa.Integer(), nullable=False),
        sa.Column("role", AutoString(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'koordinator', 'kontributor', 'peninjau')", name=op.f("ck_memberships_role")
        ),
        sa.ForeignKeyConstraint(
            ["instansi_id"],
            ["instansi.id"],
            name=op.f("fk_memberships_instansi_id_instansi"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("user_id", "instansi_id", name=op.f("uq_memberships_user_id_instansi_id")),
    )
    op.create_index(op.f("ix_memberships_instansi_id"), "memberships", ["instansi_id"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", AutoString(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=8, scale=4), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Numeric(precision=8, scale=4), nullable=True),
        sa.Column("responsible_unit", AutoString(length=255), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("carried_over", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_answers_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_answers_assignee_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_answers_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "assessment_id", "indicator_id", name=op.f("uq_answers_assessment_id_indicator_id")
        ),
    )
    op.create_index(op.f("ix_answers_assignee_id"), "answers", ["assignee_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", AutoString(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_comments_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_comments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(
        op.f("ix_comments_assessment_id_indicator_id"), "comments", ["assessment_id", "indicator_id"]
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", AutoString(length=16), nullable=False),
        sa.Column("kind", AutoString(length=10), nullable=False),
        sa.Column("title", AutoString(length=500), nullable=False),
        sa.Column("doc_number", AutoString(length=200), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("original_filename", AutoString(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("levels", AutoString(length=50), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("carried_over", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('file', 'url')", name=op.f("ck_evidence_kind")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_evidence_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_evidence_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_evidence_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index(
        op.f("ix_evidence_assessment_id_indicator_id"), "evidence", ["assessment_id", "indicator_id"]
    )
    op.create_index(op.f("ix_evidence_file_id"), "evidence", ["file_id"])


def downgrade() -> None:
    op.drop_table("evidence")
    op.drop_table("comments")
    op.drop_table("answers")
    op.drop_table("memberships")
    op.drop_table("assessments")
    op.drop_table("users")
    op.drop_table("stored_files")
    op.drop_table("instansi")
