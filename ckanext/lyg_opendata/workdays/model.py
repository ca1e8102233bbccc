"""Tables of the working-day calendar: the years an operator has loaded, and the days of
those years that differ from the Monday–Friday rule. Schema changes go through alembic
(migration/lyg_opendata/versions/0002_calendar.py)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

HOLIDAY = "holiday"  # a statutory holiday (法定节假日), whatever day of the week
WORKDAY = "workday"  # a weekend day declared a working day (调休上班)
KINDS = (HOLIDAY, WORKDAY)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class CalendarYear(tk.BaseModel):
    """A year whose schedule is loaded. A year without a row here is *not loaded*: its
    deadlines are computed on weekdays only and are provisional."""
    __tablename__ = "lyg_opendata_calendar_year"

    year = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    source = sa.Column(sa.UnicodeText, nullable=False)
    loaded_at = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    loaded_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))


class CalendarDay(tk.BaseModel):
    """A holiday, or a weekend day that is a working day (调休), of a loaded year."""
    __tablename__ = "lyg_opendata_calendar_day"
    __table_args__ = (
        sa.CheckConstraint("kind in ('holiday', 'workday')",
                           name="lyg_opendata_calendar_day_kind_check"),
        sa.CheckConstraint("extract(year from date) = year",
                           name="lyg_opendata_calendar_day_year_check"),
    )

    date = sa.Column(sa.Date, primary_key=True)
    year = sa.Column(sa.Integer, sa.ForeignKey("lyg_opendata_calendar_year.year",
                                               ondelete="CASCADE"),
                     nullable=False, index=True)
    kind = sa.Column(sa.UnicodeText, nullable=False)
    name = sa.Column(sa.UnicodeText, nullable=False, default="")
