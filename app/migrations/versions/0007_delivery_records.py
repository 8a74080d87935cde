"""delivery records: each disc built, with its preset, output and exactly who is on it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("preset", sa.String(length=100), nullable=False),
        sa.Column("naming", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("student_ids", sa.JSON(), nullable=False),
        sa.Column("excluded_ids", sa.JSON(), nullable=False),
        sa.Column("data_stamp", sa.DateTime(), nullable=True),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_delivery_record_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_record")),
    )
    with op.batch_alter_table("delivery_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_record_station_id"), ["station_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_record_station_id"))
    op.drop_table("delivery_record")
