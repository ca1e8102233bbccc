"""The applicant asked to amend (补正) is reminded before the time to amend ends: by the daily
``ckan lyg-opendata disclosure remind``, ``correction_reminder_days`` (3) working days or
fewer before the last day, once per request for an amendment (an event), across 国庆 and
a 调休 Saturday."""
import datetime as dt

import pytest
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs

from ckanext.lyg_opendata.disclosure import reminders
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent
from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.workdays import loader

from tests.disclosure.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

TEXT = "请写明所需信息的名称、文号或者便于查询的其他特征性描述。"


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_disclosure_{name}")(ctx(user), data)


def at(day: str) -> str:
    """10:00 in Beijing on ``day``."""
    return f"{day} 02:00:00"


@pytest.fixture
def asked(people, apply):
    """An application asked to amend on ``day`` (the 2026 calendar loaded)."""
    loader.load_library_year(2026)

    def run(day):
        with freeze_time(at(day)):
            req = apply()
            return act("request_correction", people["agency_editor"], id=req["id"], text=TEXT)
    return run


def remind(cli, day, *args):
    from ckan.cli.cli import ckan
    with freeze_time(at(day)):
        out = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind", *args])
    assert out.exit_code == 0, out.output
    return out.output


def told(user_id):
    return model.Session.query(Notice).filter(Notice.user_id == user_id).order_by(
        Notice.created).all()


def reminded(req_id):
    return model.Session.query(DisclosureEvent).filter(
        DisclosureEvent.request_id == req_id, DisclosureEvent.action == "remind_amend").all()


def test_reminded_three_working_days_before_across_guoqing_and_tiaoxiu_once(cli, asked, applicant):
    # asked Mon 14 Sep: last day Sat 10 Oct (调休); 3 working days left from Wed 30 Sep
    # (8, 9, 10 Oct: 国庆 1-7 Oct off). Asked Tue 15 Sep: last day Mon 12 Oct; 3 left from
    # Thu 8 Oct (9, 10 — the 调休 Saturday —, 12 Oct); 4 on every day of the holiday.
    first, second = asked("2026-09-14"), asked("2026-09-15")
    assert (first["correction_due"], second["correction_due"]) == ("2026-10-10", "2026-10-12")
    jobs.get_queue().empty()
    before = len(told(applicant["id"]))
    assert "applicants reminded to amend: 0 due" in remind(cli, "2026-09-29")
    out = remind(cli, "2026-09-30")
    assert "applicants reminded to amend: 1 due, 1 reminded, notice to 1 person(s)" in out
    notices = told(applicant["id"])[before:]
    assert len(notices) == 1
    assert first["number"] in notices[0].subject and "2026-10-10" in notices[0].subject
    assert "3" in notices[0].body and TEXT in notices[0].body
    # the email goes with the notice (the mail job queue)
    titles = [j.meta.get("title", "") for j in jobs.get_queue().jobs]
    assert any(first["number"] in t and "2026-10-10" in t for t in titles), titles
    [event] = reminded(first["id"])
    assert event.actor_role == "system" and event.from_status == event.to_status == "correction_requested"
    assert event.data["day"] == "2026-09-30" and event.data["correction_due"] == "2026-10-10"
    # the same day again (--force passes the once-a-day guard) and during the holiday: the
    # first is not reminded twice, the second has 4 working days left
    assert "1 reminded" not in remind(cli, "2026-09-30", "--force")
    assert "applicants reminded to amend: 0 due" in remind(cli, "2026-10-03")
    out = remind(cli, "2026-10-08")
    assert "applicants reminded to amend: 1 due, 1 reminded" in out
    assert len(reminded(second["id"])) == 1 and len(reminded(first["id"])) == 1
    # the 调休 Saturday, the last day of the first: nothing twice; after it: the lapse job's
    assert "applicants reminded to amend: 0 due" in remind(cli, "2026-10-10")
    assert "applicants reminded to amend: 0 due" in remind(cli, "2026-10-12", "--force")
    assert len(told(applicant["id"])) == before + 2
    shown = act("show", applicant, id=first["id"])
    assert [e["action"] for e in shown["events"]][-1] == "remind_amend"


def test_a_new_request_for_an_amendment_is_reminded_again(cli, people, asked, applicant):
    req = asked("2026-09-14")
    remind(cli, "2026-09-30")
    with freeze_time(at("2026-10-08")):
        act("amend", applicant, id=req["id"], description="请公开停车场管理办法的起草说明。")
        act("request_correction", people["agency_editor"], id=req["id"], text=TEXT)
    # asked again Thu 8 Oct: 15 working days (the 调休 Saturday 10 Oct one) → Wed 28 Oct;
    # 3 left from Fri 23 Oct
    assert "applicants reminded to amend: 0 due" in remind(cli, "2026-10-22")
    assert "1 reminded" in remind(cli, "2026-10-23")
    assert [e.data["correction_due"] for e in sorted(reminded(req["id"]), key=lambda e: e.created)] == [
        "2026-10-10", "2026-10-28"]


def test_dry_run_and_letters(cli, people, agency, asked, applicant):
    req = asked("2026-09-14")
    out = remind(cli, "2026-09-30", "--dry-run")
    assert "applicants reminded to amend: 1 due" in out and "reminded," not in out
    assert reminded(req["id"]) == []
    # a registered letter has no account to tell: counted, not reminded
    with freeze_time(at("2026-09-14")):
        letter = act("register", people["agency_editor"], channel="letter", organization=agency["id"],
                     applicant_type="individual", applicant_name="李四", id_type="resident_id",
                     id_number="11010519491231002X", phone="13812345678", address="连云港市海州区",
                     description="请公开2025年度市区公共停车场建设项目的招标文件。", delivery="post")
        act("request_correction", people["agency_editor"], id=letter["id"], text=TEXT)
    out = remind(cli, "2026-09-30")
    assert "applicants reminded to amend: 2 due, 1 reminded" in out
    assert reminded(letter["id"]) == []


@pytest.mark.ckan_config("ckanext.lyg_opendata.disclosure.correction_reminder_days", "0")
def test_zero_days_sends_no_reminder(cli, asked):
    req = asked("2026-09-14")
    assert "applicants reminded to amend: 0 due" in remind(cli, "2026-10-09")
    assert reminders.amend_due(dt.date(2026, 10, 10)) == [] and reminded(req["id"]) == []
