"""Participation: data requests (数据需求) and ratings (评价) (Art 18, 25)

Revision ID: 0008_participation
Revises: 0007_data_scan
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008_participation"
down_revision = "0007_data_scan"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def _fk(table, ondelete):
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade():
    op.create_table(
        "lyg_opendata_data_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText),
        sa.Column("data_format", sa.UnicodeText),
        sa.Column("frequency", sa.UnicodeText),
        sa.Column("suggested_org_id", sa.UnicodeText, _fk("group", "SET NULL")),
        sa.Column("organization_id", sa.UnicodeText, _fk("group", "SET NULL"), index=True),
        sa.Column("requested_by", sa.UnicodeText, _fk("user", "SET NULL"), index=True),
        sa.Column("show_name", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("contact", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="submitted", index=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("clock_start", sa.Date),
        sa.Column("clock_days", sa.Integer),
        sa.Column("answer", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("legal_basis", sa.UnicodeText),
        sa.Column("planned_date", sa.Date),
        sa.Column("application_url", sa.UnicodeText),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("support_count", sa.Integer, nullable=False, server_default="0", index=True),
        sa.Column("moderation_reason", sa.UnicodeText),
    )
    op.create_table(
        "lyg_opendata_data_request_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText, _fk("lyg_opendata_data_request", "CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("actor_role", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("data", JSONB),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_data_request_dataset",
        sa.Column("request_id", sa.UnicodeText, _fk("lyg_opendata_data_request", "CASCADE"),
                  primary_key=True),
        sa.Column("package_id", sa.UnicodeText, _fk("package", "CASCADE"), primary_key=True,
                  index=True),
    )
    op.create_table(
        "lyg_opendata_data_request_support",
        sa.Column("request_id", sa.UnicodeText, _fk("lyg_opendata_data_request", "CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.UnicodeText, _fk("user", "CASCADE"), primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_rating",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, _fk("package", "CASCADE"), nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, _fk("user", "CASCADE"), nullable=False),
        sa.Column("quality", sa.Integer, nullable=False),
        sa.Column("timeliness", sa.Integer, nullable=False),
        sa.Column("usability", sa.Integer, nullable=False),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hidden_reason", sa.UnicodeText),
        sa.Column("hidden_by", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("answered_by", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=NOW),
        sa.UniqueConstraint("package_id", "user_id"),
    )


def downgrade():
    op.drop_table("lyg_opendata_rating")
    op.drop_table("lyg_opendata_data_request_support")
    op.drop_table("lyg_opendata_data_request_dataset")
    op.drop_table("lyg_opendata_data_request_event")
    op.drop_table("lyg_opendata_data_request")
