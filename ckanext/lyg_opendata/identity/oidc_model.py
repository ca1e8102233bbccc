"""The link between a CKAN user and an identity at the OpenID Connect provider (统一身份认证).
Schema changes go through alembic (migration/lyg_opendata, 0015_identity_oidc)."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

import ckan.plugins.toolkit as tk


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _uuid() -> str:
    return str(uuid.uuid4())


class OidcIdentity(tk.BaseModel):
    """One provider identity (``issuer`` + stable ``subject``) linked to one CKAN user; a user
    has at most one identity per provider.

    ``phone`` and ``identity_level`` (the provider's real-name level) are personal details:
    never in a public output."""
    __tablename__ = "lyg_opendata_oidc_identity"
    __table_args__ = (
        sa.UniqueConstraint("issuer", "subject", name="lyg_opendata_oidc_identity_subject_key"),
        sa.UniqueConstraint("issuer", "user_id", name="lyg_opendata_oidc_identity_user_key"),
    )

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    issuer = sa.Column(sa.UnicodeText, nullable=False)
    subject = sa.Column(sa.UnicodeText, nullable=False)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    # how the link was made: "created" (first sign-in made the account) or "linked" (an
    # existing local account, proved by its password session and the provider's sign-in)
    origin = sa.Column(sa.UnicodeText, nullable=False)
    identity_level = sa.Column(sa.Integer)
    acr = sa.Column(sa.UnicodeText)
    phone = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    last_login = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
