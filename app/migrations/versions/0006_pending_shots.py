"""the 待分配 tray: photos that arrived with no student to bind them to

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_shot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=500), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_pending_shot_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_shot")),
    )
    with op.batch_alter_table("pending_shot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_shot_station_id"), ["station_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_shot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_shot_station_id"))
    op.drop_table("pending_shot")
