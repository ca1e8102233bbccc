"""Append-only hash-linked access log (Art 21)

Revision ID: 0005_access_log
Revises: 0004_access
Create Date: 2026-11-27

The database refuses UPDATE, DELETE and TRUNCATE on the log and its seal, purge and
disclosure tables (triggers). The one exception is the purge path of
``ckan lyg-opendata audit purge``: inside its transaction it runs
``SET LOCAL lyg_opendata.access_log_purge = 'on'``, and even then the trigger lets only
rows of *sealed* days at least 183 days old (Beijing) be deleted. No web code path sets
the option. (The owner of the tables can still disable triggers; that is what the hashes
and the chained day seals detect — `ckan lyg-opendata audit verify`.)
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_access_log"
down_revision = "0004_access"
branch_labels = None
depends_on = None

MIN_RETENTION_DAYS = 183  # also in audit/log.py

TABLES = ("lyg_opendata_access_log", "lyg_opendata_access_log_seal",
          "lyg_opendata_access_log_purge", "lyg_opendata_access_log_disclosure")


def upgrade():
    op.create_table(
        "lyg_opendata_access_log",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("user_name", sa.UnicodeText),
        sa.Column("user_fullname", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("org_id", sa.UnicodeText),
        sa.Column("channel", sa.UnicodeText, nullable=False),
        sa.Column("ip", sa.UnicodeText),
        sa.Column("user_agent", sa.UnicodeText),
        sa.Column("grant_id", sa.UnicodeText),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("channel in ('ui', 'api', 'datastore', 'preview')",
                           name="lyg_opendata_access_log_channel_check"),
    )
    op.create_index("ix_lyg_opendata_access_log_day_id", "lyg_opendata_access_log", ["day", "id"])
    op.create_index("ix_lyg_opendata_access_log_package", "lyg_opendata_access_log",
                    ["package_id", "id"])
    op.create_index("ix_lyg_opendata_access_log_org", "lyg_opendata_access_log", ["org_id", "id"])
    op.create_index("ix_lyg_opendata_access_log_user", "lyg_opendata_access_log", ["user_id", "id"])
    op.create_table(
        "lyg_opendata_access_log_seal",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("first_id", sa.BigInteger),
        sa.Column("last_id", sa.BigInteger),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("seal_hash", sa.String(64), nullable=False),
        sa.Column("sealed_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "lyg_opendata_access_log_purge",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("purged_at", sa.DateTime, nullable=False),
        sa.Column("before_day", sa.Date, nullable=False),
        sa.Column("retention_days", sa.Integer, nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "lyg_opendata_access_log_disclosure",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("user_name", sa.UnicodeText),
        sa.Column("reason", sa.UnicodeText, nullable=False),
        sa.Column("how", sa.UnicodeText, nullable=False),
        sa.Column("filters", JSONB, nullable=False),
    )
    op.execute(f"""
CREATE OR REPLACE FUNCTION lyg_opendata_access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('lyg_opendata.access_log_purge', true) = 'on'
     AND OLD.day < (now() AT TIME ZONE 'Asia/Shanghai')::date - {MIN_RETENTION_DAYS}
     AND EXISTS (SELECT 1 FROM lyg_opendata_access_log_seal s WHERE s.day = OLD.day) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'lyg_opendata: % on % refused: the access log is append-only (Art 21)',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION lyg_opendata_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'lyg_opendata: % on % refused: the access log is append-only (Art 21)',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER lyg_opendata_access_log_guard BEFORE UPDATE OR DELETE
  ON lyg_opendata_access_log FOR EACH ROW EXECUTE FUNCTION lyg_opendata_access_log_guard();
""")
    for table in TABLES:
        if table != "lyg_opendata_access_log":
            op.execute(f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION lyg_opendata_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION lyg_opendata_append_only()")


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS lyg_opendata_append_only()")
    op.execute("DROP FUNCTION IF EXISTS lyg_opendata_access_log_guard()")
