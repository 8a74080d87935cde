"""identity pre-check: enrolment photos with their face descriptors, 考生号, the verdict on each photo,
and a per-station switch

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrolment_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("descriptor", sa.LargeBinary(), nullable=True),
        sa.Column("descriptor_model", sa.String(length=40), nullable=False),
        sa.Column("descriptor_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_enrolment_photo_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment_photo")),
    )
    with op.batch_alter_table("enrolment_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_photo_student_id"), ["student_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_enrolment_photo_sha256"), ["sha256"], unique=False)
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exam_no", sa.String(length=40), server_default="", nullable=False))
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("identity_check", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("identity_verdict", sa.String(length=10), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("identity_distance", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("identity_note", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_column("identity_note")
        batch_op.drop_column("identity_distance")
        batch_op.drop_column("identity_verdict")
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_column("identity_check")
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("exam_no")
    with op.batch_alter_table("enrolment_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_photo_sha256"))
        batch_op.drop_index(batch_op.f("ix_enrolment_photo_student_id"))
    op.drop_table("enrolment_photo")
