"""Identity: verified organisations (授权书) and staff real-name checks

Revision ID: 0017_identity_orgs
Revises: 0016_identity_security
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0017_identity_orgs"
down_revision = "0016_identity_security"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_org_link",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("org_name", sa.UnicodeText, nullable=False),
        sa.Column("credit_code", sa.UnicodeText, nullable=False, index=True),
        sa.Column("letter_storage", sa.UnicodeText, nullable=False),
        sa.Column("letter_location", sa.UnicodeText, nullable=False),
        sa.Column("letter_name", sa.UnicodeText, nullable=False),
        sa.Column("letter_type", sa.UnicodeText, nullable=False),
        sa.Column("letter_size", sa.Integer, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, index=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("decided_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decision_reason", sa.UnicodeText),
    )
    op.create_index("lyg_opendata_org_link_open_key", "lyg_opendata_org_link",
                    ["user_id", "credit_code"], unique=True,
                    postgresql_where=sa.text("status IN ('submitted', 'verified')"))
    op.create_table(
        "lyg_opendata_org_link_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("link_id", sa.UnicodeText,
                  sa.ForeignKey("lyg_opendata_org_link.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText),
        sa.Column("to_status", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
    )
    op.create_table(
        "lyg_opendata_real_name_check",
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("verified_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("verified_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("note", sa.UnicodeText, nullable=False),
    )


def downgrade():
    op.drop_table("lyg_opendata_real_name_check")
    op.drop_table("lyg_opendata_org_link_event")
    op.drop_table("lyg_opendata_org_link")
