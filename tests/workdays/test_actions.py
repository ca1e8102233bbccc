"""The calendar's actions: anyone reads the calendar and computes deadlines; only
sysadmins and supervisors load a year (allow/deny matrix by role, action and API)."""

import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata.workdays import loader

from tests.conftest import ROLES
from tests.workdays.conftest import CSV_2027

LOADERS = {"supervisor", "sysadmin"}
pytestmark = pytest.mark.usefixtures("calendar_2026")


def name(user):
    return user["name"] if user else ""


def header(user):
    return {"Authorization": user["token"]} if user else {}


ROWS_2027 = [dict(zip(["date", "kind", "name"], line.split(",")))
             for line in CSV_2027.splitlines()[1:]]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_calendar_and_computes_deadlines(people, role):
    ctx = {"user": name(people[role]), "ignore_auth": False}
    years = helpers.call_action("lyg_opendata_calendar_year_list", context=dict(ctx))
    assert [y["year"] for y in years] == [2026]
    year = helpers.call_action("lyg_opendata_calendar_year_show", context=dict(ctx), year=2026)
    assert {"date": "2026-10-10", "kind": "workday", "name": "国庆节", "weekday": 6} in year["days"]
    result = helpers.call_action("lyg_opendata_workdays_add", context=dict(ctx),
                                 received="2026-09-18", n=10)
    assert (result["deadline"], result["provisional"]) == ("2026-10-09", False)


@pytest.mark.parametrize("role", ROLES)
def test_only_sysadmins_and_supervisors_load_a_year(people, role):
    ctx = {"user": name(people[role]), "ignore_auth": False}
    if role in LOADERS:
        helpers.call_action("lyg_opendata_calendar_year_load", context=ctx,
                            year=2027, rows=ROWS_2027)
        assert loader.year_summary(2027)["loaded_by"] == people[role]["name"]
        assert loader.year_summary(2027)["source"] == "api"
    else:
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("lyg_opendata_calendar_year_load", context=ctx,
                                year=2027, rows=ROWS_2027)
        assert loader.year_summary(2027) is None


@pytest.mark.parametrize("role", ROLES)
def test_the_api_matrix(app, people, role):
    user = people[role]
    app.get("/api/action/lyg_opendata_calendar_year_list", headers=header(user), status=200)
    res = app.get("/api/action/lyg_opendata_workdays_add?received=2026-12-24&n=10",
                  headers=header(user), status=200).json["result"]
    assert (res["deadline"], res["provisional"]) == ("2027-01-07", True)
    status = 200 if role in LOADERS else 403
    app.post("/api/action/lyg_opendata_calendar_year_load", headers=header(user),
             json={"year": 2027, "rows": ROWS_2027}, status=status)
    res = app.get("/api/action/lyg_opendata_workdays_add?received=2026-12-24&n=10",
                  headers=header(user), status=200).json["result"]
    assert (res["deadline"], res["provisional"]) == (
        ("2027-01-08", False) if role in LOADERS else ("2027-01-07", True))


def test_year_show_of_a_year_not_loaded_is_not_found(app):
    app.get("/api/action/lyg_opendata_calendar_year_show?year=2027", status=404)
    app.get("/api/action/lyg_opendata_calendar_year_show?year=abc", status=409)


def test_load_from_the_library_and_replace(people):
    ctx = {"user": people["supervisor"]["name"], "ignore_auth": False}
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("lyg_opendata_calendar_year_load", context=dict(ctx),
                            year=2026, from_library=True)
    assert "replace" in e.value.error_dict
    result = helpers.call_action("lyg_opendata_calendar_year_load", context=dict(ctx),
                                 year=2026, from_library=True, replace=True)
    assert result["loaded_by"] == people["supervisor"]["name"]
    assert (result["holidays"], result["workdays"]) == (33, 6)
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("lyg_opendata_calendar_year_load", context=dict(ctx),
                            year=2027, from_library=True)
    assert "2027" in e.value.error_dict["from_library"][0]


@pytest.mark.parametrize("data, field", [
    ({"year": 2027}, "rows"),
    ({"year": 2027, "from_library": True, "rows": ROWS_2027}, "rows"),
    ({"year": 2027, "rows": "2027-01-01,holiday"}, "rows"),
    ({"year": 2027, "rows": [{"date": "2027-01-04", "kind": "workday"}]}, "rows"),
    ({"year": "soon", "rows": ROWS_2027}, "year"),
    ({"rows": ROWS_2027}, "year"),
    ({"year": 2027, "rows": ROWS_2027, "source": "x" * 201}, "source"),
])
def test_load_field_errors(people, data, field):
    ctx = {"user": people["sysadmin"]["name"], "ignore_auth": False}
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("lyg_opendata_calendar_year_load", context=ctx, **data)
    assert field in e.value.error_dict, e.value.error_dict
    assert loader.year_summary(2027) is None


def test_load_row_errors_name_the_row(people):
    ctx = {"user": people["sysadmin"]["name"], "ignore_auth": False}
    rows = ROWS_2027 + [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("lyg_opendata_calendar_year_load", context=ctx, year=2027, rows=rows)
    assert e.value.error_dict["rows"] == [
        "Row 14: 2027-01-01 is listed twice (first at Row 1)"]


@pytest.mark.parametrize("data, field", [
    ({"received": "2026-02-30", "n": 10}, "received"),
    ({"received": "2026-09-18T10:00:00", "n": 10}, "received"),
    ({"n": 10}, "received"),
    ({"received": "2026-09-18", "n": -1}, "n"),
    ({"received": "2026-09-18", "n": "ten"}, "n"),
    ({"received": "2026-09-18"}, "n"),
    ({"received": "2026-09-18", "n": 367}, "n"),
])
def test_workdays_add_field_errors(data, field):
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("lyg_opendata_workdays_add", **data)
    assert field in e.value.error_dict


def test_workdays_add_gives_days_left_and_overdue_against_beijing_today():
    # Thursday 8 October 2026 in Beijing (00:30 on the 8th = 16:30 UTC on the 7th)
    with freeze_time("2026-10-07 16:30:00"):
        res = helpers.call_action("lyg_opendata_workdays_add", received="2026-09-18", n=10)
    assert res == {"received": "2026-09-18", "n": 10, "deadline": "2026-10-09",
                   "provisional": False, "today": "2026-10-08", "days_left": 1,
                   "overdue": False}
    with freeze_time("2026-10-09 15:59:59"):  # 23:59:59 in Beijing on the deadline day
        res = helpers.call_action("lyg_opendata_workdays_add", received="2026-09-18", n=10)
    assert (res["days_left"], res["overdue"]) == (0, False)
    with freeze_time("2026-10-09 16:00:00"):  # midnight: the deadline day has ended
        res = helpers.call_action("lyg_opendata_workdays_add", received="2026-09-18", n=10)
    assert (res["today"], res["days_left"], res["overdue"]) == ("2026-10-10", -1, True)
