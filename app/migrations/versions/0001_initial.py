"""initial schema: station, student, audit_event

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:09:38.408643
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("school_code", sa.String(length=10), nullable=False),
        sa.Column("default_school_type", sa.String(length=50), nullable=False),
        sa.Column("dept_codes", sa.JSON(), nullable=False),
        sa.Column("fee_per_student", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("payee_name", sa.String(length=200), nullable=False),
        sa.Column("payee_address", sa.String(length=300), nullable=False),
        sa.Column("payee_postcode", sa.String(length=20), nullable=False),
        sa.Column("payee_contact", sa.String(length=100), nullable=False),
        sa.Column("payee_phone", sa.String(length=50), nullable=False),
        sa.Column("default_preset", sa.String(length=100), nullable=False),
        sa.Column("capture_deadline", sa.Date(), nullable=True),
        sa.Column("delivery_deadline", sa.Date(), nullable=True),
        sa.Column("proofing_deadline", sa.Date(), nullable=True),
        sa.Column("next_shot_no", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
        sa.UniqueConstraint("name", name=op.f("uq_station_name")),
    )
    op.create_table(
        "student",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("shot_no", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("student_no", sa.String(length=40), nullable=False),
        sa.Column("sex", sa.String(length=4), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("major", sa.String(length=100), nullable=False),
        sa.Column("edu_category", sa.String(length=40), nullable=False),
        sa.Column("school_type", sa.String(length=40), nullable=False),
        sa.Column("dept_code", sa.String(length=10), nullable=False),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("school_code", sa.String(length=10), nullable=False),
        sa.Column("ethnicity", sa.String(length=40), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("branch", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("class_name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("duration", sa.String(length=20), nullable=False),
        sa.Column("study_mode", sa.String(length=40), nullable=False),
        sa.Column("enrol_date", sa.Date(), nullable=True),
        sa.Column("expected_grad_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("withdrawn_reason", sa.String(length=200), nullable=False),
        sa.Column("withdrawn_date", sa.Date(), nullable=True),
        sa.Column("name_initials", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["station.id"], name=op.f("fk_student_station_id_station")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student")),
        sa.UniqueConstraint("id_number", name=op.f("uq_student_id_number")),
        sa.UniqueConstraint("station_id", "shot_no", name="uq_student_station_shot"),
        sa.UniqueConstraint("student_no", name=op.f("uq_student_student_no")),
    )
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_student_station_id"), ["station_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_student_station_id"))

    op.drop_table("student")
    op.drop_table("station")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
