"""TOTP secrets encrypted at rest (issue 20 item 3; identity/security/secretbox.py)

The column ``secret`` (base32 in clear) becomes ``secret_encrypted``; every existing row is
encrypted with the configured key (``identity.totp.encryption_keys``, else the key derived
from ``SECRET_KEY``). The downgrade decrypts them again.

Revision ID: 0019_totp_encryption
Revises: 0018_showcase
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0019_totp_encryption"
down_revision = "0018_showcase"
branch_labels = None
depends_on = None


def upgrade():
    from ckanext.lyg_opendata.identity.security import secretbox
    op.alter_column("lyg_opendata_totp", "secret", new_column_name="secret_encrypted")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT user_id, secret_encrypted FROM lyg_opendata_totp")).fetchall()
    for user_id, value in rows:
        if not secretbox.is_encrypted(value):
            conn.execute(sa.text("UPDATE lyg_opendata_totp SET secret_encrypted = :v "
                                 "WHERE user_id = :u"),
                         {"v": secretbox.encrypt(value, user_id), "u": user_id})


def downgrade():
    from ckanext.lyg_opendata.identity.security import secretbox
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT user_id, secret_encrypted FROM lyg_opendata_totp")).fetchall()
    for user_id, value in rows:
        if secretbox.is_encrypted(value):
            conn.execute(sa.text("UPDATE lyg_opendata_totp SET secret_encrypted = :v "
                                 "WHERE user_id = :u"),
                         {"v": secretbox.decrypt(value, user_id), "u": user_id})
    op.alter_column("lyg_opendata_totp", "secret_encrypted", new_column_name="secret")
