"""Rectification notices (Art 39)

Revision ID: 0009_evaluation
Revises: 0008_participation
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_evaluation"
down_revision = "0008_participation"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def _fk(table, ondelete):
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade():
    op.create_table(
        "lyg_opendata_rectification",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, _fk("group", "CASCADE"), nullable=False,
                  index=True),
        sa.Column("ground", sa.UnicodeText, nullable=False),
        sa.Column("findings", sa.UnicodeText, nullable=False),
        sa.Column("requirement", sa.UnicodeText, nullable=False),
        sa.Column("evidence", JSONB),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="issued", index=True),
        sa.Column("issued_by", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("clock_start", sa.Date, nullable=False),
        sa.Column("deadline_days", sa.Integer, nullable=False),
        sa.Column("response", sa.UnicodeText),
        sa.Column("responded_at", sa.DateTime),
        sa.Column("decision", sa.UnicodeText),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("escalated_at", sa.DateTime),
        sa.CheckConstraint("status in ('issued', 'responded', 'returned', 'escalated', 'closed')",
                           name="lyg_opendata_rectification_status"),
        sa.CheckConstraint("ground in ('open_list', 'applications', 'standards', "
                           "'separate_channels', 'preprocessing')",
                           name="lyg_opendata_rectification_ground"),
    )
    op.create_table(
        "lyg_opendata_rectification_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("rectification_id", sa.UnicodeText, _fk("lyg_opendata_rectification", "CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_rectification_event")
    op.drop_table("lyg_opendata_rectification")
