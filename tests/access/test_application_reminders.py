"""Deadline reminders (Art 19, 39): `ckan lyg-opendata applications remind` tells the agency
of applications due within the configured working days and of overdue ones, once each."""
import datetime as dt
import uuid

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.jobs import jobs as jobs_cli
from ckan.tests import factories

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.access.model import Application, ApplicationEvent
from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from tests.access.conftest import act
from tests.conftest import read_mail_to

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")


@pytest.fixture
def clerk(agency):
    user = factories.User(fullname="交通局数据专员", email=f"{uuid.uuid4().hex}@example.invalid")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": user["name"], "role": "editor"})
    return user


def _set(app_id, **values):
    row = model.Session.get(Application, app_id)
    for k, v in values.items():
        setattr(row, k, v)
    model.Session.commit()


def _remind(cli, *args):
    result = cli.invoke(lyg_cli, ["applications", "remind", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _reminders(app_id):
    return [e.action for e in model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.application_id == app_id,
        ApplicationEvent.action.like("remind_%")).order_by(ApplicationEvent.created)]


def test_reminder_before_the_deadline_and_when_it_passes_once_each(cli, apply, clerk, mail_dir):
    app_id = apply()["id"]
    before = len(notify.notices_for(clerk["id"]))
    # far from the deadline: nothing
    assert "reminders: 0" in _remind(cli)
    # two working days left (the default): one reminder
    _set(app_id, deadline_workdays=2)
    assert "reminders: 1" in _remind(cli, "--dry-run")
    assert _reminders(app_id) == []
    out = _remind(cli)
    assert "due: " + app_id in out and "reminders: 1" in out
    assert model.Session.get(Application, app_id).reminded_on == today_beijing()
    assert len(notify.notices_for(clerk["id"])) == before + 1
    assert "reminders: 0" in _remind(cli)  # not twice
    # the deadline has passed: one more
    _set(app_id, received_on=today_beijing() - dt.timedelta(days=30))
    assert "overdue: " + app_id in _remind(cli)
    assert "reminders: 0" in _remind(cli)
    assert _reminders(app_id) == ["remind_due", "remind_overdue"]
    notices = notify.notices_for(clerk["id"])
    assert len(notices) == before + 2 and notices[0].link.endswith(f"/opendata/application/{app_id}")
    # the mail goes through the job queue
    result = cli.invoke(jobs_cli, ["worker", "--burst"])
    assert result.exit_code == 0, result.output
    subjects = [m["Subject"] for m in read_mail_to(mail_dir, clerk["email"])]
    assert len(subjects) == 3 and all("公交车辆实时位置" in s for s in subjects)  # new, due, overdue


def test_no_reminder_while_paused_or_after_the_decision(cli, apply, applicant, people):
    paused = apply()["id"]
    act("lyg_opendata_application_request_info", people["agency_editor"], id=paused,
        message="请补充课题立项文件。")
    decided = apply(user=people["registered"])["id"]
    act("lyg_opendata_application_refuse", people["agency_editor"], id=decided,
        reason="用途不符合开放条件", basis="第十条")
    for app_id in (paused, decided):
        _set(app_id, received_on=today_beijing() - dt.timedelta(days=60))
    assert "reminders: 0" in _remind(cli)


def test_remind_refreshes_the_cached_due_date_once_a_year_is_loaded(cli, apply, tmp_path):
    app_id = apply()["id"]
    year = today_beijing().year + 5  # surely not loaded
    _set(app_id, received_on=dt.date(year, 12, 24), due_on=dt.date(year, 12, 24))
    _remind(cli)
    row = model.Session.get(Application, app_id)
    model.Session.refresh(row)
    assert row.due_provisional is True
    assert row.due_on == Calendar().add_workdays(dt.date(year, 12, 24), 10)[0]


def test_personal_data_is_erased_after_the_retention_period(cli, apply, people, applicant):
    refused = apply()["id"]
    act("lyg_opendata_application_refuse", people["agency_editor"], id=refused,
        reason="用途不符合开放条件", basis="第十条")
    recent = apply(user=people["registered"], applicant_type="individual", applicant_name="李四")["id"]
    act("lyg_opendata_application_withdraw", people["registered"], id=recent)
    still_open = apply(user=people["other_agency_editor"])["id"]
    long_ago = dt.datetime(2020, 1, 6, 2, 0)
    _set(refused, decided_at=long_ago)
    _set(still_open, received_on=dt.date(2020, 1, 6))
    out = cli.invoke(lyg_cli, ["applications", "erase-personal-data", "--dry-run"]).output
    assert f"erased: {refused}" in out and "applications: 1" in out
    assert model.Session.get(Application, refused).contact_phone == "13812345678"
    out = cli.invoke(lyg_cli, ["applications", "erase-personal-data"]).output
    assert "applications: 1" in out
    row = model.Session.get(Application, refused)
    model.Session.refresh(row)
    assert (row.contact_name, row.contact_phone, row.contact_email) == (None, None, None)
    assert row.applicant_name == "连云港某某交通科技有限公司"  # an organization's name is no personal data
    assert row.refusal_reason and row.purpose  # the record of the decision stays
    assert _reminders(refused) == [] and "erase_personal_data" in [
        e["action"] for e in act("lyg_opendata_application_events", applicant, id=refused)]
    for app_id in (recent, still_open):
        assert model.Session.get(Application, app_id).contact_phone == "13812345678"
    assert "applications: 0" in cli.invoke(lyg_cli, ["applications", "erase-personal-data"]).output
