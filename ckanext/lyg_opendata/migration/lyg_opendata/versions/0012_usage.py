"""Usage counts per dataset, resource, Beijing day and channel (page views, downloads, API
calls) — aggregate numbers, no person

Revision ID: 0012_usage
Revises: 0011_disclosure
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_usage"
down_revision = "0011_disclosure"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lyg_opendata_usage",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),   # '' for the dataset page
        sa.Column("day", sa.Date, primary_key=True),                  # Beijing date
        sa.Column("channel", sa.UnicodeText, primary_key=True),       # view, download, api
        sa.Column("count", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_lyg_opendata_usage_day", "lyg_opendata_usage", ["day"])


def downgrade():
    op.drop_table("lyg_opendata_usage")
