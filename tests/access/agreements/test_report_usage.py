"""Usage reports (Art 24): due on the agreement's schedule, filed by the grantee (usage,
results, incidents), the agency sees the missing ones, reminders before the due date and
when overdue (each once)."""
from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.model import UsageReport
from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli
from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.workdays import add_workdays, today_beijing


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")
REPORT = {"usage": "用于停车诱导模型的训练和验证工作，共使用两次", "results": "模型准确率提升百分之五",
          "incidents": "无"}


def submit(user, report_id, **fields):
    return tk.get_action("lyg_opendata_usage_report_submit")(
        {"user": user["name"]}, {"id": report_id, **{**REPORT, **fields}})


def reports(user, **data):
    return tk.get_action("lyg_opendata_usage_report_list")({"user": user["name"]}, data)


def headers(user):
    return {"Authorization": user["token"]} if user else {}


def test_the_default_report_is_due_working_days_after_the_term(signed):
    start = today_beijing()
    grant = signed(start=start, end=start + dt.timedelta(days=60))
    (report,) = grant["reports"]
    end = start + dt.timedelta(days=60)
    assert report["period_end"] == end.isoformat()
    assert report["due_on"] == add_workdays(end, 10)[0].isoformat()
    assert report["status"] == "upcoming"


def test_the_grantee_files_a_report_once(signed, grantee, people):
    grant = signed()
    report_id = grant["reports"][0]["id"]
    result = submit(grantee, report_id)
    assert result["status"] == "submitted" and result["usage"] == REPORT["usage"]
    assert result["submitted_by"]["name"] == grantee["name"]
    with pytest.raises(tk.ValidationError) as err:
        submit(grantee, report_id)
    assert "id" in err.value.error_dict
    agency = model.Session.query(Notice).filter(
        Notice.user_id == people["agency_editor"]["id"]).all()
    assert any(report_id not in (n.link or "") and "grants" in (n.link or "") for n in agency)


@pytest.mark.parametrize("fields, bad", [
    ({"usage": "太短"}, {"usage"}),
    ({"results": "短"}, {"results"}),
    ({"incidents": ""}, {"incidents"}),
    ({"usage": "", "results": "", "incidents": ""}, {"usage", "results", "incidents"}),
    ({"usage": "长" * 5001}, {"usage"}),
])
def test_report_fields_are_required_with_minimum_lengths(signed, grantee, fields, bad):
    grant = signed()
    with pytest.raises(tk.ValidationError) as err:
        submit(grantee, grant["reports"][0]["id"], **fields)
    assert set(err.value.error_dict) == bad
    assert model.Session.get(UsageReport, grant["reports"][0]["id"]).submitted_at is None


def test_a_report_whose_period_has_not_begun_cannot_be_filed(signed, grantee):
    start = today_beijing()
    grant = signed(start=start, end=start + dt.timedelta(days=200), interval=3)
    with pytest.raises(tk.ValidationError):
        submit(grantee, grant["reports"][1]["id"])
    submit(grantee, grant["reports"][0]["id"])


def test_the_agency_sees_missing_reports(app, signed, grantee, people):
    past = today_beijing() - dt.timedelta(days=120)
    grant = signed(start=past, end=today_beijing() + dt.timedelta(days=100), interval=1)
    overdue = [r for r in grant["reports"] if r["status"] == "overdue"]
    assert len(overdue) >= 2
    missing = reports(people["agency_editor"], scope="agency", status="missing")
    assert [r["id"] for r in missing["results"]] == [r["id"] for r in overdue]
    assert missing["results"][0]["grantee"]["name"] == grantee["name"]
    assert reports(people["other_agency_editor"], scope="agency", status="missing")["count"] == 0
    assert reports(people["supervisor"], scope="all", status="missing")["count"] == len(overdue)
    submit(grantee, overdue[0]["id"])
    assert reports(people["agency_editor"], scope="agency", status="missing")["count"] \
        == len(overdue) - 1
    assert reports(grantee, status="submitted")["count"] == 1
    shown = tk.get_action("lyg_opendata_grant_show")({"user": people["agency_admin"]["name"]},
                                                     {"id": grant["id"]})
    assert shown["reports_overdue"] == len(overdue) - 1
    page = BeautifulSoup(app.get("/opendata/grants", headers=headers(people["agency_admin"])).body,
                         "html.parser")
    assert [tr["data-id"] for tr in page.select("tr.lyg-missing-report")] \
        == [r["id"] for r in overdue[1:]]


def test_reminders_before_due_and_when_overdue_each_once(signed, grantee, people, cli):
    start = today_beijing() - dt.timedelta(days=30)
    grant = signed(start=start, end=start + dt.timedelta(days=60))
    report_id = grant["reports"][0]["id"]
    report = model.Session.get(UsageReport, report_id)
    due = report.due_on
    # long before the due date: nothing
    out = cli.invoke(lyg_cli, ["grants", "report-reminders"])
    assert out.exit_code == 0, out.output
    assert "due soon: 0, overdue: 0" in out.output
    # a working day before: the grantee is reminded, once
    day_before = due - dt.timedelta(days=1)
    out = cli.invoke(lyg_cli, ["grants", "report-reminders", "--today", day_before.isoformat()])
    assert "due soon: 1, overdue: 0" in out.output, out.output
    out = cli.invoke(lyg_cli, ["grants", "report-reminders", "--today", day_before.isoformat()])
    assert "due soon: 0, overdue: 0" in out.output
    # after the due date: the grantee and the agency, once
    after = due + dt.timedelta(days=1)
    out = cli.invoke(lyg_cli, ["grants", "report-reminders", "--today", after.isoformat()])
    assert "due soon: 0, overdue: 1" in out.output, out.output
    out = cli.invoke(lyg_cli, ["grants", "report-reminders", "--today", after.isoformat()])
    assert "overdue: 0" in out.output
    mine = model.Session.query(Notice).filter(Notice.user_id == grantee["id"]).all()
    assert len([n for n in mine if "report" in n.subject.lower() or "报告" in n.subject]) == 2
    agency = model.Session.query(Notice).filter(
        Notice.user_id == people["agency_editor"]["id"]).all()
    assert len([n for n in agency if grantee["fullname"] in n.subject]) == 2  # signed + missing


def test_submitted_reports_get_no_reminder(signed, grantee, cli):
    grant = signed()
    report = model.Session.get(UsageReport, grant["reports"][0]["id"])
    submit(grantee, report.id)
    after = report.due_on + dt.timedelta(days=1)
    out = cli.invoke(lyg_cli, ["grants", "report-reminders", "--today", after.isoformat()])
    assert "due soon: 0, overdue: 0" in out.output


# --- the grantee's page -----------------------------------------------------------------

def test_my_grants_page_lists_agreements_to_sign_grants_and_reports(app, approve, signed,
                                                                   grantee, people):
    grant = signed()
    unsigned = approve(resources=(2,))
    page = BeautifulSoup(app.get("/opendata/my-grants", headers=headers(grantee)).body,
                         "html.parser")
    assert [li["data-id"] for li in page.select(".lyg-agreement-to-sign")] == [unsigned]
    assert [tr["data-id"] for tr in page.select("tr.lyg-grant")] == [grant["id"]]
    report_id = grant["reports"][0]["id"]
    assert page.select_one(f".lyg-report[data-id='{report_id}'] form.lyg-report-form")
    res = app.post(f"/opendata/usage-report/{report_id}", data={**REPORT, "usage": "短"},
                   headers=headers(grantee), status=400)
    errors = BeautifulSoup(res.body, "html.parser").select_one(".lyg-report-errors")
    assert errors is not None
    res = app.post(f"/opendata/usage-report/{report_id}", data=REPORT, headers=headers(grantee),
                   follow_redirects=False, status=302)
    assert res.headers["Location"].endswith("/opendata/my-grants")
    page = BeautifulSoup(app.get("/opendata/my-grants", headers=headers(grantee)).body,
                         "html.parser")
    assert "lyg-report-submitted" in page.select_one(f".lyg-report[data-id='{report_id}']")["class"]
    app.post(f"/opendata/usage-report/{report_id}", data=REPORT,
             headers=headers(people["agency_editor"]), status=403)
    app.get("/opendata/my-grants", status=403)
    empty = BeautifulSoup(app.get("/opendata/my-grants", headers=headers(people["registered"])).body,
                          "html.parser")
    assert empty.select("tr.lyg-grant") == []
