"""Tables of the review workflow (Art 12). Schema changes go through alembic
(migration/lyg_opendata)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns
from ckanext.lyg_opendata.tables import utcnow as _utcnow


class ReviewEvent(EventColumns, tk.BaseModel):
    """One transition of a dataset's review (who, when, from, to, reason)."""
    __tablename__ = "lyg_opendata_review_event"

    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    reason = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB)


class PendingChange(tk.BaseModel):
    """An agency's edit of a published dataset held for review: more open, or new data items."""
    __tablename__ = "lyg_opendata_pending_change"

    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True)
    proposed = sa.Column(JSONB, nullable=False)
    before = sa.Column(JSONB, nullable=False)
    submitted_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
