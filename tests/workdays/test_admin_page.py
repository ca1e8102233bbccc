"""The admin page ``/opendata/calendar``: sysadmins and supervisors see the loaded years,
upload a year's CSV, load a year from the library; everyone else is refused."""
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.workdays import loader

from tests.conftest import ROLES
from tests.workdays.conftest import CSV_2027

LOADERS = {"supervisor", "sysadmin"}
pytestmark = pytest.mark.usefixtures("calendar_2026")


def header(user):
    return {"Authorization": user["token"]} if user else {}


def upload(app, user, year, content, status, **fields):
    data = {"year": str(year), "file": (io.BytesIO(content.encode("utf-8")), f"{year}.csv")}
    data.update(fields)
    return app.post("/opendata/calendar", data=data, headers=header(user), status=status,
                    follow_redirects=False)


@pytest.mark.parametrize("role", ROLES)
def test_only_sysadmins_and_supervisors_reach_the_page(app, people, role):
    status = 200 if role in LOADERS else 403
    app.get("/opendata/calendar", headers=header(people[role]), status=status)
    app.get("/opendata/calendar/2026", headers=header(people[role]), status=status)
    app.get("/opendata/calendar/2026.csv", headers=header(people[role]), status=status)
    upload(app, people[role], 2027, CSV_2027, 302 if role in LOADERS else 403)
    assert (loader.year_summary(2027) is not None) == (role in LOADERS)


def test_the_page_lists_the_loaded_years_and_warns_of_missing_ones(app, people):
    res = app.get("/opendata/calendar", headers=header(people["supervisor"]), status=200)
    page = BeautifulSoup(res.body, "html.parser")
    rows = page.select("tr.lyg-calendar-year")
    assert [r["data-year"] for r in rows] == ["2026"]
    cells = [td.get_text(strip=True) for td in rows[0].select("td")]
    assert cells[:3] == ["2026", "33", "6"] and cells[3].startswith("chinesecalendar")
    assert str(workdays.today_beijing().year) in cells[4]  # loaded at: today
    this_year = workdays.today_beijing().year
    missing = {int(div["data-year"]) for div in page.select(".lyg-calendar-missing")}
    assert missing == {y for y in (this_year, this_year + 1) if y != 2026}
    assert page.select_one("form.lyg-calendar-upload input[type=file]") is not None


def test_upload_a_csv_then_see_the_year(app, people):
    res = upload(app, people["supervisor"], 2027, CSV_2027, 302, source="国办发明电〔2026〕X号")
    assert res.headers["Location"].endswith("/opendata/calendar/2027")
    summary = loader.year_summary(2027)
    assert (summary["source"], summary["loaded_by"]) == ("国办发明电〔2026〕X号",
                                                         people["supervisor"]["name"])
    res = app.get("/opendata/calendar/2027", headers=header(people["supervisor"]), status=200)
    page = BeautifulSoup(res.body, "html.parser")
    days = {tr["data-date"]: tr.get_text(" ", strip=True)
            for tr in page.select("tr.lyg-calendar-day")}
    assert len(days) == 13 and "春节" in days["2027-02-20"]
    assert page.select_one("tr.lyg-calendar-workday")["data-date"] == "2027-02-20"
    csv_res = app.get("/opendata/calendar/2027.csv", headers=header(people["supervisor"]),
                      status=200)
    assert csv_res.body.lstrip("\ufeff") == CSV_2027
    assert workdays.add_workdays(dt.date(2026, 12, 24), 10) == (dt.date(2027, 1, 8), False)


def test_a_bad_upload_shows_each_bad_line_and_loads_nothing(app, people):
    res = upload(app, people["sysadmin"], 2027,
                 "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,x\n", 400)
    errors = BeautifulSoup(res.body, "html.parser").select(".lyg-calendar-errors li")
    assert len(errors) == 1 and "3" in errors[0].get_text() and "2027-01-04" in errors[0].get_text()
    assert loader.year_summary(2027) is None


def test_a_loaded_year_is_replaced_only_with_the_box_ticked(app, people):
    user = people["sysadmin"]
    upload(app, user, 2026, "2026-10-01,holiday,国庆节\n", 400)
    assert len(loader.year_days(2026)) == 39
    upload(app, user, 2026, "2026-10-01,holiday,国庆节\n", 302, replace="true")
    assert len(loader.year_days(2026)) == 1


def test_load_a_year_from_the_library_on_the_page(app, people):
    user = people["supervisor"]
    app.post("/opendata/calendar", data={"year": "2026", "from_library": "true",
                                         "replace": "true"},
             headers=header(user), status=302, follow_redirects=False)
    assert loader.year_summary(2026)["loaded_by"] == user["name"]
    res = app.post("/opendata/calendar", data={"year": "2027", "from_library": "true"},
                   headers=header(user), status=400)
    assert "2027" in BeautifulSoup(res.body, "html.parser").select_one(
        ".lyg-calendar-errors").get_text()


def test_missing_file_and_unknown_year(app, people):
    user = people["sysadmin"]
    app.post("/opendata/calendar", data={"year": "2027"}, headers=header(user), status=400)
    app.post("/opendata/calendar", data={"year": "x"}, headers=header(user), status=400)
    app.get("/opendata/calendar/2027", headers=header(user), status=404)
    app.get("/opendata/calendar/2027.csv", headers=header(user), status=404)


def test_the_page_in_english(app, people):
    res = app.get("/en/opendata/calendar", headers=header(people["sysadmin"]), status=200)
    assert "Working-day calendar" in res.body and "Load a year from a CSV file" in res.body


def test_the_page_and_its_errors_in_chinese(app, people):
    res = app.get("/opendata/calendar", headers=header(people["supervisor"]), status=200)
    assert "工作日日历" in res.body and "从 CSV 文件加载年度安排" in res.body
    res = upload(app, people["supervisor"], 2027,
                 "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,x\n", 400)
    (error,) = BeautifulSoup(res.body, "html.parser").select(".lyg-calendar-errors li")
    assert error.get_text(strip=True).startswith("第 3 行：2027-01-04 是周一至周五")
    res = app.get("/opendata/calendar/2026", headers=header(people["supervisor"]), status=200)
    row = BeautifulSoup(res.body, "html.parser").select_one('tr[data-date="2026-10-10"]')
    assert [td.get_text(strip=True) for td in row.select("td")] == [
        "2026-10-10", "周六", "调休上班日", "国庆节"]
