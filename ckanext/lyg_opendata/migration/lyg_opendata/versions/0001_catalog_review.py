"""catalog review: review events and held changes

Revision ID: 0001_catalog_review
Revises:
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_catalog_review"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lyg_opendata_review_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText,
                  sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText, nullable=True),
        sa.Column("to_status", sa.UnicodeText, nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=True),
        sa.Column("data", JSONB, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.text("(now() at time zone 'utc')")),
    )
    op.create_index("lyg_opendata_review_event_created_idx", "lyg_opendata_review_event",
                    ["package_id", "created"])
    op.create_table(
        "lyg_opendata_pending_change",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("proposed", JSONB, nullable=False),
        sa.Column("before", JSONB, nullable=False),
        sa.Column("submitted_by", sa.UnicodeText,
                  sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("submitted_at", sa.DateTime, nullable=False,
                  server_default=sa.text("(now() at time zone 'utc')")),
    )


def downgrade():
    op.drop_table("lyg_opendata_pending_change")
    op.drop_index("lyg_opendata_review_event_created_idx", "lyg_opendata_review_event")
    op.drop_table("lyg_opendata_review_event")
