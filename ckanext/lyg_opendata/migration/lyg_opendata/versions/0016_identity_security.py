"""Account security: audit list, TOTP secrets, recovery codes (issue 20 item 3)

Revision ID: 0016_identity_security
Revises: 0015_identity_oidc
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016_identity_security"
down_revision = "0015_identity_oidc"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_security_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                  index=True),
        sa.Column("login", sa.UnicodeText),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("address", sa.UnicodeText),
        sa.Column("detail", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.create_table(
        "lyg_opendata_totp",
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("secret", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("confirmed_at", sa.DateTime),
        sa.Column("last_step", sa.BigInteger),
    )
    op.create_table(
        "lyg_opendata_recovery_code",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("code_hash", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("used_at", sa.DateTime),
    )


def downgrade():
    op.drop_table("lyg_opendata_recovery_code")
    op.drop_table("lyg_opendata_totp")
    op.drop_table("lyg_opendata_security_event")
