"""Applications for government information disclosure (依申请公开)

Revision ID: 0011_disclosure
Revises: 0010_social_publisher
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011_disclosure"
down_revision = "0010_social_publisher"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_disclosure_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("number", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"), index=True),
        sa.Column("previous_organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL")),
        sa.Column("channel", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), index=True),
        sa.Column("registered_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("applicant_type", sa.UnicodeText, nullable=False),
        sa.Column("organization_kind", sa.UnicodeText),
        sa.Column("applicant_name", sa.UnicodeText),
        sa.Column("id_type", sa.UnicodeText),
        sa.Column("id_number", sa.UnicodeText),
        sa.Column("credit_code", sa.UnicodeText),
        sa.Column("legal_representative", sa.UnicodeText),
        sa.Column("contact_person", sa.UnicodeText),
        sa.Column("phone", sa.UnicodeText),
        sa.Column("email", sa.UnicodeText),
        sa.Column("address", sa.UnicodeText),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText),
        sa.Column("delivery", sa.UnicodeText, nullable=False),
        sa.Column("letter_name", sa.UnicodeText),
        sa.Column("letter_path", sa.UnicodeText),
        sa.Column("letter_mimetype", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="received", index=True),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("clock_start", sa.Date, nullable=False),
        sa.Column("deadline_days", sa.Integer, nullable=False, server_default="15"),
        sa.Column("extension_days", sa.Integer, nullable=False, server_default="0"),
        sa.Column("extension_reason", sa.UnicodeText),
        sa.Column("extended_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("extended_at", sa.DateTime),
        sa.Column("correction_request", sa.UnicodeText),
        sa.Column("correction_requested_on", sa.Date),
        sa.Column("amended_on", sa.Date),
        sa.Column("outcome", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("withheld_category", sa.UnicodeText),
        sa.Column("withheld_reason", sa.UnicodeText),
        sa.Column("legal_basis", sa.UnicodeText),
        sa.Column("where_to_find", sa.UnicodeText),
        sa.Column("holder_name", sa.UnicodeText),
        sa.Column("holder_contact", sa.UnicodeText),
        sa.Column("answer_file_name", sa.UnicodeText),
        sa.Column("answer_file_path", sa.UnicodeText),
        sa.Column("answer_file_mimetype", sa.UnicodeText),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("answered_on", sa.Date),
        sa.Column("answered_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("withdrawal_reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_disclosure_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("lyg_opendata_disclosure_request.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("actor_role", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("data", JSONB),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_disclosure_event")
    op.drop_table("lyg_opendata_disclosure_request")
