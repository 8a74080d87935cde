"""proofing

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:28:52.253582
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proof_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("cohort_year", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_proof_batch_station_id_station"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proof_batch")),
        sa.UniqueConstraint("station_id", "cohort_year", name="uq_proof_batch_station_cohort"),
    )
    with op.batch_alter_table("proof_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proof_batch_station_id"), ["station_id"], unique=False)

    op.create_table(
        "proof_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_proof_record_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proof_record")),
    )
    with op.batch_alter_table("proof_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proof_record_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_proof_record_student_id"), ["student_id"], unique=False)

    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proof_state", sa.String(length=30), server_default="unchecked", nullable=False)
        )
        batch_op.add_column(sa.Column("proof_errors", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("proof_note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("proof_updated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("proof_updated_at")
        batch_op.drop_column("proof_note")
        batch_op.drop_column("proof_errors")
        batch_op.drop_column("proof_state")

    with op.batch_alter_table("proof_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proof_record_student_id"))
        batch_op.drop_index(batch_op.f("ix_proof_record_at"))

    op.drop_table("proof_record")
    with op.batch_alter_table("proof_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proof_batch_station_id"))

    op.drop_table("proof_batch")
