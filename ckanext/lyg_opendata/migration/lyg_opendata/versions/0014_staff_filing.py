"""Staff filing (Art 35)

Revision ID: 0014_staff_filing
Revises: 0013_suggestions
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014_staff_filing"
down_revision = "0013_suggestions"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_staff_filing",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("leader_name", sa.UnicodeText, nullable=False),
        sa.Column("leader_post", sa.UnicodeText, nullable=False),
        sa.Column("leader_contact", sa.UnicodeText, nullable=False),
        sa.Column("staff", JSONB, nullable=False),
        sa.Column("filed_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("filed_at", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_staff_filing")
