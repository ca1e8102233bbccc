"""working-day calendar: loaded years and their holidays and makeup working days

Revision ID: 0002_calendar
Revises: 0001_catalog_review
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_calendar"
down_revision = "0001_catalog_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lyg_opendata_calendar_year",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("source", sa.UnicodeText, nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False,
                  server_default=sa.text("(now() at time zone 'utc')")),
        sa.Column("loaded_by", sa.UnicodeText,
                  sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_table(
        "lyg_opendata_calendar_day",
        sa.Column("date", sa.Date, primary_key=True),
        sa.Column("year", sa.Integer,
                  sa.ForeignKey("lyg_opendata_calendar_year.year", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False, server_default=""),
        sa.CheckConstraint("kind in ('holiday', 'workday')",
                           name="lyg_opendata_calendar_day_kind_check"),
        sa.CheckConstraint("extract(year from date) = year",
                           name="lyg_opendata_calendar_day_year_check"),
    )
    op.create_index("ix_lyg_opendata_calendar_day_year", "lyg_opendata_calendar_day", ["year"])


def downgrade():
    op.drop_index("ix_lyg_opendata_calendar_day_year", "lyg_opendata_calendar_day")
    op.drop_table("lyg_opendata_calendar_day")
    op.drop_table("lyg_opendata_calendar_year")
