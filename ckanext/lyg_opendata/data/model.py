"""Tables of the personal-data scan (Art 14, 26). Schema changes go through alembic
(migration/lyg_opendata, 0007)."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Scan(tk.BaseModel):
    """One scan of a resource's file (``source`` file) or DataStore table (datastore).
    ``marker`` is what was scanned (the file's last_modified / the table's row count), so
    that the same upload is not scanned twice. status: pending → done | failed."""
    __tablename__ = "lyg_opendata_scan"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    resource_id = sa.Column(sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    source = sa.Column(sa.UnicodeText, nullable=False)
    marker = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="pending")
    error = sa.Column(sa.UnicodeText)
    rows = sa.Column(sa.Integer)
    bytes = sa.Column(sa.BigInteger)
    seconds = sa.Column(sa.Float)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    finished_at = sa.Column(sa.DateTime)


class Finding(tk.BaseModel):
    """A column of a scanned table that holds personal data (or, as a note, credit codes).
    status: open → false_positive (by the agency, with a reason) | superseded (a newer
    scan of the same resource and source replaced it)."""
    __tablename__ = "lyg_opendata_scan_finding"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    scan_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_scan.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    resource_id = sa.Column(sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    source = sa.Column(sa.UnicodeText, nullable=False)
    column = sa.Column(sa.UnicodeText, nullable=False)
    kind = sa.Column(sa.UnicodeText, nullable=False)
    personal = sa.Column(sa.Boolean, nullable=False, default=True)
    count = sa.Column(sa.Integer, nullable=False)
    rows = sa.Column(sa.Integer, nullable=False)
    samples = sa.Column(JSONB, nullable=False, default=list)
    status = sa.Column(sa.UnicodeText, nullable=False, default="open", index=True)
    reason = sa.Column(sa.UnicodeText)
    resolved_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    resolved_at = sa.Column(sa.DateTime)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
