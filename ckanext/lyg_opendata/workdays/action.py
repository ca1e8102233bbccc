"""Actions of the working-day calendar: the loaded years, a year's days, loading a year,
and the deadline "within N working days of receipt"."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.workdays import calendar, loader
from ckanext.lyg_opendata.validation import iso_date, max_length
from ckanext.lyg_opendata.validation import validate as _validate

_ = tk._
MAX_N = 366


_date = iso_date


def _year(value: Any, context) -> int:
    try:
        return loader.check_year(value)
    except loader.LoadError as e:
        raise tk.Invalid(e.errors[0])


def _show(year: int) -> dict[str, Any]:
    summary = loader.year_summary(year)
    if summary is None:
        raise tk.ObjectNotFound(_("{year} is not loaded: deadlines in it are provisional "
                                  "(weekends only)").format(year=year))
    summary["days"] = [dict(day.as_dict(), weekday=day.date.isoweekday())
                       for day in loader.year_days(year)]
    return summary


@tk.side_effect_free
def lyg_opendata_calendar_year_list(context, data_dict):
    """The years whose working-day schedule is loaded.

    :returns: a list of ``year``, ``source``, ``loaded_at`` (UTC), ``loaded_by`` (user name),
        ``holidays`` and ``workdays`` (how many of each kind of day)
    """
    tk.check_access("lyg_opendata_calendar_year_list", context, data_dict)
    return loader.year_summaries()


@tk.side_effect_free
def lyg_opendata_calendar_year_show(context, data_dict):
    """A loaded year and its special days (404 if the year is not loaded).

    :param year: the year, e.g. ``2026``
    :returns: the fields of ``lyg_opendata_calendar_year_list`` plus ``days``: ``date``,
        ``kind`` (``holiday``: a statutory holiday; ``workday``: a Saturday or Sunday that
        is a working day, 调休), ``name`` (e.g. 国庆节) and ``weekday`` (1 Monday … 7 Sunday)
    """
    tk.check_access("lyg_opendata_calendar_year_show", context, data_dict)
    v = tk.get_validator
    data = _validate(data_dict, {"year": [v("not_empty"), _year]})
    return _show(data["year"])


def lyg_opendata_calendar_year_load(context, data_dict):
    """Load a year's schedule, in one transaction. Sysadmins and supervisors.

    :param year: the year
    :param from_library: ``true`` to take the year from the chinesecalendar library (for the
        years it knows); otherwise give ``rows``
    :param rows: the year's holidays and makeup working days: a list of ``{"date":
        "2027-10-01", "kind": "holiday" | "workday", "name": "国庆节"}``; Mondays to Fridays
        not listed are working days, Saturdays and Sundays not listed are not
    :param source: where the schedule comes from, e.g. the State Council's notice
        (optional, default ``api`` or the library's name and version)
    :param replace: ``true`` to replace a year already loaded (default ``false``: a loaded
        year is an error)
    :returns: the year as ``lyg_opendata_calendar_year_show`` gives it
    """
    tk.check_access("lyg_opendata_calendar_year_load", context, data_dict)
    v = tk.get_validator
    rows = (data_dict or {}).get("rows")  # a list of objects: checked by loader.validate
    data = _validate({key: val for key, val in (data_dict or {}).items() if key != "rows"}, {
        "year": [v("not_empty"), _year],
        "from_library": [v("default")(False), v("boolean_validator")],
        "replace": [v("default")(False), v("boolean_validator")],
        "source": [v("ignore_missing"), v("unicode_safe"), v("strip_value"), max_length(200)],
    })
    if data["from_library"] == (rows is not None):
        raise tk.ValidationError({"rows": [_("Give either {rows} or {from_library}").format(
            rows="rows", from_library="from_library = true")]})
    user = model.User.get(context.get("user") or "")
    user_id = user.id if user else None
    year = data["year"]
    try:
        if data["from_library"]:
            days = loader.library_days(year)
            source = data.get("source") or f"{loader.LIBRARY} {loader.library_version()}"
        else:
            days = loader.validate(year, loader.rows_from_list(rows))
            source = data.get("source") or "api"
        loader.store(year, days, source, user_id=user_id, replace=data["replace"])
    except loader.AlreadyLoaded as e:
        raise tk.ValidationError({"replace": e.errors})
    except loader.LoadError as e:
        raise tk.ValidationError({"from_library" if data["from_library"] else "rows": e.errors})
    return _show(year)


@tk.side_effect_free
def lyg_opendata_workdays_add(context, data_dict):
    """The deadline "within ``n`` working days of receipt": the day of receipt is not
    counted; weekends and statutory holidays are skipped, 调休 working days count.

    :param received: the day of receipt (``YYYY-MM-DD``, a Beijing day)
    :param n: working days (0 to 366)
    :returns: ``received``, ``n``, ``deadline`` (the last day, which ends at 24:00 Beijing
        time), ``days_left`` (working days from today, Beijing time, to the deadline;
        negative when past), ``overdue`` (today is after the deadline), ``today`` and
        ``provisional`` (``true`` when a year involved is not loaded: computed on weekdays
        only, final once the year is loaded)
    """
    tk.check_access("lyg_opendata_workdays_add", context, data_dict)
    v = tk.get_validator
    data = _validate(data_dict, {
        "received": [v("not_empty"), _date],
        "n": [v("not_missing"), v("natural_number_validator"), v("int_validator")],
    })
    n = data["n"]
    if n > MAX_N:
        raise tk.ValidationError({"n": [_("At most {max} working days").format(max=MAX_N)]})
    cal = calendar.Calendar()
    deadline, provisional = cal.add_workdays(data["received"], n)
    today = calendar.today_beijing()
    left, left_provisional = cal.workdays_between(today, deadline)
    return {"received": data["received"].isoformat(), "n": n,
            "deadline": deadline.isoformat(), "provisional": provisional or left_provisional,
            "today": today.isoformat(), "days_left": left, "overdue": today > deadline}
