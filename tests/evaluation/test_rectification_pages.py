"""The rectification pages: list, issue form with the pre-fill, a notice's page with the
forms of whoever may act; 403 for those the auth functions refuse, 404 for unknown ones."""
from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.access.model import Application

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _env(user):
    return {"Authorization": user["token"]} if user else {}


def _get(app, url, user, status=200):
    # the pages log in with the session; the test client signs in by API token
    return app.get(url, headers=_env(user), status=status)


@pytest.fixture
def notice(people, agency):
    return tk.get_action("lyg_opendata_rectification_issue")(
        {"user": people["supervisor"]["name"]},
        {"organization": agency["name"], "ground": "standards",
         "findings": "数据格式不符合统一标准。", "requirement": "请按统一标准重新发布。"})


def test_pages_by_role(app, people, notice):
    url = f"/opendata/rectifications/{notice['id']}"
    for role in ("supervisor", "agency_editor", "agency_admin", "sysadmin"):
        soup = BeautifulSoup(_get(app, url, people[role]).body, "html.parser")
        assert "数据格式不符合统一标准。" in soup.select_one(".lyg-rectification-findings").get_text()
        forms = {f["class"][-1] for f in soup.select("form[class*=lyg-rectification-]")}
        if role in ("agency_editor", "agency_admin"):
            assert forms == {"lyg-rectification-respond"}
        elif role == "supervisor":
            assert forms == {"lyg-rectification-escalate"}
        else:  # sysadmin: platform operator, may respond too
            assert forms == {"lyg-rectification-respond", "lyg-rectification-escalate"}
    for role in ("registered", "other_agency_editor"):
        _get(app, url, people[role], status=403)
        _get(app, "/opendata/rectifications/new", people[role], status=403)
    _get(app, "/opendata/rectifications", people["registered"], status=403)
    _get(app, "/opendata/rectifications/no-such-notice", people["supervisor"], status=404)
    # anonymous visitors are asked to log in
    resp = app.get(url, status=302, follow_redirects=False)
    assert "/user/login" in resp.headers["Location"]
    index = BeautifulSoup(_get(app, "/opendata/rectifications", people["agency_editor"]).body,
                          "html.parser")
    assert index.select_one(f'[data-rectification="{notice["id"]}"]') is not None
    assert index.select_one(".lyg-rectification-new") is None


def test_issue_form_prefills_and_reports_field_errors(app, people, agency, published_dataset):
    ds = published_dataset(name="rp-water", title="用水户信息", open_type="conditional",
                           open_conditions="仅限科研")
    today = workdays.today_beijing()
    model.Session.add(Application(
        package_id=ds["id"], org_id=agency["id"], user_id=people["registered"]["id"],
        status="submitted", purpose="科研", scenario="分析", security_measures="加密",
        term_start=today, term_end=today, received_on=today - dt.timedelta(days=40),
        due_on=today - dt.timedelta(days=25)))
    model.repo.commit()
    sup = people["supervisor"]
    page = _get(app, f"/opendata/rectifications/new?organization={agency['name']}&ground=applications", sup)
    soup = BeautifulSoup(page.body, "html.parser")
    assert "用水户信息" in soup.select_one("#field-findings").get_text()
    # the supervising body is not in the list of agencies
    options = [o["value"] for o in soup.select("#field-organization option")]
    assert agency["name"] in options
    assert tk.config.get("ckanext.lyg_opendata.supervisor_org") not in options
    resp = app.post("/opendata/rectifications/new", headers=_env(sup), data={
        "organization": agency["name"], "ground": "applications", "findings": "",
        "requirement": "请答复。", "deadline_days": "abc", "save": "issue"})
    soup = BeautifulSoup(resp.body, "html.parser")
    assert soup.select_one(".alert-danger") is not None
    errors = " ".join(e.get_text() for e in soup.select(".error-block, .invalid-feedback"))
    assert errors.strip(), resp.body[:2000]
    resp = app.post("/opendata/rectifications/new", headers=_env(sup), data={
        "organization": agency["name"], "ground": "applications", "findings": "有一件申请超期未答复。",
        "requirement": "请答复。", "deadline_days": "5", "save": "issue"}, follow_redirects=False)
    assert resp.status_code == 302 and "/opendata/rectifications/" in resp.headers["Location"]


def test_transition_form_errors_are_shown_not_500(app, people, notice):
    url = f"/opendata/rectifications/{notice['id']}/respond"
    resp = app.post(url, headers=_env(people["agency_editor"]), data={"text": ""})
    assert resp.status_code == 200
    assert "alert" in resp.body
    app.post(url, headers=_env(people["registered"]), data={"text": "已完成整改"}, status=403)
    app.post(f"/opendata/rectifications/{notice['id']}/dance",
             headers=_env(people["supervisor"]), data={"text": "x"}, status=404)
