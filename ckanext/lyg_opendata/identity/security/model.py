"""Tables of account security (migration 0016_identity_security)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.workflow import utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


class SecurityEvent(tk.BaseModel):
    """One entry of the sysadmins' audit list: a sign-in, a failed sign-in, a lock-out, an
    API token created or revoked, a role or password change, a second factor enrolled."""
    __tablename__ = "lyg_opendata_security_event"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    kind = sa.Column(sa.UnicodeText, nullable=False, index=True)
    # the account concerned (None: a failed sign-in with an unknown name)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # the name as typed (failed sign-ins) or the account's name at the time
    login = sa.Column(sa.UnicodeText)
    actor_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    address = sa.Column(sa.UnicodeText)
    detail = sa.Column(JSONB, nullable=False, default=dict)


class TotpSecret(tk.BaseModel):
    """A user's TOTP secret, encrypted (secretbox.py; migration 0019); ``confirmed_at`` is set
    once a code from the app was accepted."""
    __tablename__ = "lyg_opendata_totp"

    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        primary_key=True)
    secret_encrypted = sa.Column(sa.UnicodeText, nullable=False)
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    confirmed_at = sa.Column(sa.DateTime)
    # the last time step accepted: a code is good once
    last_step = sa.Column(sa.BigInteger)


class RecoveryCode(tk.BaseModel):
    """A single-use recovery code, stored as a hash."""
    __tablename__ = "lyg_opendata_recovery_code"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    code_hash = sa.Column(sa.UnicodeText, nullable=False)
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    used_at = sa.Column(sa.DateTime)
