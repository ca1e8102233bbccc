"""Tables of verified organisations (a user acts for an organisation: 统一社会信用代码 and an
authorisation letter 授权书, verified or refused by supervisors) and of real-name checks made
by staff. Schema changes go through alembic (migration/lyg_opendata, 0017_identity_orgs)."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

import ckan.plugins.toolkit as tk


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _uuid() -> str:
    return str(uuid.uuid4())


class OrgLink(tk.BaseModel):
    """A user's claim to act for an organisation. The letter (``letter_*``: where CKAN's file
    storage keeps it, its name, type and size) is never public: the claimant and supervisors
    download it. One open or verified claim per user and credit code."""
    __tablename__ = "lyg_opendata_org_link"
    __table_args__ = (
        sa.Index("lyg_opendata_org_link_open_key", "user_id", "credit_code", unique=True,
                 postgresql_where=sa.text("status IN ('submitted', 'verified')")),
    )

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    org_name = sa.Column(sa.UnicodeText, nullable=False)
    credit_code = sa.Column(sa.UnicodeText, nullable=False, index=True)
    letter_storage = sa.Column(sa.UnicodeText, nullable=False)
    letter_location = sa.Column(sa.UnicodeText, nullable=False)
    letter_name = sa.Column(sa.UnicodeText, nullable=False)
    letter_type = sa.Column(sa.UnicodeText, nullable=False)
    letter_size = sa.Column(sa.Integer, nullable=False)
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    decided_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at = sa.Column(sa.DateTime)
    decision_reason = sa.Column(sa.UnicodeText)


class OrgLinkEvent(tk.BaseModel):
    __tablename__ = "lyg_opendata_org_link_event"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    link_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_org_link.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    actor_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    action = sa.Column(sa.UnicodeText, nullable=False)
    from_status = sa.Column(sa.UnicodeText)
    to_status = sa.Column(sa.UnicodeText, nullable=False)
    reason = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class RealNameCheck(tk.BaseModel):
    """A real-name check made by staff (for a person without a provider identity of a
    sufficient level): who checked, when, against what."""
    __tablename__ = "lyg_opendata_real_name_check"

    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        primary_key=True)
    verified_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    verified_at = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    note = sa.Column(sa.UnicodeText, nullable=False)
