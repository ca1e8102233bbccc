"""The daily reminder of rectification notices (``ckan lyg-opendata rectifications remind``):
the agency hears of its notices due within 3 working days or overdue, supervisors of the
overdue ones; once a day; a dry run sends nothing; answered notices are not reminded."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.evaluation.model import RectificationEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _issue(people, agency, days):
    return tk.get_action("lyg_opendata_rectification_issue")(
        {"user": people["supervisor"]["name"]},
        {"organization": agency["name"], "ground": "standards", "deadline_days": days,
         "findings": "数据格式不符合统一标准。", "requirement": "请按统一标准重新发布。"})


def _subjects(user):
    return [n.subject for n in notify.notices_for(user["id"])]


def test_due_and_overdue_notices_are_reminded_once_a_day(cli, people, agency):
    late = _issue(people, agency, 5)
    answered = _issue(people, agency, 5)
    tk.get_action("lyg_opendata_rectification_respond")(
        {"user": people["agency_admin"]["name"]}, {"id": answered["id"], "text": "已整改完毕"})
    far = _issue(people, agency, 60)
    cal = workdays.Calendar()
    start = workdays.today_beijing()
    day = cal.add_workdays(start, 8)[0]   # 3 working days past the 5-day deadline
    before = {u: len(_subjects(people[u])) for u in ("agency_editor", "supervisor")}

    dry = cli.invoke(lyg_opendata, ["rectifications", "remind", "--today", day.isoformat(),
                                    "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "lyg-jtj-test: 1 due or overdue (1 overdue)" in dry.output
    assert len(_subjects(people["agency_editor"])) == before["agency_editor"]

    run = cli.invoke(lyg_opendata, ["rectifications", "remind", "--today", day.isoformat()])
    assert run.exit_code == 0, run.output
    assert "rectification notices due or overdue: 1" in run.output
    assert len(_subjects(people["agency_editor"])) == before["agency_editor"] + 1
    assert len(_subjects(people["supervisor"])) == before["supervisor"] + 1
    body = notify.notices_for(people["agency_editor"]["id"])[0].body
    assert late["id"] in body and answered["id"] not in body and far["id"] not in body
    events = model.Session.query(RectificationEvent).filter_by(
        rectification_id=late["id"], action="remind").all()
    assert [e.text for e in events] == [day.isoformat()]

    again = cli.invoke(lyg_opendata, ["rectifications", "remind", "--today", day.isoformat()])
    assert "sent already" in again.output
    assert len(_subjects(people["agency_editor"])) == before["agency_editor"] + 1
    # the next day, again
    nxt = cli.invoke(lyg_opendata, ["rectifications", "remind", "--today",
                                    (day + dt.timedelta(days=1)).isoformat()])
    assert "rectification notices due or overdue: 1" in nxt.output
    # the timeline names the reminder
    shown = tk.get_action("lyg_opendata_rectification_show")(
        {"user": people["supervisor"]["name"]}, {"id": late["id"]})
    assert [e["action"] for e in shown["events"]][-2:] == ["remind", "remind"]
