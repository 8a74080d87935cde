"""the enrolment photo's file name as a roster field (a 录取照片 column)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("enrolment_file", sa.String(length=255), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("enrolment_file")
