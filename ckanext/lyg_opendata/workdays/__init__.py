"""The Chinese working-day calendar (工作日), shared by every workflow with a deadline in
working days: applications (Art 19, 10 working days), disclosure on application (15 + 15)
and objections (configurable).

    from ckanext.lyg_opendata import workdays
    deadline, provisional = workdays.add_workdays(received, 10)
    left, _ = workdays.workdays_between(workdays.today_beijing(), deadline)
    overdue = workdays.today_beijing() > deadline

A result is *provisional* when it depends on a year whose schedule is not loaded in
``lyg_opendata_calendar_year`` (weekends only are skipped there); show it as such and
compute it again, it becomes final once the year is loaded. For many deadlines at once use
one :class:`Calendar`. Loading a year: :mod:`.loader`, the ``ckan lyg-opendata calendar``
commands, the ``lyg_opendata_calendar_year_load`` action or ``/opendata/calendar``.
"""
from ckanext.lyg_opendata.workdays.calendar import (  # noqa: F401
    BEIJING,
    Calendar,
    add_workdays,
    day_end_utc,
    is_workday,
    loaded_years,
    today_beijing,
    workdays_between,
)

__all__ = ["BEIJING", "Calendar", "add_workdays", "day_end_utc", "is_workday",
           "loaded_years", "today_beijing", "workdays_between"]
