"""Suggestions about the platform (意见建议, Art 18)

Revision ID: 0013_suggestions
Revises: 0012_usage
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_suggestions"
down_revision = "0012_usage"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_suggestion",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("category", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("contact", sa.UnicodeText),
        sa.Column("submitted_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                  index=True),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="submitted", index=True),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_suggestion_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("suggestion_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_suggestion.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_suggestion_event")
    op.drop_table("lyg_opendata_suggestion")
