"""photos and photo state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:20:18.168797
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("preset", sa.String(length=100), nullable=False),
        sa.Column("source_width", sa.Integer(), nullable=False),
        sa.Column("source_height", sa.Integer(), nullable=False),
        sa.Column("auto_left", sa.Float(), nullable=True),
        sa.Column("auto_top", sa.Float(), nullable=True),
        sa.Column("auto_width", sa.Float(), nullable=True),
        sa.Column("auto_height", sa.Float(), nullable=True),
        sa.Column("auto_rotation", sa.Float(), nullable=False),
        sa.Column("crop_left", sa.Float(), nullable=True),
        sa.Column("crop_top", sa.Float(), nullable=True),
        sa.Column("crop_width", sa.Float(), nullable=True),
        sa.Column("crop_height", sa.Float(), nullable=True),
        sa.Column("crop_rotation", sa.Float(), nullable=False),
        sa.Column("adjusted", sa.Boolean(), nullable=False),
        sa.Column("qc_status", sa.String(length=10), nullable=False),
        sa.Column("qc", sa.JSON(), nullable=True),
        sa.Column("faces", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("review", sa.String(length=20), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_photo_student_id_student"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_student_id"), ["student_id"], unique=False)

    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("photo_state", sa.String(length=20), server_default="none", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("photo_state")

    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_student_id"))
        batch_op.drop_index(batch_op.f("ix_photo_sha256"))

    op.drop_table("photo")
