"""photo states: 仍接受 (override) with its reason, QC engine version, QC per preset

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Photos accepted before this version despite a failed check were confirmed by the operator without a
# reason from the list; they become 仍接受 with this reason, so the pre-flight lists them as warnings.
LEGACY_REASON = "升级前已由操作员确认仍接受（未记录理由）"


def upgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("qc_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("qc_rules", sa.String(length=64), server_default="", nullable=False))
    op.create_table(
        "photo_qc",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("preset", sa.String(length=100), nullable=False),
        sa.Column("qc_version", sa.Integer(), nullable=False),
        sa.Column("qc_rules", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=True),
        sa.Column("rect", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_id"], ["photo.id"], name=op.f("fk_photo_qc_photo_id_photo"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_qc")),
        sa.UniqueConstraint("photo_id", "preset", name="uq_photo_qc_photo_preset"),
    )
    with op.batch_alter_table("photo_qc", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_qc_photo_id"), ["photo_id"], unique=False)
    photo = sa.table(
        "photo",
        sa.column("student_id", sa.Integer),
        sa.column("is_current", sa.Boolean),
        sa.column("qc_status", sa.String),
        sa.column("review", sa.String),
        sa.column("override_reason", sa.Text),
    )
    student = sa.table("student", sa.column("id", sa.Integer), sa.column("photo_state", sa.String))
    overridden = sa.select(photo.c.student_id).where(
        photo.c.is_current.is_(True), photo.c.qc_status == "fail", photo.c.review == "accepted"
    )
    op.execute(
        photo.update()
        .where(photo.c.is_current.is_(True), photo.c.qc_status == "fail", photo.c.review == "accepted")
        .values(override_reason=LEGACY_REASON)
    )
    op.execute(
        student.update()
        .where(student.c.photo_state == "accepted", student.c.id.in_(overridden))
        .values(photo_state="override")
    )


def downgrade() -> None:
    student = sa.table("student", sa.column("photo_state", sa.String))
    op.execute(student.update().where(student.c.photo_state == "override").values(photo_state="accepted"))
    with op.batch_alter_table("photo_qc", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_qc_photo_id"))
    op.drop_table("photo_qc")
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_column("qc_rules")
        batch_op.drop_column("qc_version")
        batch_op.drop_column("override_reason")
