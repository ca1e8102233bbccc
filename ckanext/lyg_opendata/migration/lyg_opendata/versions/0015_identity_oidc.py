"""Identity: provider identities linked to CKAN users (统一身份认证, OIDC)

Revision ID: 0015_identity_oidc
Revises: 0014_staff_filing
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0015_identity_oidc"
down_revision = "0014_staff_filing"
branch_labels = None
depends_on = None

NOW = sa.text("(now() at time zone 'utc')")


def upgrade():
    op.create_table(
        "lyg_opendata_oidc_identity",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("issuer", sa.UnicodeText, nullable=False),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("origin", sa.UnicodeText, nullable=False),
        sa.Column("identity_level", sa.Integer),
        sa.Column("acr", sa.UnicodeText),
        sa.Column("phone", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("last_login", sa.DateTime, nullable=False, server_default=NOW),
        sa.UniqueConstraint("issuer", "subject", name="lyg_opendata_oidc_identity_subject_key"),
        sa.UniqueConstraint("issuer", "user_id", name="lyg_opendata_oidc_identity_user_key"),
    )


def downgrade():
    op.drop_table("lyg_opendata_oidc_identity")
