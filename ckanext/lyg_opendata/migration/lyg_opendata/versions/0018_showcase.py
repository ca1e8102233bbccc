"""The showcase of uses (数据应用, Art 29)

Revision ID: 0018_showcase
Revises: 0017_identity_orgs
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0018_showcase"
down_revision = "0017_identity_orgs"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_showcase",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("type", sa.UnicodeText, nullable=False),
        sa.Column("url", sa.UnicodeText),
        sa.Column("image_url", sa.UnicodeText),
        sa.Column("organization_name", sa.UnicodeText, nullable=False),
        sa.Column("submitted_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                  index=True),
        sa.Column("usage_report_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_usage_report.id", ondelete="SET NULL"), unique=True),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="submitted", index=True),
        sa.Column("review_note", sa.UnicodeText),
        sa.Column("published_at", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_showcase_dataset",
        sa.Column("showcase_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_showcase.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  primary_key=True, index=True),
    )
    op.create_table(
        "lyg_opendata_showcase_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("showcase_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_showcase.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_showcase_event")
    op.drop_table("lyg_opendata_showcase_dataset")
    op.drop_table("lyg_opendata_showcase")
