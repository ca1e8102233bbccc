"""Rectification notices (Art 39) through the action API: who may do what (every auth
function against every role), every transition from every state, field-level errors, the
pre-fill from the figures, the deadline on the working-day calendar, the notices."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.evaluation import auth as rectification_auth
from ckanext.lyg_opendata.evaluation import workflow
from ckanext.lyg_opendata.evaluation.model import Rectification, RectificationEvent

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EVERYONE = set(ROLES)
SUPERVISORS = {"supervisor", "sysadmin"}
RESPONDERS = {"agency_editor", "agency_admin", "sysadmin"}
READERS = {"agency_editor", "agency_admin", "supervisor", "sysadmin"}
LISTERS = READERS | {"other_agency_editor"}  # an agency lists its own (none here)

MATRIX = [
    ("lyg_opendata_rectification_issue", SUPERVISORS),
    ("lyg_opendata_rectification_prefill", SUPERVISORS),
    ("lyg_opendata_rectification_show", READERS),
    ("lyg_opendata_rectification_list", LISTERS),
    ("lyg_opendata_rectification_respond", RESPONDERS),
    ("lyg_opendata_rectification_return", SUPERVISORS),
    ("lyg_opendata_rectification_escalate", SUPERVISORS),
    ("lyg_opendata_rectification_close", SUPERVISORS),
    ("lyg_opendata_scorecard_list", LISTERS),
]


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


@pytest.fixture
def issue(people, agency):
    def run(**kwargs):
        data = {"organization": agency["name"], "ground": "applications",
                "findings": "有 2 件申请超过答复期限。", "requirement": "请在期限内答复并说明原因。",
                "deadline_days": 10}
        data.update(kwargs)
        return tk.get_action("lyg_opendata_rectification_issue")(ctx(people["supervisor"]), data)
    return run


def _set(row_id, **columns):
    row = model.Session.get(Rectification, row_id)
    for k, v in columns.items():
        setattr(row, k, v)
    model.repo.commit()


def test_every_auth_function_is_in_the_matrix():
    # the staff filing's own matrix is in test_staff_filing.py
    assert {name for name, _a in MATRIX} == {
        n for n in rectification_auth.__all__ if "staff_filing" not in n}


@pytest.mark.parametrize("auth_name,allowed", MATRIX, ids=[m[0].split("opendata_")[1] for m in MATRIX])
def test_permission_matrix(auth_name, allowed, people, issue):
    notice = issue()
    verb = auth_name.split("_")[-1]
    if verb == "respond":
        data = {"id": notice["id"], "text": "已整改"}
    elif verb in ("show", "return", "escalate", "close"):
        data = {"id": notice["id"], "text": "说明"}
    elif verb in ("issue", "prefill"):
        data = {"organization": notice["organization_id"], "ground": "applications"}
    else:
        data = {}
    for role in ROLES:
        user = people[role]
        try:
            tk.check_access(auth_name, ctx(user), data)
            got = True
        except tk.NotAuthorized:
            got = False
        assert got == (role in allowed), (auth_name, role)


def test_the_actions_refuse_whom_the_matrix_refuses(people, issue):
    notice = issue()
    for role in ("anonymous", "registered", "other_agency_editor"):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("lyg_opendata_rectification_show")(ctx(people[role]), {"id": notice["id"]})
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("lyg_opendata_rectification_respond")(
                ctx(people[role]), {"id": notice["id"], "text": "已整改完毕"})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_rectification_close")(
            ctx(people["agency_admin"]), {"id": notice["id"], "text": "自行关闭"})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_rectification_issue")(ctx(people["agency_admin"]), {
            "organization": notice["organization_id"], "ground": "standards",
            "findings": "x" * 5, "requirement": "y" * 5})
    # an unknown notice is 404 for whoever asks, before anything else
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("lyg_opendata_rectification_show")(ctx(people["supervisor"]), {"id": "nope"})


@pytest.mark.parametrize("state", sorted(workflow.STATUSES))
@pytest.mark.parametrize("verb", list(workflow.TRANSITIONS))
def test_every_transition_from_every_state(verb, state, people, issue):
    notice = issue()
    _set(notice["id"], status=state)
    froms, to = workflow.TRANSITIONS[verb]
    who = people["agency_admin"] if verb == "respond" else people["supervisor"]
    action = tk.get_action(f"lyg_opendata_rectification_{verb}")
    if state in froms:
        result = action(ctx(who), {"id": notice["id"], "text": "处理说明文字"})
        assert result["status"] == to
        assert result["events"][-1]["action"] == verb
        assert result["events"][-1]["from_status"] == state
        assert model.Session.get(Rectification, notice["id"]).status == to
    else:
        with pytest.raises(tk.ValidationError) as e:
            action(ctx(who), {"id": notice["id"], "text": "处理说明文字"})
        assert "status" in e.value.error_dict
        assert model.Session.get(Rectification, notice["id"]).status == state
        assert model.Session.query(RectificationEvent).filter_by(
            rectification_id=notice["id"]).count() == 1  # the issue event only


def test_the_transition_table_is_what_the_docs_say():
    assert {verb: (set(f), t) for verb, (f, t) in workflow.TRANSITIONS.items()} == {
        "respond": ({"issued", "returned"}, "responded"),
        "return": ({"responded"}, "returned"),
        "escalate": ({"issued", "returned", "responded"}, "escalated"),
        "close": ({"responded", "escalated"}, "closed"),
    }
    assert workflow.TRANSITIONS.states == set(workflow.STATUSES)


@pytest.mark.parametrize("change,field", [
    ({"organization": ""}, "organization"),
    ({"organization": "no-such-agency"}, "organization"),
    ({"ground": ""}, "ground"),
    ({"ground": "laziness"}, "ground"),
    ({"findings": ""}, "findings"),
    ({"requirement": " "}, "requirement"),
    ({"deadline_days": "abc"}, "deadline_days"),
    ({"deadline_days": 0}, "deadline_days"),
    ({"deadline_days": 91}, "deadline_days"),
    ({"findings": "含\x00控制字符"}, "findings"),
])
def test_bad_input_is_a_field_error(change, field, issue):
    with pytest.raises(tk.ValidationError) as e:
        issue(**change)
    assert field in e.value.error_dict, e.value.error_dict
    assert model.Session.query(Rectification).count() == 0


def test_the_supervising_body_itself_is_not_notified(issue):
    with pytest.raises(tk.ValidationError) as e:
        issue(organization=tk.config.get("ckanext.lyg_opendata.supervisor_org"))
    assert "organization" in e.value.error_dict


def test_transition_text_is_required(people, issue):
    notice = issue()
    with pytest.raises(tk.ValidationError) as e:
        tk.get_action("lyg_opendata_rectification_respond")(
            ctx(people["agency_editor"]), {"id": notice["id"], "text": ""})
    assert "text" in e.value.error_dict


def test_prefill_lists_the_late_applications(people, agency, published_dataset, issue):
    ds = published_dataset(name="rf-water", title="用水户信息", open_type="conditional",
                           open_conditions="仅限科研")
    today = workdays.today_beijing()
    from ckan.tests import factories

    def app(status, received, due, decided=None):
        model.Session.add(Application(
            package_id=ds["id"], org_id=agency["id"], user_id=factories.User()["id"], status=status,
            purpose="科研", scenario="分析", security_measures="加密", term_start=received,
            term_end=due, received_on=received, due_on=due, decided_at=decided))
    app("submitted", today - dt.timedelta(days=40), today - dt.timedelta(days=20))  # overdue
    app("submitted", today, today + dt.timedelta(days=14))                          # in time
    app("approved", today - dt.timedelta(days=60), today - dt.timedelta(days=45),
        dt.datetime.combine(today - dt.timedelta(days=30), dt.time(3)))             # late
    app("refused", today - dt.timedelta(days=60), today - dt.timedelta(days=45),
        dt.datetime.combine(today - dt.timedelta(days=50), dt.time(3)))             # in time
    model.repo.commit()
    found = tk.get_action("lyg_opendata_rectification_prefill")(
        ctx(people["supervisor"]), {"organization": agency["name"], "ground": "applications"})
    assert (found["overdue"], found["late"]) == (1, 1)
    assert found["text"].count("用水户信息") == 2
    # the stored due date is the clock's (10 working days after receipt), whatever was given
    assert workdays.add_workdays(today - dt.timedelta(days=40), 10)[0].isoformat() in found["text"]
    # the notice keeps the records it was based on
    notice = issue(findings=found["text"])
    assert len(notice["evidence"]["items"]) == 2
    # grounds the platform has no figures for: an empty suggestion
    other = tk.get_action("lyg_opendata_rectification_prefill")(
        ctx(people["supervisor"]), {"organization": agency["name"], "ground": "standards"})
    assert other["text"] == "" and other["items"] == []


def test_deadline_overdue_and_the_overdue_list(people, issue):
    notice = issue(deadline_days=10)
    cal = workdays.Calendar()
    due, _p = cal.add_workdays(workdays.today_beijing(), 10)
    assert notice["deadline"] == due.isoformat()
    assert notice["overdue"] is False and notice["days_left"] is not None
    late = issue(deadline_days=5, ground="open_list", findings="清单未更新。")
    _set(late["id"], clock_start=workdays.today_beijing() - dt.timedelta(days=60))
    sup = ctx(people["supervisor"])
    rows = tk.get_action("lyg_opendata_rectification_list")(sup, {"overdue": True})
    assert [r["id"] for r in rows] == [late["id"]]
    rows = tk.get_action("lyg_opendata_rectification_list")(sup, {})
    assert [r["id"] for r in rows] == [late["id"], notice["id"]]  # overdue first
    # a response stops the clock; sending it back starts it again from today
    tk.get_action("lyg_opendata_rectification_respond")(
        ctx(people["agency_editor"]), {"id": late["id"], "text": "已更新开放清单。"})
    shown = tk.get_action("lyg_opendata_rectification_show")(sup, {"id": late["id"]})
    assert shown["overdue"] is False and shown["days_left"] is None
    back = tk.get_action("lyg_opendata_rectification_return")(
        sup, {"id": late["id"], "text": "仍有 3 个数据集未更新。"})
    assert back["clock_start"] == workdays.today_beijing().isoformat()
    assert back["overdue"] is False


def test_agencies_see_their_own_notices_only(people, issue, sysadmin):
    from ckan.tests import factories
    third = factories.Organization(name="rf-third", title="市住建局",
                                   users=[{"name": sysadmin["name"], "capacity": "admin"}])
    own = issue()
    issue(organization=third["name"])
    mine = tk.get_action("lyg_opendata_rectification_list")(ctx(people["agency_editor"]), {})
    assert [r["id"] for r in mine] == [own["id"]]
    assert tk.get_action("lyg_opendata_rectification_list")(
        ctx(people["other_agency_editor"]), {}) == []
    assert len(tk.get_action("lyg_opendata_rectification_list")(ctx(people["supervisor"]), {})) == 2
    with pytest.raises(tk.ValidationError) as e:
        tk.get_action("lyg_opendata_rectification_list")(ctx(people["supervisor"]), {"status": "x"})
    assert "status" in e.value.error_dict


def test_notices_go_to_the_agency_and_back_to_the_supervisors(people, issue):
    from ckanext.lyg_opendata.notify import Notice

    def subjects(role):
        return [n.subject for n in model.Session.query(Notice).filter(
            Notice.user_id == people[role]["id"])]
    notice = issue()
    assert any("Rectification notice" in s or "整改" in s for s in subjects("agency_editor"))
    assert subjects("other_agency_editor") == []
    tk.get_action("lyg_opendata_rectification_respond")(
        ctx(people["agency_admin"]), {"id": notice["id"], "text": "已答复全部超期申请。"})
    assert any("responded" in s or "答复" in s for s in subjects("supervisor"))
    before = len(subjects("agency_editor"))
    tk.get_action("lyg_opendata_rectification_close")(
        ctx(people["supervisor"]), {"id": notice["id"], "text": "整改到位。"})
    assert len(subjects("agency_editor")) == before + 1
    assert notify  # the notices are notify.notify_users' (in-portal and mail)
