"""Applications by letter, fax or in person: the clock runs from the day the agency received
the application (条例 Art 31: a letter on the day the agency signed for it, 签收), which the
staff record, not from the day they register it; an amended letter (补正) starts it again
from the day the amendment was received (条例 Art 30), recorded by the agency."""
import datetime as dt

import pytest
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.workdays import loader

from tests.disclosure.conftest import ctx, individual
from tests.disclosure.test_report import cell

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

TEXT = "请写明所需信息的名称、文号或者便于查询的其他特征性描述。"


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_disclosure_{name}")(ctx(user), data)


def letter_form(agency, **extra):
    data = {k: v for k, v in individual(organization=agency["id"]).items() if k != "accept_privacy"}
    data.update(channel="letter", delivery="post", **extra)
    return data


@pytest.fixture
def register(people, agency):
    loader.load_library_year(2026)

    def run(day, **extra):
        with freeze_time(f"{day} 02:00:00"):
            return act("register", people["agency_editor"], **letter_form(agency, **extra))
    return run


def test_the_clock_runs_from_the_day_the_letter_was_signed_for(register):
    # signed for on Friday 18 Sep, registered on Monday 21 Sep: due 15 Oct (中秋 25 Sep and
    # 国庆 1-7 Oct off, the 调休 Sunday 20 Sep and Saturday 10 Oct worked), as if entered at once
    req = register("2026-09-21", received_on="2026-09-18")
    assert (req["received_on"], req["clock_start"], req["deadline"]) == (
        "2026-09-18", "2026-09-18", "2026-10-15")
    assert req["registered_on"] == "2026-09-21" and req["number"].startswith("YSQ-2026-")
    assert req["events"][0]["data"] == {"channel": "letter", "received_on": "2026-09-18"}
    # signed for on Wed 30 Sep, registered after the holiday on Thu 8 Oct: due 27 Oct, not
    # 28 Oct (what the day of registration would give)
    late = register("2026-10-08", received_on="2026-09-30")
    assert (late["received_on"], late["deadline"]) == ("2026-09-30", "2026-10-27")
    # not given (the API): the day it is registered
    today = register("2026-09-21")
    assert (today["received_on"], today["deadline"]) == ("2026-09-21", "2026-10-19")


@pytest.mark.parametrize("value, message", [
    ("2026-09-22", "2026-09-21"),          # tomorrow: cannot be after today
    ("2024-12-31", "2025-01-01"),          # before 1 January of last year
    ("18/09/2026", "YYYY-MM-DD"),
    ("", "YYYY-MM-DD"),
])
def test_the_day_of_receipt_is_checked(register, value, message):
    with pytest.raises(tk.ValidationError) as err:
        register("2026-09-21", received_on=value)
    assert message in err.value.error_dict["received_on"][0]
    assert model.Session.query(DisclosureRequest).count() == 0


def test_last_years_letter_is_numbered_in_its_year(register):
    req = register("2026-01-05", received_on="2025-12-30")
    assert req["number"].startswith("YSQ-2025-") and req["received_on"] == "2025-12-30"


def test_the_agency_records_the_amended_letter_and_the_clock_restarts_from_its_receipt(
        people, register, applicant, apply):
    req = register("2026-09-14", received_on="2026-09-14")
    with freeze_time("2026-09-14 03:00:00"):
        asked = act("request_correction", people["agency_editor"], id=req["id"], text=TEXT)
    assert asked["correction_due"] == "2026-10-10"
    editor = people["agency_editor"]
    with freeze_time("2026-10-12 02:00:00"):
        # the day it was received: required, not before the request, not after the time to amend
        for value, message in ((None, "Give the day"), ("2026-09-13", "2026-09-14"),
                               ("2026-10-11", "2026-10-10"), ("2026-10-13", "2026-10-12")):
            data = {"id": req["id"], "description": "请公开《连云港市机动车停车场管理办法》的起草说明。"}
            if value:
                data["received_on"] = value
            with pytest.raises(tk.ValidationError) as err:
                act("amend", editor, **data)
            assert message in err.value.error_dict["received_on"][0], value
        # received on Friday 9 Oct (in time), entered on Monday 12 Oct: 15 working days from
        # 9 Oct, the 调休 Saturday 10 Oct one of them → 29 Oct
        out = act("amend", editor, id=req["id"], received_on="2026-10-09",
                  description="请公开《连云港市机动车停车场管理办法》的起草说明。")
    assert (out["status"], out["amended_on"], out["clock_start"], out["deadline"]) == (
        "received", "2026-10-09", "2026-10-09", "2026-10-29")
    event = out["events"][-1]
    assert (event["action"], event["actor_role"], event["data"]["received_on"]) == (
        "amend", "agency", "2026-10-09")


def test_who_records_an_amended_letter(people, agency, register, applicant, apply):
    letter = register("2026-09-14")
    online = apply()
    for req in (letter, online):
        row = model.Session.get(DisclosureRequest, req["id"])
        row.status, row.correction_requested_on = "correction_requested", dt.date(2026, 9, 14)
    model.repo.commit()
    allowed = {"agency_editor", "agency_admin", "sysadmin"}
    for role in ("anonymous", "registered", "other_agency_editor", "agency_editor",
                 "agency_admin", "supervisor", "sysadmin"):
        user = people[role]
        context = {"user": user["name"] if user else "", "model": model}
        for req, may in ((letter, role in allowed), (online, False)):
            if may:
                assert tk.check_access("lyg_opendata_disclosure_amend", context, {"id": req["id"]})
            else:
                with pytest.raises(tk.NotAuthorized):
                    tk.check_access("lyg_opendata_disclosure_amend", context, {"id": req["id"]})
    # the online applicant amends their own; nobody amends a letter as its applicant
    assert tk.check_access("lyg_opendata_disclosure_amend", ctx(applicant), {"id": online["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("lyg_opendata_disclosure_amend", ctx(applicant), {"id": letter["id"]})


def test_the_register_page_and_the_application_page(app, people, agency, monkeypatch):
    loader.load_library_year(2026)
    # the Beijing day the pages see (an API token cannot be used under a frozen clock)
    monkeypatch.setattr(workdays, "today_beijing", lambda now=None: dt.date(2026, 9, 21))
    headers = {"Authorization": people["agency_editor"]["token"]}
    page = app.get("/opendata/disclosure/register", headers=headers)
    assert 'name="received_on"' in page.body and 'value="2026-09-21"' in page.body
    assert 'max="2026-09-21"' in page.body
    form = {**letter_form(agency), "organization": agency["name"]}
    bad = app.post("/opendata/disclosure/register", headers=headers,
                   data={**form, "received_on": "2026-09-22"})
    assert bad.status_code == 200 and "2026-09-21" in bad.body
    assert model.Session.query(DisclosureRequest).count() == 0
    response = app.post("/opendata/disclosure/register", headers=headers,
                        data={**form, "received_on": "2026-09-18"}, follow_redirects=False)
    assert response.status_code == 302
    row = model.Session.query(DisclosureRequest).one()
    assert (row.received_on, row.clock_start) == (dt.date(2026, 9, 18), dt.date(2026, 9, 18))
    read = app.get(f"/opendata/disclosure/{row.id}", headers=headers).body
    assert "2026-09-18" in read and "2026-10-15" in read and "lyg-disclosure-received" in read
    assert "2026-09-21" in read  # registered on (the frozen day)
    # asked to amend: the agency's form records the amended letter with its day of receipt
    act("request_correction", people["agency_editor"], id=row.id, text=TEXT)
    read = app.get(f"/opendata/disclosure/{row.id}", headers=headers).body
    assert 'id="amend-received_on"' in read and 'min="2026-09-21"' in read
    done = app.post(f"/opendata/disclosure/{row.id}/amend", headers=headers, data={
        "received_on": "2026-09-21", "description": "请公开《连云港市机动车停车场管理办法》的起草说明。"},
        follow_redirects=False)
    assert done.status_code == 302
    model.Session.expire_all()
    row = model.Session.get(DisclosureRequest, row.id)
    assert (row.status, row.clock_start) == ("received", dt.date(2026, 9, 21))


def test_the_agency_records_a_withdrawal_received_by_letter(people, register):
    req = register("2026-09-14", received_on="2026-09-11")
    editor = people["agency_editor"]
    with freeze_time("2026-09-21 02:00:00"):
        # the day it was received: required, not before the application's receipt, not future
        for value, message in ((None, "Give the day"), ("2026-09-10", "2026-09-11"),
                               ("2026-09-22", "2026-09-21"), ("21/09/2026", "YYYY-MM-DD")):
            data = {"id": req["id"]}
            if value:
                data["received_on"] = value
            with pytest.raises(tk.ValidationError) as err:
                act("withdraw", editor, **data)
            assert message in err.value.error_dict["received_on"][0], value
        assert model.Session.get(DisclosureRequest, req["id"]).status == "received"
        out = act("withdraw", editor, id=req["id"], received_on="2026-09-18",
                  text="申请人来信撤回申请（挂号信）。")
    assert (out["status"], out["withdrawal_reason"], out["withdrawn_by_letter_on"]) == (
        "withdrawn", "申请人来信撤回申请（挂号信）。", "2026-09-18")
    event = out["events"][-1]
    assert (event["action"], event["actor_role"], event["actor"], event["data"]) == (
        "withdraw", "agency", editor["name"], {"received_on": "2026-09-18"})
    # counted in the yearly table as withdrawn (其他处理 3), finished on the day received
    table = act("yearly_report", editor, year=2026, organization=req["organization_id"])
    assert cell(table, "other.other", "individual") == 1
    assert cell(table, "carried_out", "individual") == 0


def test_who_records_a_withdrawal_letter(people, agency, register, applicant, apply):
    letter = register("2026-09-14")
    online = apply()
    allowed = {"agency_editor", "agency_admin", "sysadmin"}
    for role in ("anonymous", "registered", "other_agency_editor", "agency_editor",
                 "agency_admin", "supervisor", "sysadmin"):
        user = people[role]
        context = {"user": user["name"] if user else "", "model": model}
        for req, may in ((letter, role in allowed), (online, False)):
            if may:
                assert tk.check_access("lyg_opendata_disclosure_withdraw", context, {"id": req["id"]})
            else:
                with pytest.raises(tk.NotAuthorized):
                    tk.check_access("lyg_opendata_disclosure_withdraw", context, {"id": req["id"]})
    # the online applicant withdraws their own (no day of receipt asked); nobody as a letter's
    assert tk.check_access("lyg_opendata_disclosure_withdraw", ctx(applicant), {"id": online["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("lyg_opendata_disclosure_withdraw", ctx(applicant), {"id": letter["id"]})
    with pytest.raises(tk.NotAuthorized):
        act("withdraw", people["agency_admin"], id=online["id"], received_on="2026-09-14")
    out = act("withdraw", applicant, id=online["id"])
    assert out["status"] == "withdrawn" and out["events"][-1]["actor_role"] == "applicant"
    assert out["withdrawn_by_letter_on"] is None


def test_the_withdrawal_form_on_a_letter_application(app, people, agency, monkeypatch):
    loader.load_library_year(2026)
    monkeypatch.setattr(workdays, "today_beijing", lambda now=None: dt.date(2026, 9, 21))
    req = act("register", people["agency_editor"], **letter_form(agency, received_on="2026-09-18"))
    headers = {"Authorization": people["agency_editor"]["token"]}
    read = app.get(f"/opendata/disclosure/{req['id']}", headers=headers).body
    assert 'id="withdraw-received_on"' in read and 'min="2026-09-18"' in read
    assert 'max="2026-09-21"' in read
    bad = app.post(f"/opendata/disclosure/{req['id']}/withdraw", headers=headers,
                   data={"received_on": "2026-09-17"}, follow_redirects=True)
    assert bad.status_code == 200 and "2026-09-18" in bad.body
    assert model.Session.get(DisclosureRequest, req["id"]).status == "received"
    done = app.post(f"/opendata/disclosure/{req['id']}/withdraw", headers=headers,
                    data={"received_on": "2026-09-19", "text": "来信撤回。"}, follow_redirects=False)
    assert done.status_code == 302
    model.Session.expire_all()
    assert model.Session.get(DisclosureRequest, req["id"]).status == "withdrawn"
    read = app.get(f"/opendata/disclosure/{req['id']}", headers=headers).body
    assert "lyg-disclosure-withdrawn-letter" in read and "2026-09-19" in read
    assert "lyg-disclosure-withdraw" not in read.replace("lyg-disclosure-withdrawn-letter", "")
    # the supervisor sees it, without the form
    sup = app.get(f"/opendata/disclosure/{req['id']}",
                  headers={"Authorization": people["supervisor"]["token"]}).body
    assert 'id="withdraw-received_on"' not in sup


def test_an_amended_letter_received_in_time_undoes_the_lapse(people, register, sysadmin,
                                                              apply, applicant, app):
    req = register("2026-09-14", received_on="2026-09-14")
    online = apply()
    editor = people["agency_editor"]
    with freeze_time("2026-09-14 03:00:00"):
        for r in (req, online):
            act("request_correction", editor, id=r["id"], text=TEXT)
    # the daily job closes both on Monday 12 Oct (the time to amend ended on Saturday 10 Oct)
    with freeze_time("2026-10-12 01:00:00"):
        for r in (req, online):
            assert act("lapse", sysadmin, id=r["id"])["lapsed"]
    with freeze_time("2026-10-12 02:00:00"):
        table = act("yearly_report", editor, year=2026, organization=req["organization_id"])
        assert cell(table, "other.not_amended", "individual") == 2
        # received after the time to amend: still refused, a field error
        with pytest.raises(tk.ValidationError) as err:
            act("amend", editor, id=req["id"], received_on="2026-10-11",
                description="请公开《连云港市机动车停车场管理办法》的起草说明。")
        assert "2026-10-10" in err.value.error_dict["received_on"][0]
        # an online application's lapse is not undone (its applicant amends online, in time)
        with pytest.raises(tk.ValidationError) as err:
            act("amend", applicant, id=online["id"],
                description="请公开《连云港市机动车停车场管理办法》的起草说明。")
        assert list(err.value.error_dict) == ["status"]
        # received Friday 9 Oct, in time, entered on Monday 12 Oct after the job closed it
        out = act("amend", editor, id=req["id"], received_on="2026-10-09",
                  description="请公开《连云港市机动车停车场管理办法》的起草说明。")
        assert (out["status"], out["lapsed"], out["clock_start"], out["deadline"]) == (
            "received", False, "2026-10-09", "2026-10-29")
        event = out["events"][-1]
        assert (event["action"], event["from_status"], event["to_status"], event["actor_role"]) == (
            "amend", "withdrawn", "received", "agency")
        assert (event["data"]["undoes"], event["data"]["correction_due"],
                event["data"]["lapsed_on"], event["data"]["received_on"]) == (
            "lapse", "2026-10-10", "2026-10-12", "2026-10-09")
        # the yearly table: 其他处理 counts only the online one; the letter is being handled
        table = act("yearly_report", editor, year=2026, organization=req["organization_id"])
        assert cell(table, "other.not_amended", "individual") == 1
        assert cell(table, "other", "individual") == 1
        assert cell(table, "carried_out", "individual") == 1
        # a withdrawal by letter then is counted as such (the last withdrawing event)
        gone = act("withdraw", editor, id=req["id"], received_on="2026-10-12")
        assert gone["withdrawn_by_letter_on"] == "2026-10-12" and not gone["lapsed"]
        with pytest.raises(tk.ValidationError) as err:  # and cannot be amended any more
            act("amend", editor, id=req["id"], received_on="2026-10-09",
                description="请公开《连云港市机动车停车场管理办法》的起草说明。")
        assert list(err.value.error_dict) == ["status"]
        table = act("yearly_report", editor, year=2026, organization=req["organization_id"])
        assert cell(table, "other.other", "individual") == 1
        assert cell(table, "other.not_amended", "individual") == 1


def test_the_page_of_a_lapsed_letter_offers_the_amended_letter(app, people, register, sysadmin,
                                                               monkeypatch):
    req = register("2026-09-14", received_on="2026-09-14")
    with freeze_time("2026-09-14 03:00:00"):
        act("request_correction", people["agency_editor"], id=req["id"], text=TEXT)
    with freeze_time("2026-10-12 01:00:00"):
        act("lapse", sysadmin, id=req["id"])
    monkeypatch.setattr(workdays, "today_beijing", lambda now=None: dt.date(2026, 10, 12))
    headers = {"Authorization": people["agency_editor"]["token"]}
    read = app.get(f"/opendata/disclosure/{req['id']}", headers=headers).body
    assert "lyg-disclosure-lapse-undo" in read and 'max="2026-10-10"' in read
    sup = app.get(f"/opendata/disclosure/{req['id']}",
                  headers={"Authorization": people["supervisor"]["token"]}).body
    assert 'id="amend-received_on"' not in sup
    done = app.post(f"/opendata/disclosure/{req['id']}/amend", headers=headers, data={
        "received_on": "2026-10-09", "description": "请公开《连云港市机动车停车场管理办法》的起草说明。"},
        follow_redirects=False)
    assert done.status_code == 302
    read = app.get(f"/opendata/disclosure/{req['id']}", headers=headers).body
    assert "lyg-disclosure-lapse-undone" in read and "2026-10-29" in read
