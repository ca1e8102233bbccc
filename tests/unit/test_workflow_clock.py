"""``workflow.clock`` counts the days left only for a running clock: a stopped one (a
published entry, an answered application) does not walk the calendar up to today, which on
a list of old entries cost seconds (every day of every year since each start)."""
import datetime as dt

from ckanext.lyg_opendata import workflow
from ckanext.lyg_opendata.workdays.calendar import Calendar


class NoYears(Calendar):
    """No stored years (every day provisional) and no walk to today allowed."""

    def __init__(self):
        super().__init__(session=object())
        self.walks = 0

    def year(self, year):
        return None

    def workdays_between(self, start, end):
        self.walks += 1
        return super().workdays_between(start, end)


def test_a_stopped_clock_has_no_days_left_and_does_not_count_them():
    cal = NoYears()
    info = workflow.clock(dt.date(2020, 1, 6), 20, False, cal, today=dt.date(2026, 11, 30))
    assert info == {"deadline": "2020-02-03", "deadline_provisional": True, "days_left": None,
                    "overdue": False}
    assert cal.walks == 0


def test_a_running_clock_counts_the_days_left():
    cal = NoYears()
    info = workflow.clock(dt.date(2026, 11, 2), 20, True, cal, today=dt.date(2026, 11, 27))
    assert info["deadline"] == "2026-11-30" and info["days_left"] == 1
    assert not info["overdue"] and cal.walks == 1
