"""The yearly evaluation report (Art 37), frozen once published

Revision ID: 0020_evaluation_report
Revises: 0019_totp_encryption
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0020_evaluation_report"
down_revision = "0019_totp_encryption"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")

# A published report never changes: its content and status are refused by the database,
# whatever the code does (only the user columns may become NULL when a user is purged).
FROZEN = """
CREATE OR REPLACE FUNCTION lyg_opendata_evaluation_report_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND (
       NEW.status IS DISTINCT FROM OLD.status OR NEW.year IS DISTINCT FROM OLD.year
       OR NEW.version IS DISTINCT FROM OLD.version OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.figures IS DISTINCT FROM OLD.figures
       OR NEW.commentary IS DISTINCT FROM OLD.commentary
       OR NEW.suggestions IS DISTINCT FROM OLD.suggestions
       OR NEW.published_at IS DISTINCT FROM OLD.published_at
       OR NEW.modified IS DISTINCT FROM OLD.modified) THEN
    RAISE EXCEPTION 'lyg_opendata: a published evaluation report never changes (Art 37)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER lyg_opendata_evaluation_report_frozen BEFORE UPDATE
  ON lyg_opendata_evaluation_report FOR EACH ROW
  EXECUTE FUNCTION lyg_opendata_evaluation_report_frozen();
"""


def upgrade():
    op.create_table(
        "lyg_opendata_evaluation_report",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="draft", index=True),
        sa.Column("figures", JSONB, nullable=False),
        sa.Column("commentary", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("suggestions", JSONB, nullable=False),
        sa.Column("created_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("published_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("published_at", sa.DateTime),
        sa.UniqueConstraint("year", "version"),
    )
    op.create_table(
        "lyg_opendata_evaluation_report_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("report_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_evaluation_report.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText),
        sa.Column("text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.execute(FROZEN)


def downgrade():
    op.drop_table("lyg_opendata_evaluation_report_event")
    op.drop_table("lyg_opendata_evaluation_report")
    op.execute("DROP FUNCTION IF EXISTS lyg_opendata_evaluation_report_frozen()")
