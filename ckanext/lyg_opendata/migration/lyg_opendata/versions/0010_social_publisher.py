"""Organisations marked 社会数据开放主体 (Art 27)

Revision ID: 0010_social_publisher
Revises: 0009_evaluation
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_social_publisher"
down_revision = "0009_evaluation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lyg_opendata_social_publisher",
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("type", sa.UnicodeText, nullable=False),
        sa.Column("marked_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False,
                  server_default=sa.text("(now() at time zone 'utc')")),
    )


def downgrade():
    op.drop_table("lyg_opendata_social_publisher")
