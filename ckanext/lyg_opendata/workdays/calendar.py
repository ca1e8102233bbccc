"""Working days on the Chinese calendar (工作日).

"Within N working days of receipt" counts from the day after receipt (the day of receipt is
not counted), skips Saturdays, Sundays and statutory holidays, and counts the weekend days
the State Council declares working days (调休上班).

Whether a year's schedule is known is decided by this project's own table
(``lyg_opendata_calendar_year``), never by a library. A computation that touches a year
that is not loaded counts that year's Mondays to Fridays as working days and says so:
its result is *provisional* until the year is loaded, and computing it again then gives
the final answer (nothing is stored, so nothing needs to be recomputed by hand).

Deadlines are dates on the Chinese calendar: a day ends at 24:00 Beijing time.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import ckan.model as model

from ckanext.lyg_opendata.workdays.model import HOLIDAY, WORKDAY, CalendarDay, CalendarYear

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)


def today_beijing(now: Optional[dt.datetime] = None) -> dt.date:
    """The current date in Beijing (a naive ``now`` is taken as UTC)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    return now.astimezone(BEIJING).date()


def day_end_utc(day: dt.date) -> dt.datetime:
    """The instant (naive UTC) a Beijing day ends: 24:00 Beijing time = 16:00 UTC."""
    end = dt.datetime.combine(day + ONE_DAY, dt.time(0), tzinfo=BEIJING)
    return end.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        raise TypeError("a date is expected, not a datetime: take its Beijing day first "
                        "(today_beijing(instant))")
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class Calendar:
    """The calendar as stored, read one year at a time on first use.

    One instance answers many questions with one or two queries per year touched, e.g.
    the deadlines of a whole list of applications; create a new one per request (it does
    not notice years loaded after it read them)."""

    def __init__(self, session=None):
        self._session = session or model.Session
        self._years: dict[int, Optional[dict[dt.date, str]]] = {}
        # answers already given (a list's deadlines share their days): they depend only on
        # the years read, which this instance keeps
        self._answers: dict[tuple, tuple] = {}

    def year(self, year: int) -> Optional[dict[dt.date, str]]:
        """The special days of a loaded year ({date: kind}), or None if it is not loaded."""
        if year not in self._years:
            days = None
            if self._session.get(CalendarYear, year) is not None:
                days = dict(self._session.query(CalendarDay.date, CalendarDay.kind)
                            .filter(CalendarDay.year == year).all())
            self._years[year] = days
        return self._years[year]

    def is_loaded(self, year: int) -> bool:
        return self.year(year) is not None

    def is_workday(self, day) -> tuple[bool, bool]:
        """(whether ``day`` is a working day, whether that answer is provisional)."""
        day = _as_date(day)
        days = self.year(day.year)
        weekday = day.weekday() < 5
        if days is None:
            return weekday, True
        kind = days.get(day)
        if kind == HOLIDAY:
            return False, False
        if kind == WORKDAY:
            return True, False
        return weekday, False

    def add_workdays(self, received, n: int) -> tuple[dt.date, bool]:
        """The N-th working day after ``received`` (the day of receipt is not counted), and
        whether it is provisional (a day examined lies in a year that is not loaded).
        ``n = 0`` gives ``received`` itself."""
        received = _as_date(received)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a whole number of days, 0 or more: {n!r}")
        key = ("add", received, n)
        if key in self._answers:
            return self._answers[key]
        day, provisional, left = received, False, n
        while left:
            day += ONE_DAY
            working, unsure = self.is_workday(day)
            provisional |= unsure
            left -= working
        self._answers[key] = day, provisional
        return day, provisional

    def workdays_between(self, start, end) -> tuple[int, bool]:
        """Working days after ``start`` up to and including ``end`` (negative when ``end``
        is before ``start``), and whether the count is provisional.

        ``workdays_between(today, deadline)`` is the number of working days left (0: due
        today); ``workdays_between(received, add_workdays(received, n)[0]) == n``. A deadline
        has passed when ``today > deadline`` (a Saturday after a Friday deadline is 0
        working days but overdue): compare the dates for the overdue flag."""
        start, end = _as_date(start), _as_date(end)
        key = ("between", start, end)
        if key in self._answers:
            return self._answers[key]
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count, provisional, day = 0, False, start
        while day < end:
            day += ONE_DAY
            working, unsure = self.is_workday(day)
            provisional |= unsure
            count += working
        self._answers[key] = sign * count, provisional
        return sign * count, provisional

    def loaded_years(self) -> list[int]:
        return loaded_years(self._session)


def loaded_years(session=None) -> list[int]:
    """The years whose schedule is loaded, in order."""
    session = session or model.Session
    return [y for (y,) in session.query(CalendarYear.year).order_by(CalendarYear.year)]


def is_workday(day) -> tuple[bool, bool]:
    """(whether ``day`` is a working day, provisional)."""
    return Calendar().is_workday(day)


def add_workdays(received, n: int) -> tuple[dt.date, bool]:
    """(the deadline "within ``n`` working days of receipt", provisional)."""
    return Calendar().add_workdays(received, n)


def workdays_between(start, end) -> tuple[int, bool]:
    """(working days after ``start`` up to ``end``, negative if ``end`` is earlier;
    provisional)."""
    return Calendar().workdays_between(start, end)
