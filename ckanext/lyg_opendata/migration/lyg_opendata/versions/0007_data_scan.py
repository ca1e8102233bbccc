"""Personal-data scan of uploaded files and DataStore tables (Art 14, 26)

Revision ID: 0007_data_scan
Revises: 0006_objections
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007_data_scan"
down_revision = "0006_objections"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def _fk(table, ondelete):
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade():
    op.create_table(
        "lyg_opendata_scan",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, _fk("resource", "CASCADE"), nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, _fk("package", "CASCADE"), nullable=False, index=True),
        sa.Column("source", sa.UnicodeText, nullable=False),
        sa.Column("marker", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("error", sa.UnicodeText),
        sa.Column("rows", sa.Integer),
        sa.Column("bytes", sa.BigInteger),
        sa.Column("seconds", sa.Float),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("finished_at", sa.DateTime),
    )
    op.create_table(
        "lyg_opendata_scan_finding",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("scan_id", sa.UnicodeText, _fk("lyg_opendata_scan", "CASCADE"), nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText, _fk("resource", "CASCADE"), nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, _fk("package", "CASCADE"), nullable=False, index=True),
        sa.Column("source", sa.UnicodeText, nullable=False),
        sa.Column("column", sa.UnicodeText, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("personal", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("samples", JSONB, nullable=False, server_default="[]"),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="open", index=True),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("resolved_by", sa.UnicodeText, _fk("user", "SET NULL")),
        sa.Column("resolved_at", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade():
    op.drop_table("lyg_opendata_scan_finding")
    op.drop_table("lyg_opendata_scan")
