"""The proactive disclosure catalog (主动公开)

Revision ID: 0021_govinfo
Revises: 0020_evaluation_report
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0021_govinfo"
down_revision = "0020_evaluation_report"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_govinfo",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                  index=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("doc_number", sa.UnicodeText),
        sa.Column("category", sa.UnicodeText, nullable=False, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False, server_default="other"),
        sa.Column("written_on", sa.Date, nullable=False),
        sa.Column("changed_on", sa.Date),
        sa.Column("published_on", sa.Date, index=True),
        sa.Column("forms", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("validity", sa.UnicodeText),
        sa.Column("repealed_on", sa.Date),
        sa.Column("summary", sa.UnicodeText),
        sa.Column("body", sa.UnicodeText),
        sa.Column("file_name", sa.UnicodeText),
        sa.Column("file_path", sa.UnicodeText),
        sa.Column("file_mimetype", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="draft", index=True),
        sa.Column("withdrawal_reason", sa.UnicodeText),
        sa.Column("created_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_govinfo_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("govinfo_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_govinfo.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_govinfo_event")
    op.drop_table("lyg_opendata_govinfo")
