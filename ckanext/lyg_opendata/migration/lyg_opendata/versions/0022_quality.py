"""Quality scores of datasets (monthly history) and the link checker's answers

Revision ID: 0022_quality
Revises: 0021_govinfo
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0022_quality"
down_revision = "0021_govinfo"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_quality_score",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("month", sa.UnicodeText, primary_key=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("rating", sa.UnicodeText, nullable=False),
        sa.Column("indicators", JSONB, nullable=False),
        sa.Column("computed_at", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_link_check",
        sa.Column("resource_id", sa.UnicodeText,
                  sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.UnicodeText),
        sa.Column("checked_at", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_link_check")
    op.drop_table("lyg_opendata_quality_score")
