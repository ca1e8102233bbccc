"""Tables of the review workflow (Art 12). Schema changes go through alembic
(migration/lyg_opendata)."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class ReviewEvent(tk.BaseModel):
    """One transition of a dataset's review (who, when, from, to, reason)."""
    __tablename__ = "lyg_opendata_review_event"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    actor_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    action = sa.Column(sa.UnicodeText, nullable=False)
    from_status = sa.Column(sa.UnicodeText)
    to_status = sa.Column(sa.UnicodeText)
    reason = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class PendingChange(tk.BaseModel):
    """An agency's edit of a published dataset held for review: more open, or new data items."""
    __tablename__ = "lyg_opendata_pending_change"

    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True)
    proposed = sa.Column(JSONB, nullable=False)
    before = sa.Column(JSONB, nullable=False)
    submitted_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
