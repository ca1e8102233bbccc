"""A dataset's quality score each time it changed (issue 18: the score history on the
dataset's quality panel and through lyg_opendata_quality_history).

Revision ID: 0027_quality_history
Revises: 0026_stored_due
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0027_quality_history"
down_revision = "0026_stored_due"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lyg_opendata_quality_change",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("rating", sa.UnicodeText, nullable=False),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_lyg_opendata_quality_change_package", "lyg_opendata_quality_change",
                    ["package_id", "day", "computed_at"])
    # the months scored before: their rows start the history
    op.execute("""
        INSERT INTO lyg_opendata_quality_change (id, package_id, day, score, rating,
                                                 computed_at)
        SELECT md5(package_id || month), package_id, (computed_at + interval '8 hours')::date,
               score, rating, computed_at
        FROM (SELECT q.*, lag(score) OVER (PARTITION BY package_id ORDER BY month) AS before
              FROM lyg_opendata_quality_score q) s
        WHERE before IS DISTINCT FROM score
    """)


def downgrade():
    op.drop_table("lyg_opendata_quality_change")
