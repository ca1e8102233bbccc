"""An application not amended in time is deemed withdrawn (条例 Art 30): the time to amend on
the working-day calendar, the ``lapse`` transition refused before its end, the daily ``ckan
lyg-opendata disclosure lapse`` job after it, the notices, the yearly table's row."""
import datetime as dt

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.workdays import Calendar, loader, today_beijing

from tests.disclosure.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

# asked on Monday 14 Sep 2026: 15 working days are 15-18 Sep, the 调休 Sunday 20 Sep,
# 21-24 Sep (中秋 25 Sep off), 28-30 Sep (国庆 1-7 Oct off), 8-9 Oct and the 调休
# Saturday 10 Oct — the last day to amend
ASKED = "2026-09-14 02:00:00"
LAST_DAY_END = "2026-10-10 15:59:59"     # 23:59:59 on Saturday 10 Oct in Beijing
NEXT_DAY = "2026-10-10 16:00:00"         # midnight in Beijing: Sunday 11 Oct


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_disclosure_{name}")(ctx(user), data)


@pytest.fixture
def asked(people, apply):
    """Applications asked to amend on Monday 14 Sep 2026 (the 2026 calendar loaded)."""
    loader.load_library_year(2026)

    def run():
        with freeze_time(ASKED):
            req = apply()
            return act("request_correction", people["agency_editor"], id=req["id"],
                       text="请写明所需信息的名称、文号或者便于查询的其他特征性描述。")
    return run


def lapse_cli(cli, *args):
    from ckan.cli.cli import ckan
    out = cli.invoke(ckan, ["lyg-opendata", "disclosure", "lapse", *args])
    assert out.exit_code == 0, out.output
    return out.output


def test_the_time_to_amend_ends_on_the_15th_working_day_a_tiaoxiu_saturday(asked):
    req = asked()
    assert req["status"] == "correction_requested"
    assert req["correction_due"] == "2026-10-10"
    assert dt.date(2026, 10, 10).weekday() == 5            # a Saturday worked (调休)
    cal = Calendar()
    assert cal.is_workday(dt.date(2026, 9, 20))[0] and not cal.is_workday(dt.date(2026, 10, 5))[0]
    asked_event = [e for e in req["events"] if e["action"] == "request_correction"]
    assert asked_event[0]["data"] == {"days": 15, "due": "2026-10-10"}


def test_lapse_refused_up_to_the_last_day_then_deemed_withdrawn(people, asked, applicant, sysadmin):
    req = asked()
    with freeze_time(LAST_DAY_END):
        assert today_beijing() == dt.date(2026, 10, 10)
        with pytest.raises(tk.ValidationError) as err:
            act("lapse", sysadmin, id=req["id"])
        assert "2026-10-10" in err.value.error_dict["status"][0]
        assert model.Session.get(DisclosureRequest, req["id"]).status == "correction_requested"
    with freeze_time(NEXT_DAY):
        out = act("lapse", sysadmin, id=req["id"])
    assert out["status"] == "withdrawn" and out["lapsed"]
    event = [e for e in out["events"] if e["action"] == "lapse"][0]
    assert (event["action"], event["actor_role"], event["from_status"]) == (
        "lapse", "system", "correction_requested")
    assert event["data"] == {"correction_due": "2026-10-10"}
    # a final state: nothing else moves it
    with pytest.raises(tk.ValidationError):
        act("amend", applicant, id=req["id"], description="请公开停车场管理办法的起草说明。")


def test_amend_on_the_last_day_but_not_after(people, asked, applicant):
    on_time, late = asked(), asked()
    with freeze_time(LAST_DAY_END):
        out = act("amend", applicant, id=on_time["id"],
                  description="请公开《连云港市机动车停车场管理办法》的起草说明。")
    assert out["status"] == "received" and out["clock_start"] == "2026-10-10"
    assert out["correction_due"] is None
    with freeze_time(NEXT_DAY):
        with pytest.raises(tk.ValidationError) as err:
            act("amend", applicant, id=late["id"],
                description="请公开《连云港市机动车停车场管理办法》的起草说明。")
    assert "2026-10-10" in err.value.error_dict["description"][0]
    assert model.Session.get(DisclosureRequest, late["id"]).status == "correction_requested"


def test_only_the_platform_closes_an_application(people, asked, applicant, sysadmin):
    req = asked()
    with freeze_time(NEXT_DAY):
        for who in (applicant, people["agency_editor"], people["agency_admin"],
                    people["supervisor"]):
            with pytest.raises(tk.NotAuthorized):
                act("lapse", who, id=req["id"])
    with pytest.raises(tk.ObjectNotFound):
        act("lapse", sysadmin, id="no-such-application")


def test_the_daily_job_closes_what_is_past_its_time_and_tells_people(cli, people, agency, asked,
                                                                      applicant):
    late, other = asked(), asked()
    staff = {u.id for u in notify.agency_staff(agency["id"])}

    def notices(user_ids):
        return model.Session.query(Notice).filter(Notice.user_id.in_(user_ids)).count()
    before_applicant, before_staff = notices([applicant["id"]]), notices(staff)
    with freeze_time(LAST_DAY_END):
        out = lapse_cli(cli)
        assert "applications not amended in time: 0, closed as withdrawn: 0" in out
        act("amend", applicant, id=other["id"], description="请公开停车场管理办法的起草说明。")
    before_staff = notices(staff)    # the amendment's notice to the agency
    with freeze_time(NEXT_DAY):
        out = lapse_cli(cli, "--dry-run")
        assert late["number"] in out and "(to amend by 2026-10-10)" in out
        assert "applications not amended in time: 1, closed as withdrawn: 0 (dry run" in out
        assert model.Session.get(DisclosureRequest, late["id"]).status == "correction_requested"
        out = lapse_cli(cli)
        assert f"{late['number']}: closed" in out
        assert "applications not amended in time: 1, closed as withdrawn: 1" in out
        assert "closed as withdrawn: 0" in lapse_cli(cli)      # nothing left the same day
    model.Session.expire_all()
    assert model.Session.get(DisclosureRequest, late["id"]).status == "withdrawn"
    assert model.Session.get(DisclosureRequest, other["id"]).status == "received"
    assert notices([applicant["id"]]) == before_applicant + 1
    assert notices(staff) == before_staff + len(staff)
    told = model.Session.query(Notice).filter(Notice.user_id == applicant["id"]).order_by(
        Notice.created.desc()).first()
    assert late["number"] in told.subject and "2026-10-10" in told.body
    for_agency = model.Session.query(Notice).filter(
        Notice.user_id == people["agency_editor"]["id"]).order_by(Notice.created.desc()).first()
    assert late["number"] in for_agency.subject and "王小明" not in for_agency.body
    # the yearly table: 其他处理 1 (逾期不补正), not 3 (withdrawn by the applicant)
    table = act("yearly_report", people["agency_editor"], year=2026, organization=agency["id"])
    rows = {r["code"]: r["cells"] for r in table["rows"]}
    assert rows["other.not_amended"][0] == 1      # the first column: 自然人
    assert rows["other.other"][0] == 0


def test_the_page_tells_the_applicant_the_last_day(app, asked, applicant, monkeypatch):
    from ckanext.lyg_opendata import workdays
    req = asked()
    url = tk.h.url_for("lyg_opendata_disclosure.read", id=req["id"])
    # the Beijing day the page sees (an API token cannot be used under a frozen clock)
    monkeypatch.setattr(workdays, "today_beijing", lambda now=None: dt.date(2026, 10, 10))
    page = app.get(url, headers={"Authorization": applicant["token"]})
    assert "2026-10-10" in page.body and "lyg-disclosure-amend" in page.body
    monkeypatch.setattr(workdays, "today_beijing", lambda now=None: dt.date(2026, 10, 11))
    page = app.get(url, headers={"Authorization": applicant["token"]})
    # past the time: no amending any more (the job closes it)
    assert "lyg-disclosure-amend" not in page.body and "2026-10-10" in page.body


def test_two_runs_at_once_the_second_does_nothing(cli, asked):
    from ckanext.lyg_opendata.clitools import REMIND_KEY
    req = asked()
    holder = model.meta.engine.connect()   # another run holding the lock
    key = {"k": REMIND_KEY % "ckanext.lyg_opendata.disclosure.lapse"}
    assert holder.execute(sa.text("SELECT pg_try_advisory_lock(hashtext(:k))"), key).scalar()
    try:
        with freeze_time(NEXT_DAY):
            assert "another run is closing them; nothing done" in lapse_cli(cli)
    finally:
        holder.execute(sa.text("SELECT pg_advisory_unlock(hashtext(:k))"), key)
        holder.close()
    assert model.Session.get(DisclosureRequest, req["id"]).status == "correction_requested"
