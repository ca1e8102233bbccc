"""Applications for conditional data (Art 10, 19): the form's rules, the state machine,
the working-day deadline, permissions by role, concurrent decisions, notifications."""
import datetime as dt
import json
import threading

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.access.applications import workflow
from ckanext.lyg_opendata.access.model import Agreement, Application, ApplicationEvent
from ckanext.lyg_opendata.workdays import loader, today_beijing
from tests.access.conftest import SECRET, act, ctx, form_data
from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CONDITIONS = "仅用于交通规划研究；不得向第三方提供；成果发表前报数据开放主体备案。"


def _errors(excinfo) -> dict:
    return excinfo.value.error_dict


# --- applying ----------------------------------------------------------------------------------

def test_apply_records_the_application_consent_and_deadline(apply, applicant, cond_dataset, people):
    result = apply()
    assert result["status"] == "submitted"
    assert result["received_on"] == today_beijing().isoformat()
    assert result["deadline_workdays"] == 10
    assert result["all_resources"] is True and result["resource_ids"] == []
    assert [r["name"] for r in result["resources"]] == ["车辆位置", "线路站点"]
    assert result["days_left"] is not None and result["overdue"] is False
    row = model.Session.get(Application, result["id"])
    assert row.conditions_accepted and row.consent_at is not None
    assert row.privacy_notice_version == "2026-1"
    assert row.org_id == cond_dataset["organization"]["id"]
    (event,) = act("lyg_opendata_application_events", applicant, id=result["id"])
    assert (event["action"], event["from_status"], event["to_status"]) == ("submit", None, "submitted")
    assert event["actor"] == applicant["name"]


def test_apply_for_some_resources(apply, cond_dataset):
    rid = cond_dataset["resources"][1]["id"]
    result = apply(resource_ids=[rid])
    assert result["resource_ids"] == [rid] and not result["all_resources"]
    with pytest.raises(tk.ValidationError) as e:
        apply(resource_ids=["not-a-resource"])
    assert "resource_ids" in _errors(e)


def test_individual_applicant_needs_no_credit_code(apply):
    result = apply(applicant_type="individual", applicant_name="张三", credit_code="",
                   contact_name="")
    assert result["credit_code"] is None and result["contact_name"] == "张三"


@pytest.mark.parametrize("overrides,field", [
    ({"purpose": "研究"}, "purpose"),
    ({"scenario": ""}, "scenario"),
    ({"security_measures": "加密"}, "security_measures"),
    ({"credit_code": "91320700MA1XXXXXXX"}, "credit_code"),
    ({"credit_code": ""}, "credit_code"),
    ({"contact_name": ""}, "contact_name"),
    ({"contact_phone": "12345"}, "contact_phone"),
    ({"contact_email": "not-an-email"}, "contact_email"),
    ({"applicant_type": "company"}, "applicant_type"),
    ({"applicant_name": ""}, "applicant_name"),
    ({"accept_conditions": False}, "accept_conditions"),
    ({"accept_privacy": ""}, "accept_privacy"),
    ({"term_start": "2020-01-01"}, "term_start"),
    ({"term_start": "tomorrow"}, "term_start"),
    ({"term_end": "2020-01-01"}, "term_end"),
])
def test_bad_input_gives_a_field_error_and_writes_nothing(apply, overrides, field):
    with pytest.raises(tk.ValidationError) as e:
        apply(**overrides)
    assert field in _errors(e), _errors(e)
    assert model.Session.query(Application).count() == 0


def test_term_is_limited_to_the_configured_years(apply):
    start = today_beijing() + dt.timedelta(days=1)
    with pytest.raises(tk.ValidationError) as e:
        apply(term_start=start.isoformat(), term_end=start.replace(year=start.year + 4).isoformat())
    assert "term_end" in _errors(e)
    assert apply(term_start=start.isoformat(),
                 term_end=(start + dt.timedelta(days=365 * 3 - 5)).isoformat())["id"]


@pytest.mark.ckan_config("ckanext.lyg_opendata.applications.purpose_min_length", "30")
def test_minimum_length_is_configurable(apply):
    with pytest.raises(tk.ValidationError) as e:
        apply()
    assert "30" in str(_errors(e)["purpose"])


def test_one_open_application_per_user_and_dataset(apply, applicant, people):
    first = apply()
    with pytest.raises(tk.ValidationError) as e:
        apply()
    assert "package_id" in _errors(e)
    assert apply(user=people["registered"])["id"]  # someone else may
    act("lyg_opendata_application_withdraw", applicant, id=first["id"])
    assert apply()["id"] != first["id"]  # again after withdrawing


def test_the_database_index_turns_a_duplicate_into_the_same_field_error(app, cond_dataset, applicant):
    """Two submissions at the same moment: the check cannot see the other one, the partial
    unique index decides."""
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        with app.flask_app.test_request_context():
            try:
                data = form_data(cond_dataset)
                barrier.wait(10)
                tk.get_action("lyg_opendata_application_create")(ctx(applicant), data)
                outcomes.append("created")
            except tk.ValidationError as e:
                outcomes.append(sorted(e.error_dict))
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == sorted(["created", ["package_id"]], key=str)
    assert model.Session.query(Application).count() == 1


@pytest.mark.parametrize("kind", ["unconditional", "non_open", "unpublished"])
def test_no_application_for_other_data(kind, published_dataset, create_dataset, apply, sysadmin):
    if kind == "unconditional":
        pkg = published_dataset(name="open-data")
    elif kind == "non_open":
        pkg = published_dataset(name="closed", open_type="non_open", non_open_basis="state_secret",
                                non_open_reason="涉及国家秘密")
    else:
        pkg = create_dataset(name="draft-cond", open_type="conditional", open_conditions="仅限研究",
                             resources=[{"url": SECRET, "name": "x"}])
    if kind == "unconditional":
        with pytest.raises(tk.ValidationError) as e:
            apply(pkg=pkg)
        assert "package_id" in _errors(e)
    else:  # not public: the applicant cannot see it at all
        with pytest.raises(tk.ObjectNotFound):
            apply(pkg=pkg)
        with pytest.raises(tk.ValidationError):  # not even a sysadmin applies for it
            apply(user=sysadmin, pkg=pkg)


def test_personal_details_stay_out_of_the_dataset(apply, cond_dataset, people):
    apply(contact_phone="13900001111", contact_email="secret-contact@example.invalid")
    for user in (None, people["agency_admin"], people["sysadmin"]):
        shown = json.dumps(tk.get_action("package_show")(ctx(user), {"id": cond_dataset["id"]}),
                           ensure_ascii=False)
        found = json.dumps(tk.get_action("package_search")(ctx(user), {"q": "公交"}),
                           ensure_ascii=False)
        for text in (shown, found):
            assert "13900001111" not in text and "secret-contact@" not in text
            assert "91440300708461136T" not in text


# --- the state machine ----------------------------------------------------------------------------

DECIDE = {
    "withdraw": ("applicant", {}),
    "request_info": ("agency_editor", {"message": "请补充研究课题的立项文件。"}),
    "supply_info": ("applicant", {"reply": "立项文件编号：连交研〔2026〕12号。"}),
    "approve": ("agency_admin", {"conditions_of_use": CONDITIONS}),
    "refuse": ("agency_editor", {"reason": "申请用途与开放条件不符", "basis": "《暂行办法》第十条"}),
}


def _move_to(status, apply, people, applicant):
    app_id = apply()["id"]
    path = {"submitted": [], "info_requested": ["request_info"],
            "approved": ["approve"], "refused": ["refuse"], "withdrawn": ["withdraw"]}[status]
    for action in path:
        who, data = DECIDE[action]
        user = applicant if who == "applicant" else people[who]
        act(f"lyg_opendata_application_{action}", user, id=app_id, **data)
    return app_id


def test_more_information_is_asked_once(apply, people, applicant):
    app_id = apply()["id"]
    act("lyg_opendata_application_request_info", people["agency_editor"], id=app_id,
        message="请补充立项文件。")
    act("lyg_opendata_application_supply_info", applicant, id=app_id, reply="已补充。")
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_application_request_info", people["agency_editor"], id=app_id,
            message="再补充一次。")
    assert "once" in str(_errors(e)) or "一次" in str(_errors(e))
    shown = act("lyg_opendata_application_show", applicant, id=app_id)
    assert shown["info_request"] == "请补充立项文件。" and shown["info_reply"] == "已补充。"


def test_approve_with_conditions_resources_and_term(apply, people, applicant, cond_dataset):
    first, second = (r["id"] for r in cond_dataset["resources"])
    app = apply()
    start = dt.date.fromisoformat(app["term_start"]) + dt.timedelta(days=2)
    end = dt.date.fromisoformat(app["term_end"]) - dt.timedelta(days=10)
    result = act("lyg_opendata_application_approve", people["agency_editor"], id=app["id"],
                 conditions_of_use=CONDITIONS, granted_resource_ids=[second],
                 granted_term_start=start.isoformat(), granted_term_end=end.isoformat())
    assert result["status"] == "approved" and result["conditions_of_use"] == CONDITIONS
    assert result["granted_resource_ids"] == [second]
    assert (result["granted_term_start"], result["granted_term_end"]) == (start.isoformat(), end.isoformat())
    assert result["decided_by"] == people["agency_editor"]["name"]
    (agreement,) = model.Session.query(Agreement).filter(Agreement.application_id == app["id"]).all()
    assert result["agreement_id"] == agreement.id
    assert agreement.agency_signed_by == people["agency_editor"]["id"]
    assert CONDITIONS in agreement.text
    assert first != second


def test_approving_all_resources_names_them(apply, people, cond_dataset):
    app = apply()
    result = act("lyg_opendata_application_approve", people["agency_admin"], id=app["id"],
                 conditions_of_use=CONDITIONS)
    assert result["granted_resource_ids"] == [r["id"] for r in cond_dataset["resources"]]
    assert (result["granted_term_start"], result["granted_term_end"]) == (app["term_start"], app["term_end"])


@pytest.mark.parametrize("extra,field", [
    ({"conditions_of_use": ""}, "conditions_of_use"),
    ({"granted_term_start": "2000-01-01"}, "granted_term_start"),
    ({"granted_term_end": "2100-01-01"}, "granted_term_end"),
    ({"granted_resource_ids": ["other"]}, "granted_resource_ids"),
    ({"granted_resource_ids": "SECOND"}, "granted_resource_ids"),
])
def test_approval_rules(apply, people, cond_dataset, extra, field):
    first, second = (r["id"] for r in cond_dataset["resources"])
    app = apply(resource_ids=[first])
    data = {"conditions_of_use": CONDITIONS, **extra}
    if data.get("granted_resource_ids") == "SECOND":  # not requested
        data["granted_resource_ids"] = [second]
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_application_approve", people["agency_editor"], id=app["id"], **data)
    assert field in _errors(e), _errors(e)
    assert act("lyg_opendata_application_show", people["agency_editor"], id=app["id"])["status"] == "submitted"
    assert model.Session.query(Agreement).count() == 0


@pytest.mark.parametrize("missing", ["reason", "basis"])
def test_refusal_needs_reason_and_legal_basis(apply, people, missing):
    app = apply()
    data = {"reason": "申请用途与开放条件不符", "basis": "《暂行办法》第十条"}
    data[missing] = ""
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_application_refuse", people["agency_editor"], id=app["id"], **data)
    assert missing in _errors(e)
    result = act("lyg_opendata_application_refuse", people["agency_editor"], id=app["id"],
                 reason="申请用途与开放条件不符", basis="《暂行办法》第十条")
    assert (result["refusal_reason"], result["refusal_basis"]) == ("申请用途与开放条件不符", "《暂行办法》第十条")
    events = act("lyg_opendata_application_events", people["agency_editor"], id=app["id"])
    assert events[-1]["reason"] == "申请用途与开放条件不符"
    assert events[-1]["data"] == {"basis": "《暂行办法》第十条"}


def test_concurrent_decisions_leave_one_decision_and_one_agreement(app, apply, people, agency):
    app_id = apply()["id"]
    second = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": second["name"], "role": "editor"})
    barrier = threading.Barrier(3)
    outcomes = []

    def decide(user, name, data):
        with app.flask_app.test_request_context():
            try:
                barrier.wait(10)
                tk.get_action(name)({"user": user}, {"id": app_id, **data})
                outcomes.append(name)
            except tk.ValidationError as e:
                outcomes.append(("refused", sorted(e.error_dict)))
            finally:
                model.Session.remove()

    threads = [
        threading.Thread(target=decide, args=(people["agency_admin"]["name"],
                                              "lyg_opendata_application_approve",
                                              {"conditions_of_use": CONDITIONS})),
        threading.Thread(target=decide, args=(second["name"], "lyg_opendata_application_approve",
                                              {"conditions_of_use": CONDITIONS + "（二）"})),
        threading.Thread(target=decide, args=(people["agency_editor"]["name"],
                                              "lyg_opendata_application_refuse",
                                              {"reason": "同时拒绝的理由", "basis": "第十条"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    model.Session.remove()
    assert outcomes.count(("refused", ["status"])) == 2, outcomes
    winner = [o for o in outcomes if isinstance(o, str)]
    assert len(winner) == 1
    decisions = model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.application_id == app_id,
        ApplicationEvent.action.in_(["approve", "refuse"])).count()
    assert decisions == 1
    agreements = model.Session.query(Agreement).filter(Agreement.application_id == app_id).count()
    assert agreements == (1 if winner[0].endswith("approve") else 0)


# --- permissions by role ---------------------------------------------------------------------------

def _people_with_applicant(people, applicant):
    return {**people, "applicant": applicant}


ALL_ROLES = ROLES + ["applicant"]
# who may, per action (the application is submitted by "applicant"; for supply_info it
# waits for information)
MAY = {
    "create": {"registered", "other_agency_editor", "supervisor", "sysadmin"},
    "show": {"applicant", "agency_editor", "agency_admin", "supervisor", "sysadmin"},
    "events": {"applicant", "agency_editor", "agency_admin", "supervisor", "sysadmin"},
    "withdraw": {"applicant"},
    "supply_info": {"applicant"},
    "request_info": {"agency_editor", "agency_admin", "sysadmin"},
    "approve": {"agency_editor", "agency_admin", "sysadmin"},
    "refuse": {"agency_editor", "agency_admin", "sysadmin"},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_list_scopes_by_role(role, apply, people, applicant):
    apply()
    user = _people_with_applicant(people, applicant)[role]
    expected = {
        "mine": role != "anonymous",
        "agency": role in {"other_agency_editor", "agency_editor", "agency_admin", "supervisor",
                           "sysadmin"},  # the supervisor edits for the supervising organization
        "all": role in {"supervisor", "sysadmin"},
    }
    for scope, allowed in expected.items():
        if allowed:
            result = act("lyg_opendata_application_list", user, scope=scope)
            mine = role == "applicant"
            sees = {"mine": mine, "all": True,
                    "agency": role in {"agency_editor", "agency_admin", "sysadmin"}}[scope]
            assert result["count"] == (1 if sees else 0), (role, scope)
        else:
            with pytest.raises(tk.NotAuthorized):
                act("lyg_opendata_application_list", user, scope=scope)


def test_supervisors_see_deadlines_not_contact_details(apply, people, applicant):
    app_id = apply(contact_phone="13900002222")["id"]
    for role in ("supervisor",):
        shown = act("lyg_opendata_application_show", people[role], id=app_id)
        assert shown["personal_details_hidden"] is True
        assert shown["contact_phone"] is None and shown["contact_email"] is None
        assert shown["contact_name"] is None
        assert shown["due_on"] and shown["status"] == "submitted"
        listed = act("lyg_opendata_application_list", people[role], scope="all")["results"][0]
        assert "13900002222" not in json.dumps(listed)
    for user in (applicant, people["agency_editor"], people["sysadmin"]):
        shown = act("lyg_opendata_application_show", user, id=app_id)
        assert shown["contact_phone"] == "13900002222" and not shown["personal_details_hidden"]


def test_list_filters(apply, people, applicant, published_dataset, agency):
    a1 = apply()
    act("lyg_opendata_application_refuse", people["agency_editor"], id=a1["id"],
        reason="申请用途与开放条件不符", basis="第十条")
    a2 = apply()
    sup = people["supervisor"]
    assert [r["id"] for r in act("lyg_opendata_application_list", sup, scope="all",
                                 status="open")["results"]] == [a2["id"]]
    assert act("lyg_opendata_application_list", sup, scope="all", status="refused")["count"] == 1
    assert act("lyg_opendata_application_list", sup, scope="all", organization=agency["name"])["count"] == 2
    assert act("lyg_opendata_application_list", sup, scope="all",
               organization="lyg-other-agency")["count"] == 0
    assert act("lyg_opendata_application_list", sup, scope="all", overdue=True)["count"] == 0
    # overdue: received long ago
    row = model.Session.get(Application, a2["id"])
    row.received_on = today_beijing() - dt.timedelta(days=60)
    model.Session.commit()
    overdue = act("lyg_opendata_application_list", sup, scope="all", overdue="true")["results"]
    assert [r["id"] for r in overdue] == [a2["id"]] and overdue[0]["overdue"] is True
    assert overdue[0]["days_left"] < 0
    with pytest.raises(tk.ValidationError):
        act("lyg_opendata_application_list", sup, scope="all", status="nope")
    with pytest.raises(tk.ObjectNotFound):
        act("lyg_opendata_application_list", sup, scope="all", organization="nope")


# --- the deadline (Art 19) ------------------------------------------------------------------------

def _row(received, **kwargs):
    return Application(received_on=received, status=kwargs.pop("status", "submitted"),
                       deadline_workdays=kwargs.pop("n", 10), **kwargs)


@pytest.mark.parametrize("received,due", [("2026-09-18", "2026-10-09"),
                                          ("2026-02-13", "2026-03-05")])
def test_deadline_on_known_2026_dates(received, due):
    loader.load_library_year(2026)
    info = workflow.deadline(_row(dt.date.fromisoformat(received)), today=dt.date(2026, 1, 5))
    assert info["due_on"] == due and info["provisional"] is False


def test_deadline_provisional_in_an_unloaded_year_then_final_when_loaded(
        apply, applicant, tmp_path, people):
    loader.load_library_year(2026)
    app_id = apply()["id"]
    row = model.Session.get(Application, app_id)
    row.received_on = dt.date(2026, 12, 24)
    model.Session.commit()
    shown = act("lyg_opendata_application_show", applicant, id=app_id)
    # 2027 not loaded: weekdays only, 2027-01-01 counted
    assert shown["due_on"] == "2027-01-07" and shown["provisional"] is True
    listed = act("lyg_opendata_application_list", people["agency_editor"], scope="agency")
    assert listed["results"][0]["provisional"] is True
    loader.load_rows(2027, [("test", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})],
                     source="test")
    shown = act("lyg_opendata_application_show", applicant, id=app_id)
    assert shown["due_on"] == "2027-01-08" and shown["provisional"] is False


def test_pause_while_waiting_for_information_moves_the_due_date():
    loader.load_library_year(2026)
    # received Mon 2026-06-01, due after 10 working days: Mon 2026-06-15
    row = _row(dt.date(2026, 6, 1))
    assert workflow.deadline(row, today=dt.date(2026, 6, 2))["due_on"] == "2026-06-15"
    # asked on Wed 06-03; still waiting on Tue 06-09: paused, days left stand still
    row.status, row.info_requested_on = "info_requested", dt.date(2026, 6, 3)
    waiting = workflow.deadline(row, today=dt.date(2026, 6, 9))
    assert waiting["paused"] is True and waiting["overdue"] is False
    assert waiting["pause_workdays"] == 4
    asked = workflow.deadline(row, today=dt.date(2026, 6, 3))
    assert waiting["days_left"] == asked["days_left"] == 8
    # replied on Thu 06-11: 6 working days paused, due Wed 06-24 (Fri 06-19 is 端午节)
    row.status, row.info_supplied_on = "submitted", dt.date(2026, 6, 11)
    resumed = workflow.deadline(row, today=dt.date(2026, 6, 11))
    assert resumed["pause_workdays"] == 6 and resumed["due_on"] == "2026-06-24"
    assert resumed["days_left"] == 8 and not resumed["paused"]
    assert workflow.deadline(row, today=dt.date(2026, 6, 24))["overdue"] is False
    assert workflow.deadline(row, today=dt.date(2026, 6, 25))["overdue"] is True


def test_deadline_count_is_kept_from_the_day_of_receipt(apply, applicant, ckan_config, monkeypatch):
    app_id = apply()["id"]
    monkeypatch.setitem(ckan_config, "ckanext.lyg_opendata.applications.deadline_workdays", 20)
    shown = act("lyg_opendata_application_show", applicant, id=app_id)
    assert shown["deadline_workdays"] == 10


def test_decided_applications_say_whether_they_were_answered_in_time(apply, people):
    app_id = apply()["id"]
    result = act("lyg_opendata_application_refuse", people["agency_editor"], id=app_id,
                 reason="申请用途与开放条件不符", basis="第十条")
    assert result["answered_in_time"] is True and result["days_left"] is None
    assert result["overdue"] is False


# --- notifications ----------------------------------------------------------------------------

def test_agency_is_told_of_a_new_application_and_the_applicant_of_decisions(
        apply, people, applicant):
    app_id = apply()["id"]
    for role in ("agency_editor", "agency_admin"):
        (notice,) = notify.notices_for(people[role]["id"])
        assert "公交车辆实时位置" in notice.subject and notice.link.endswith(f"/opendata/application/{app_id}")
    assert notify.notices_for(people["other_agency_editor"]["id"]) == []
    assert notify.notices_for(applicant["id"]) == []
    act("lyg_opendata_application_request_info", people["agency_editor"], id=app_id,
        message="请补充立项文件。")
    act("lyg_opendata_application_supply_info", applicant, id=app_id, reply="已补充。")
    act("lyg_opendata_application_approve", people["agency_editor"], id=app_id,
        conditions_of_use=CONDITIONS)
    subjects = [n.subject for n in notify.notices_for(applicant["id"])]
    assert len(subjects) == 2  # info requested, approved
    bodies = " ".join(n.body for n in notify.notices_for(applicant["id"]))
    assert "请补充立项文件。" in bodies and CONDITIONS in bodies
    assert len(notify.notices_for(people["agency_admin"]["id"])) == 2  # new + info supplied
