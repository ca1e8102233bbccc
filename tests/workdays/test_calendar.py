"""The rules of "within N working days of receipt" on the 2026 schedule: the day of receipt
is not counted, weekends and statutory holidays are skipped, 调休 weekend working days
count; a year that is not loaded in the project's own table gives provisional answers
(weekdays only) until it is loaded."""
import datetime as dt

import chinese_calendar
import pytest
from freezegun import freeze_time

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.workdays import Calendar, loader

from tests.workdays.conftest import CSV_2027

D = dt.date
pytestmark = pytest.mark.usefixtures("with_plugins")


# --- the 2026 schedule -----------------------------------------------------------------

@pytest.mark.usefixtures("calendar_2026")
@pytest.mark.parametrize("day, name", [
    (D(2026, 1, 1), "元旦"), (D(2026, 2, 16), "春节"), (D(2026, 2, 23), "春节"),
    (D(2026, 4, 6), "清明节"), (D(2026, 5, 5), "劳动节"), (D(2026, 6, 19), "端午节"),
    (D(2026, 9, 25), "中秋节"), (D(2026, 10, 1), "国庆节"), (D(2026, 10, 7), "国庆节")])
def test_statutory_holidays_of_2026_on_weekdays_are_not_working_days(day, name):
    assert day.weekday() < 5
    assert workdays.is_workday(day) == (False, False)
    assert {d.date: d.name for d in loader.year_days(2026)}[day] == name


@pytest.mark.usefixtures("calendar_2026")
@pytest.mark.parametrize("day, name", [
    (D(2026, 1, 4), "元旦"), (D(2026, 2, 14), "春节"), (D(2026, 2, 28), "春节"),
    (D(2026, 5, 9), "劳动节"), (D(2026, 9, 20), "国庆节"), (D(2026, 10, 10), "国庆节")])
def test_makeup_weekend_days_of_2026_are_working_days(day, name):
    assert day.weekday() >= 5
    assert workdays.is_workday(day) == (True, False)
    assert {d.date: (d.kind, d.name) for d in loader.year_days(2026)}[day] == ("workday", name)


@pytest.mark.usefixtures("calendar_2026")
def test_every_day_of_2026_agrees_with_chinesecalendar():
    cal = Calendar()
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert cal.is_workday(day) == (chinese_calendar.is_workday(day), False), day
        day += dt.timedelta(days=1)


@pytest.mark.usefixtures("calendar_2026")
def test_ordinary_weekends_are_not_working_days_and_weekdays_are():
    assert workdays.is_workday(D(2026, 3, 7)) == (False, False)  # Saturday
    assert workdays.is_workday(D(2026, 3, 8)) == (False, False)  # Sunday
    assert workdays.is_workday(D(2026, 3, 9)) == (True, False)  # Monday


# --- deadlines -------------------------------------------------------------------------

@pytest.mark.usefixtures("calendar_2026")
@pytest.mark.parametrize("received, n, due", [
    # 国庆 and 中秋: Sunday 20 September is worked, 25–27 September and 1–7 October are not
    (D(2026, 9, 18), 10, D(2026, 10, 9)),
    # 春节: Saturdays 14 and 28 February are worked, 15–23 February are not
    (D(2026, 2, 13), 10, D(2026, 3, 5)),
    # the makeup Saturday after 国庆 counts: Fri 9 October, Sat 10 October
    (D(2026, 10, 8), 2, D(2026, 10, 10)),
    (D(2026, 9, 30), 3, D(2026, 10, 10)),
    # 劳动节 1–5 May, Saturday 9 May worked
    (D(2026, 4, 30), 3, D(2026, 5, 8)),
    (D(2026, 4, 30), 4, D(2026, 5, 9)),
    # the disclosure guide's 15 working days: the 11th is the makeup Saturday 10 October
    (D(2026, 9, 18), 15, D(2026, 10, 15)),
])
def test_deadlines_across_2026_holidays_and_makeup_days(received, n, due):
    assert workdays.add_workdays(received, n) == (due, False)


@pytest.mark.usefixtures("calendar_2026")
@pytest.mark.parametrize("received, due", [
    (D(2026, 3, 2), D(2026, 3, 3)),    # Monday: the next day
    (D(2026, 3, 6), D(2026, 3, 9)),    # Friday: Monday
    (D(2026, 3, 7), D(2026, 3, 9)),    # Saturday: Monday
    (D(2026, 3, 8), D(2026, 3, 9)),    # Sunday: Monday
    (D(2026, 10, 1), D(2026, 10, 8)),  # a holiday: the first day after the break
    (D(2026, 9, 19), D(2026, 9, 20)),  # Saturday before a makeup Sunday: that Sunday
])
def test_the_day_of_receipt_is_not_counted(received, due):
    assert workdays.add_workdays(received, 1) == (due, False)


@pytest.mark.usefixtures("calendar_2026")
def test_ten_working_days_from_a_monday_end_on_the_second_friday_after():
    assert workdays.add_workdays(D(2026, 3, 2), 10) == (D(2026, 3, 16), False)
    assert workdays.add_workdays(D(2026, 3, 2), 0) == (D(2026, 3, 2), False)


@pytest.mark.usefixtures("calendar_2026")
def test_negative_or_fractional_days_and_datetimes_are_refused():
    with pytest.raises(ValueError):
        workdays.add_workdays(D(2026, 3, 2), -1)
    with pytest.raises(ValueError):
        workdays.add_workdays(D(2026, 3, 2), 1.5)
    with pytest.raises(TypeError):
        workdays.add_workdays(dt.datetime(2026, 3, 2, 12), 1)


@pytest.mark.usefixtures("calendar_2026")
def test_working_days_left_and_overdue():
    deadline = D(2026, 10, 9)
    assert workdays.workdays_between(D(2026, 9, 18), deadline) == (10, False)
    assert workdays.workdays_between(D(2026, 9, 30), deadline) == (2, False)
    assert workdays.workdays_between(deadline, deadline) == (0, False)  # due today
    assert workdays.workdays_between(D(2026, 10, 12), deadline) == (-2, False)  # Sat 10 worked
    # Sunday 11 October: no working day since the deadline, but the deadline has passed
    assert workdays.workdays_between(D(2026, 10, 11), deadline) == (-1, False)
    assert workdays.workdays_between(D(2026, 3, 7), D(2026, 3, 6)) == (0, False)


@pytest.mark.usefixtures("calendar_2026")
def test_workdays_between_inverts_add_workdays_over_the_whole_year():
    cal = Calendar()
    for received in (D(2026, 1, 1) + dt.timedelta(days=k) for k in range(0, 340, 3)):
        for n in (1, 5, 10, 15):
            due, provisional = cal.add_workdays(received, n)
            assert not provisional
            assert cal.workdays_between(received, due) == (n, False), (received, n)
            assert cal.workdays_between(due, received) == (-n, False)
            assert cal.is_workday(due) == (True, False)


# --- years not loaded ------------------------------------------------------------------

@pytest.mark.usefixtures("calendar_db")
def test_loaded_is_decided_by_the_table_not_by_the_library():
    # chinesecalendar knows 2026, but the project's table does not have it yet
    assert workdays.loaded_years() == []
    assert workdays.add_workdays(D(2026, 9, 18), 10) == (D(2026, 10, 2), True)  # weekdays only
    assert workdays.is_workday(D(2026, 10, 1)) == (True, True)
    assert workdays.is_workday(D(2026, 10, 10)) == (False, True)
    loader.load_library_year(2026)
    assert workdays.loaded_years() == [2026]
    assert workdays.add_workdays(D(2026, 9, 18), 10) == (D(2026, 10, 9), False)


@pytest.mark.usefixtures("calendar_2026")
def test_a_2027_deadline_is_provisional_until_2027_is_loaded_then_recomputed():
    received = D(2026, 12, 24)
    # weekdays only in 2027: Friday 1 January counts
    assert workdays.add_workdays(received, 10) == (D(2027, 1, 7), True)
    assert workdays.add_workdays(D(2026, 12, 31), 1) == (D(2027, 1, 1), True)
    assert workdays.workdays_between(D(2026, 12, 31), D(2027, 1, 7)) == (5, True)
    # a deadline that stays in 2026 is final
    assert workdays.add_workdays(received, 5) == (D(2026, 12, 31), False)

    loader.load_csv(2027, CSV_2027.encode("utf-8"), "file 2027.csv")

    assert workdays.loaded_years() == [2026, 2027]
    assert workdays.add_workdays(received, 10) == (D(2027, 1, 8), False)
    assert workdays.add_workdays(D(2026, 12, 31), 1) == (D(2027, 1, 4), False)
    assert workdays.workdays_between(D(2026, 12, 31), D(2027, 1, 7)) == (4, False)
    # 春节 2027 with its makeup Saturday
    assert workdays.add_workdays(D(2027, 2, 4), 1) == (D(2027, 2, 15), False)
    assert workdays.add_workdays(D(2027, 2, 19), 1) == (D(2027, 2, 20), False)


@pytest.mark.usefixtures("calendar_2026")
def test_a_year_touched_in_between_makes_the_count_provisional():
    # from 2026 into 2028 across an unloaded 2027
    due, provisional = workdays.add_workdays(D(2026, 12, 1), 300)
    assert due.year == 2028 and provisional


# --- Beijing time ----------------------------------------------------------------------

def test_today_is_the_date_in_beijing():
    with freeze_time("2026-11-25 15:59:59"):  # UTC
        assert workdays.today_beijing() == D(2026, 11, 25)
    with freeze_time("2026-11-25 16:00:00"):
        assert workdays.today_beijing() == D(2026, 11, 26)
    assert workdays.today_beijing(dt.datetime(2026, 12, 31, 16, 0)) == D(2027, 1, 1)


def test_a_deadline_day_ends_at_midnight_beijing_time():
    assert workdays.day_end_utc(D(2026, 10, 9)) == dt.datetime(2026, 10, 9, 16, 0)
