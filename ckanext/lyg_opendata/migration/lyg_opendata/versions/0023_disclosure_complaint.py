"""Complaints about the handling of applications for disclosure (投诉/举报)

Revision ID: 0023_disclosure_complaint
Revises: 0022_quality
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0023_disclosure_complaint"
down_revision = "0022_quality"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_disclosure_complaint",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_disclosure_request.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                  index=True),
        sa.Column("ground", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="filed", index=True),
        sa.Column("filed_on", sa.Date, nullable=False),
        sa.Column("finding", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("answered_on", sa.Date),
        sa.Column("answered_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_disclosure_complaint_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("complaint_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_disclosure_complaint.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_disclosure_complaint_event")
    op.drop_table("lyg_opendata_disclosure_complaint")
