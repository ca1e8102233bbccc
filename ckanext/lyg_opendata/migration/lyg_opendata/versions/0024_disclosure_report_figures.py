"""Figures of the disclosure yearly report entered by agency staff (parts 二 and 四)

Revision ID: 0024_disclosure_report_figures
Revises: 0023_disclosure_complaint
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0024_disclosure_report_figures"
down_revision = "0023_disclosure_complaint"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_disclosure_report_figures",
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("figures", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("updated_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("updated", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_disclosure_report_figures")
