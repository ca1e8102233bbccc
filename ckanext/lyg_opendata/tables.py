"""What every table of the extension shares: uuid keys, naive-UTC timestamps and the columns
of a workflow's event row (docs/architecture.md "Workflows have one shape")."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr


def utcnow() -> dt.datetime:
    """Naive UTC, as every timestamp column of the extension stores it."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


class EventColumns:
    """Mixin of a workflow's events table: its key, who acted (kept when the user is purged:
    ``SET NULL``), the step, the states it moved between and when. The table adds the key of
    its workflow row and what else the step records (role, text, data)."""

    id = sa.Column(sa.UnicodeText, primary_key=True, default=new_id)
    action = sa.Column(sa.UnicodeText, nullable=False)
    from_status = sa.Column(sa.UnicodeText)
    to_status = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    @declared_attr
    def actor_id(cls):
        return sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
