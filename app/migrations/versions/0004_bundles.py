"""station bundles: store id, exchanged bundles, three-way merge bases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_info",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_info")),
    )
    op.create_table(
        "bundle_exchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("peer_store", sa.String(length=36), nullable=False),
        sa.Column("station_name", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_exchange")),
    )
    with op.batch_alter_table("bundle_exchange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bundle_exchange_bundle_id"), ["bundle_id"], unique=False)

    op.create_table(
        "exchange_base",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_store", sa.String(length=36), nullable=False),
        sa.Column("student_no", sa.String(length=40), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_base")),
        sa.UniqueConstraint("peer_store", "student_no", name="uq_exchange_base_peer_student"),
    )


def downgrade() -> None:
    op.drop_table("exchange_base")
    with op.batch_alter_table("bundle_exchange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bundle_exchange_bundle_id"))
    op.drop_table("bundle_exchange")
    op.drop_table("store_info")
