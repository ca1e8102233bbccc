"""Objections and reports (Art 20, 25, 38)

Revision ID: 0006_objections
Revises: 0005_access_log
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_objections"
down_revision = "0005_access_log"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def _fk(table, ondelete):
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade():
    op.create_table(
        "lyg_opendata_objection",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, _fk("package", "CASCADE"), nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText, _fk("resource", "SET NULL")),
        sa.Column("data_item_code", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText, _fk("group", "SET NULL"), index=True),
        sa.Column("type", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("contact", sa.UnicodeText),
        sa.Column("raised_by", sa.UnicodeText, _fk("user", "SET NULL"), index=True),
        sa.Column("raised_ip", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="submitted", index=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("clock_start", sa.Date, nullable=False),
        sa.Column("deadline_days", sa.Integer, nullable=False),
        sa.Column("accepted_at", sa.DateTime),
        sa.Column("decision_reason", sa.UnicodeText),
        sa.Column("answer_outcome", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("answer_activity_id", sa.UnicodeText),
        sa.Column("answer_public", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("dispute_text", sa.UnicodeText),
        sa.Column("disputed_at", sa.DateTime),
        sa.Column("moderation_reason", sa.UnicodeText),
        sa.Column("merged_into", sa.UnicodeText, _fk("lyg_opendata_objection", "SET NULL")),
        sa.Column("evidence_name", sa.UnicodeText),
        sa.Column("evidence_path", sa.UnicodeText),
        sa.Column("evidence_mimetype", sa.UnicodeText),
        sa.Column("evidence_size", sa.Integer),
        sa.Column("last_reminded", sa.Date),
        sa.CheckConstraint(
            "status in ('submitted', 'accepted', 'rejected', 'answered', 'reopened', "
            "'escalated', 'hidden', 'merged', 'closed')", name="lyg_opendata_objection_status"),
    )
    # rate limits count a user's (or an address's) recent objections
    op.create_index("lyg_opendata_objection_raised_idx", "lyg_opendata_objection",
                    ["raised_by", "created"])
    op.create_index("lyg_opendata_objection_ip_idx", "lyg_opendata_objection",
                    ["raised_ip", "created"])
    op.create_table(
        "lyg_opendata_objection_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("objection_id", sa.UnicodeText, _fk("lyg_opendata_objection", "CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("actor_role", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("public", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("data", JSONB),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_report",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, _fk("package", "SET NULL"), index=True),
        sa.Column("organization_id", sa.UnicodeText, _fk("group", "SET NULL"), index=True),
        sa.Column("reported_party", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("contact", sa.UnicodeText),
        sa.Column("reported_by", sa.UnicodeText, _fk("user", "SET NULL"), index=True),
        sa.Column("reported_ip", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="submitted", index=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_index("lyg_opendata_report_reported_idx", "lyg_opendata_report",
                    ["reported_by", "created"])
    op.create_index("lyg_opendata_report_ip_idx", "lyg_opendata_report", ["reported_ip", "created"])
    op.create_table(
        "lyg_opendata_report_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("report_id", sa.UnicodeText, _fk("lyg_opendata_report", "CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("actor_role", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_report_event")
    op.drop_index("lyg_opendata_report_ip_idx", "lyg_opendata_report")
    op.drop_index("lyg_opendata_report_reported_idx", "lyg_opendata_report")
    op.drop_table("lyg_opendata_report")
    op.drop_table("lyg_opendata_objection_event")
    op.drop_index("lyg_opendata_objection_ip_idx", "lyg_opendata_objection")
    op.drop_index("lyg_opendata_objection_raised_idx", "lyg_opendata_objection")
    op.drop_table("lyg_opendata_objection")
