"""Complaints about the handling of an application for disclosure (投诉/举报): the applicant
complains to the supervisors, who answer within 15 working days on the shared calendar;
notices; field errors with nothing written; every move from every state; who may do what."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.disclosure import complaints
from ckanext.lyg_opendata.disclosure.model import DisclosureComplaint, DisclosureComplaintEvent

from tests.conftest import ROLES
from tests.disclosure.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_disclosure_complaint_{name}")(ctx(user), data)


def subjects(user):
    return [n.subject for n in notify.notices_for(user["id"])]


def test_applicant_complains_supervisors_answer_with_notices(people, applicant, in_state):
    req = in_state("answered", outcome="withheld")
    made = act("create", applicant, request_id=req["id"], ground="wrong_answer",
               text="答复未说明不予公开的法律依据。")
    assert made["status"] == "filed" and made["request_number"] == req["number"]
    today = workdays.today_beijing()
    due, _p = workdays.Calendar().add_workdays(today, complaints.DEADLINE_DAYS)
    assert made["deadline"] == due.isoformat() and not made["overdue"]
    assert any(req["number"] in s for s in subjects(people["supervisor"]))
    assert any(req["number"] in s for s in subjects(people["agency_editor"]))
    answered = act("answer", people["supervisor"], id=made["id"], finding="upheld",
                   answer_text="经调查，投诉成立，已责令该机关重新答复。")
    assert answered["status"] == "answered" and answered["finding"] == "upheld"
    assert any("投诉成立" in s or "Upheld" in s for s in subjects(applicant))
    listed = act("list", people["supervisor"])
    assert [c["id"] for c in listed["results"]] == [made["id"]]
    events = model.Session.query(DisclosureComplaintEvent).order_by(DisclosureComplaintEvent.created).all()
    assert [e.action for e in events] == ["file", "answer"]


def test_one_open_complaint_at_a_time(applicant, in_state):
    req = in_state("answered")
    first = act("create", applicant, request_id=req["id"], ground="wrong_answer", text="答复不符合规定。")
    with pytest.raises(tk.ValidationError) as err:
        act("create", applicant, request_id=req["id"], ground="other", text="再次投诉同一申请。")
    assert list(err.value.error_dict) == ["text"]
    assert model.Session.query(DisclosureComplaint).count() == 1
    act("withdraw", applicant, id=first["id"])
    assert act("create", applicant, request_id=req["id"], ground="other",
               text="重新提出投诉。")["status"] == "filed"


@pytest.mark.parametrize("bad,fields", [
    ({"ground": "", "text": ""}, {"ground", "text"}),
    ({"ground": "bribery", "text": "太短"}, {"ground", "text"}),
    ({"ground": "not_answered", "text": "机关逾期未答复我的申请。"}, {"ground"}),  # it was answered
])
def test_field_errors_and_nothing_written(applicant, in_state, bad, fields):
    req = in_state("answered")
    with pytest.raises(tk.ValidationError) as err:
        act("create", applicant, request_id=req["id"], **bad)
    assert set(err.value.error_dict) == fields
    assert model.Session.query(DisclosureComplaint).count() == 0
    assert model.Session.query(DisclosureComplaintEvent).count() == 0


def test_unknown_application_and_complaint(applicant, people):
    with pytest.raises(tk.NotAuthorized):  # nobody is the applicant of an unknown application
        act("create", applicant, request_id="no-such", ground="other", text="这是一个投诉。")
    for name in ("show", "answer", "withdraw"):
        with pytest.raises(tk.ObjectNotFound):
            act(name, people["sysadmin"], id="no-such")


STATES = sorted(complaints.TRANSITIONS.states)
VALID = {"answer": {"filed"}, "withdraw": {"filed"}}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", sorted(VALID))
def test_every_verb_from_every_state(people, applicant, in_state, state, verb):
    assert set(complaints.TRANSITIONS) == set(VALID)
    req = in_state("received")
    made = act("create", applicant, request_id=req["id"], ground="not_answered", text="一直没有答复。")
    row = model.Session.get(DisclosureComplaint, made["id"])
    row.status = state
    model.repo.commit()
    user = applicant if verb == "withdraw" else people["supervisor"]
    data = {"id": made["id"], "finding": "not_upheld", "answer_text": "经调查，仍在答复期限内。"}
    if state in VALID[verb]:
        assert act(verb, user, **data)["status"] == complaints.TRANSITIONS[verb][1]
    else:
        with pytest.raises(tk.ValidationError) as err:
            act(verb, user, **data)
        assert set(err.value.error_dict) == {"status"}
        assert model.Session.get(DisclosureComplaint, made["id"]).status == state


ALL = ROLES + ["applicant"]
HANDLING = {"agency_editor", "agency_admin", "sysadmin"}
MATRIX = [
    ("lyg_opendata_disclosure_complaint_create", "request", {"applicant"}),
    ("lyg_opendata_disclosure_complaint_show", "complaint", HANDLING | {"supervisor", "applicant"}),
    ("lyg_opendata_disclosure_complaint_list", "request", HANDLING | {"supervisor", "applicant"}),
    # every complaint (supervisors), those about one's agencies' applications (agency staff)
    ("lyg_opendata_disclosure_complaint_list", None, HANDLING | {"supervisor", "other_agency_editor"}),
    ("lyg_opendata_disclosure_complaint_answer", "complaint", {"supervisor", "sysadmin"}),
    ("lyg_opendata_disclosure_complaint_withdraw", "complaint", {"applicant"}),
]


@pytest.mark.parametrize("auth_name,target,allowed", MATRIX,
                         ids=[f"{a.split('complaint_')[1]}-{t}" for a, t, _r in MATRIX])
def test_complaint_permission_matrix(auth_name, target, allowed, people, applicant, in_state):
    req = in_state("answered")
    made = act("create", applicant, request_id=req["id"], ground="wrong_answer", text="答复不符合规定。")
    data = {"request": {"request_id": req["id"]}, "complaint": {"id": made["id"]}, None: {}}[target]
    for role in ALL:
        user = applicant if role == "applicant" else people[role]
        context = {"user": user["name"] if user else "", "model": model}
        if role in allowed:
            assert tk.check_access(auth_name, context, dict(data)), role
        else:
            with pytest.raises(tk.NotAuthorized):
                tk.check_access(auth_name, context, dict(data))
                pytest.fail(f"{role} was allowed {auth_name}")


def auth(user):
    return {"Authorization": user["token"]} if user else {}


def test_pages_complain_answer_and_list(app, people, applicant, in_state):
    req = in_state("answered", outcome="withheld")
    page = app.get(f"/opendata/disclosure/{req['id']}", headers=auth(applicant)).body
    assert "lyg-disclosure-complain" in page
    assert "lyg-disclosure-complain\"" not in app.get(
        f"/opendata/disclosure/{req['id']}", headers=auth(people["agency_editor"])).body
    bad = app.post(f"/opendata/disclosure/{req['id']}/complaint", headers=auth(applicant),
                   data={"ground": "", "text": ""}, follow_redirects=False)
    assert bad.status_code == 302 and model.Session.query(DisclosureComplaint).count() == 0
    ok = app.post(f"/opendata/disclosure/{req['id']}/complaint", headers=auth(applicant),
                  data={"ground": "wrong_answer", "text": "<b>答复</b>没有说明理由。"},
                  follow_redirects=False)
    assert ok.status_code == 302
    row = model.Session.query(DisclosureComplaint).one()
    row_id = row.id
    shown = app.get(f"/opendata/disclosure/{req['id']}", headers=auth(people["supervisor"])).body
    assert "&lt;b&gt;答复&lt;/b&gt;" in shown and "<b>答复</b>" not in shown
    assert "lyg-disclosure-complaint-answer-form" in shown
    listing = app.get("/opendata/disclosure/complaints", headers=auth(people["supervisor"]))
    assert listing.status_code == 200 and req["number"] in listing.body
    # agency staff list the complaints about their agencies' applications; others may not
    assert req["number"] in app.get("/opendata/disclosure/complaints",
                                    headers=auth(people["agency_editor"])).body
    assert app.get("/opendata/disclosure/complaints", headers=auth(people["registered"])).status_code == 403
    refused = app.post(f"/opendata/disclosure/complaint/{row_id}/answer", headers=auth(applicant),
                       data={"finding": "upheld", "answer_text": "我自己答复。"})
    assert refused.status_code == 403
    app.post(f"/opendata/disclosure/complaint/{row_id}/answer", headers=auth(people["supervisor"]),
             data={"finding": "not_upheld", "answer_text": "经调查，答复已说明理由和依据。"})
    model.Session.remove()
    row = model.Session.get(DisclosureComplaint, row_id)
    assert row.status == "answered" and row.finding == "not_upheld"
    assert app.post("/opendata/disclosure/complaint/no-such/answer",
                    headers=auth(people["supervisor"])).status_code == 404
