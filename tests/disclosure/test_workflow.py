"""The disclosure workflow through the action API: receipt, the clock on the working-day
calendar, 补正, extension, transfer, the outcomes, withdrawal, letters; every transition
from every state."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure import workflow
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.workdays import loader, today_beijing

from tests.disclosure.conftest import ctx, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_disclosure_{name}")(ctx(user), data)


def _clock(req_id, start, **columns):
    row = model.Session.get(DisclosureRequest, req_id)
    row.clock_start = start
    for key, value in columns.items():
        setattr(row, key, value)
    model.repo.commit()
    return row


# --- the clock on the working-day calendar -------------------------------------------------

@pytest.mark.parametrize("received, extension, due", [
    # README example: Friday 18 Sep 2026; 中秋 (25 Sep) and 国庆 (1-7 Oct) skipped, Sunday
    # 20 Sep and Saturday 10 Oct worked (调休)
    (dt.date(2026, 9, 18), 0, dt.date(2026, 10, 15)),
    (dt.date(2026, 9, 18), 15, dt.date(2026, 11, 5)),
    # received on the last day before 国庆: the holiday week does not count, the 调休
    # Saturday 10 Oct does: 8, 9, 10, 12-16, 19-23, 26, 27 Oct
    (dt.date(2026, 9, 30), 0, dt.date(2026, 10, 27)),
    # received on a holiday (3 Oct): the same due day as received on 30 Sep
    (dt.date(2026, 10, 3), 0, dt.date(2026, 10, 27)),
    # received on the 调休 Sunday 20 Sep: the Saturday 10 Oct counts
    (dt.date(2026, 9, 20), 0, dt.date(2026, 10, 16)),
    # a short extension of 5 working days
    (dt.date(2026, 9, 18), 5, dt.date(2026, 10, 22)),
])
def test_deadline_on_the_working_day_calendar(apply, received, extension, due):
    loader.load_library_year(2026)
    req = apply()
    row = _clock(req["id"], received, received_on=received, extension_days=extension)
    assert workflow.deadline(row) == (due, False)
    shown = act("show", {"name": model.User.get(row.user_id).name}, id=req["id"])
    assert shown["deadline"] == due.isoformat() and not shown["deadline_provisional"]


def test_receipt_number_received_today_and_due_in_15_working_days(apply):
    first, second = apply(), apply()
    year = today_beijing().year  # the year of the receipt day, Beijing's (not the host's)
    assert first["number"].startswith("YSQ-") and first["number"] != second["number"]
    assert first["status"] == "received" and first["channel"] == "online"
    assert first["deadline_days"] == 15 and first["extension_days"] == 0
    assert first["received_on"] == first["clock_start"]
    assert int(first["number"].split("-")[1]) >= year - 1
    assert [e["action"] for e in first["events"]] == ["submit"]


def test_overdue_flag_in_the_queue(people, apply):
    late, fresh = apply(), apply()
    _clock(late["id"], dt.date(2020, 1, 6))
    queue = act("queue", people["agency_editor"])
    flags = {r["id"]: r["overdue"] for r in queue["results"]}
    assert flags == {late["id"]: True, fresh["id"]: False}
    assert queue["overdue_count"] == 1
    only = act("queue", people["agency_editor"], overdue=True)
    assert [r["id"] for r in only["results"]] == [late["id"]]
    # waiting for the amendment: the clock is paused, not overdue
    act("request_correction", people["agency_editor"], id=late["id"], text="请写明招标项目的名称。")
    shown = act("show", people["agency_editor"], id=late["id"])
    assert shown["paused"] and not shown["overdue"] and shown["days_left"] is None


# --- 补正, extension, transfer ---------------------------------------------------------------

def test_correction_restarts_the_clock_from_the_amended_application(people, apply, applicant):
    req = apply()
    _clock(req["id"], dt.date(2026, 9, 1))
    asked = act("request_correction", people["agency_editor"], id=req["id"],
                text="请写明所需信息的名称、文号或者便于查询的其他特征性描述。")
    assert asked["status"] == "correction_requested"
    amended = act("amend", applicant, id=req["id"],
                  description="请公开《连云港市机动车停车场管理办法》（连政规发〔2021〕1号）的起草说明。")
    today = dt.date.fromisoformat(amended["amended_on"])
    assert amended["status"] == "received" and amended["clock_start"] == today.isoformat()
    assert "起草说明" in amended["description"]
    from ckanext.lyg_opendata.workdays import Calendar
    assert amended["deadline"] == Calendar().add_workdays(today, 15)[0].isoformat()
    assert [e["action"] for e in amended["events"]] == ["submit", "request_correction", "amend"]


def test_extension_once_at_most_15_days_with_reason_by_the_head(people, apply):
    loader.load_library_year(2026)
    req = apply()
    row = _clock(req["id"], dt.date(2026, 9, 18))
    with pytest.raises(tk.ValidationError) as err:
        act("extend", people["agency_admin"], id=req["id"], days=16, text="需要征求第三方意见。")
    assert "days" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        act("extend", people["agency_admin"], id=req["id"], days=15)
    assert "text" in err.value.error_dict
    # the period has ended (today is after 15 Oct 2026): too late to extend
    with pytest.raises(tk.ValidationError) as err:
        act("extend", people["agency_admin"], id=req["id"], days=15, text="需要征求第三方意见。")
    assert "days" in err.value.error_dict
    row = _clock(req["id"], dt.date.today())
    done = act("extend", people["agency_admin"], id=req["id"], days=15, text="需要征求第三方意见。")
    assert done["extension_days"] == 15 and done["extension_reason"] == "需要征求第三方意见。"
    assert done["deadline"] == workflow.deadline(row)[0].isoformat()
    with pytest.raises(tk.ValidationError) as err:
        act("extend", people["agency_admin"], id=req["id"], days=1, text="再次延期。")
    assert "days" in err.value.error_dict
    with pytest.raises(tk.NotAuthorized):
        act("extend", people["agency_editor"], id=req["id"], days=1, text="编辑不能批准延期。")


def test_transfer_moves_it_to_the_other_agency(people, apply, applicant):
    other = model.Group.get("lyg-other-agency")
    req = apply()
    moved = act("transfer", people["agency_editor"], id=req["id"], organization=other.name,
                text="该信息由市统计局制作并保存。")
    assert moved["organization_id"] == other.id and moved["status"] == "received"
    # the new agency handles it; the old one keeps a masked view and may no longer answer
    assert act("show", people["other_agency_editor"], id=req["id"])["applicant_name"] == "王小明"
    old_view = act("show", people["agency_editor"], id=req["id"])
    assert old_view["personal_data_masked"] and old_view["applicant_name"] == "王*明"
    with pytest.raises(tk.NotAuthorized):
        act("answer", people["agency_editor"], id=req["id"], outcome="not_exist",
            answer_text="经检索，未找到该信息。")
    with pytest.raises(tk.ValidationError) as err:
        act("transfer", people["other_agency_editor"], id=req["id"], organization=other.name,
            text="转给自己。")
    assert "organization" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        act("transfer", people["other_agency_editor"], id=req["id"], organization="no-such-agency",
            text="转给不存在的机关。")
    assert "organization" in err.value.error_dict


# --- the outcomes ---------------------------------------------------------------------------

OUTCOME_CASES = {
    "public": ({}, ()),
    "partial": ({"withheld_category": "third_party", "withheld_reason": "涉及投标人的商业秘密。",
                 "legal_basis": "《中华人民共和国政府信息公开条例》第十五条"},
                ("withheld_category", "withheld_reason", "legal_basis")),
    "already_public": ({"where_to_find": "中国·连云港政府门户网站“政务公开”专栏"},
                       ("where_to_find",)),
    "withheld": ({"withheld_category": "process", "withheld_reason": "属于内部讨论记录。",
                  "legal_basis": "《中华人民共和国政府信息公开条例》第十六条第二款"},
                 ("withheld_category", "withheld_reason", "legal_basis")),
    "not_held": ({"holder_name": "市统计局", "holder_contact": "0518-85800000"}, ()),
    "not_exist": ({}, ()),
}


@pytest.mark.parametrize("outcome", sorted(OUTCOME_CASES))
def test_each_outcome_requires_its_content(people, apply, applicant, outcome):
    extra, required = OUTCOME_CASES[outcome]
    req = apply()
    for name in required:
        partial = {k: v for k, v in extra.items() if k != name}
        with pytest.raises(tk.ValidationError) as err:
            act("answer", people["agency_editor"], id=req["id"], outcome=outcome,
                answer_text="答复如下。", **partial)
        assert list(err.value.error_dict) == [name]
    answered = act("answer", people["agency_editor"], id=req["id"], outcome=outcome,
                   answer_text="根据《中华人民共和国政府信息公开条例》，答复如下。", **extra)
    assert answered["status"] == "answered" and answered["outcome"] == outcome
    for key, value in extra.items():
        assert answered[key] == value
    assert answered["answered_in_time"] is True
    seen = act("show", applicant, id=req["id"])
    assert seen["outcome_label"] and seen["answer_text"].startswith("根据")


def test_not_held_with_a_holder_needs_its_contact(people, apply):
    req = apply()
    with pytest.raises(tk.ValidationError) as err:
        act("answer", people["agency_editor"], id=req["id"], outcome="not_held",
            answer_text="该信息不属于本机关公开范围。", holder_name="市统计局")
    assert list(err.value.error_dict) == ["holder_contact"]


def test_unclear_only_after_an_amendment(people, apply, applicant):
    req = apply()
    with pytest.raises(tk.ValidationError) as err:
        act("answer", people["agency_editor"], id=req["id"], outcome="unclear",
            answer_text="申请内容不明确。")
    assert list(err.value.error_dict) == ["outcome"]
    act("request_correction", people["agency_editor"], id=req["id"], text="请写明信息名称。")
    act("amend", applicant, id=req["id"], description="请公开有关停车的全部文件和材料。")
    done = act("answer", people["agency_editor"], id=req["id"], outcome="unclear",
               answer_text="补正后申请内容仍不明确。")
    assert done["outcome"] == "unclear"


def test_answer_with_a_file_and_the_letter_registration(people, agency):
    import io
    from werkzeug.datastructures import FileStorage
    scan = FileStorage(io.BytesIO(b"%PDF-1.4 letter"), filename="来信.pdf")
    req = act("register", people["agency_editor"], organization=agency["id"], channel="letter",
              letter=scan, **{k: v for k, v in organization().items() if k != "accept_privacy"})
    assert req["channel"] == "letter" and req["has_letter"] and req["registered_by_staff"]
    assert [e["action"] for e in req["events"]] == ["register"]
    assert req["received_on"] == req["clock_start"]
    info = FileStorage(io.BytesIO(b"%PDF-1.4 answer"), filename="招标文件.pdf")
    done = act("answer", people["agency_editor"], id=req["id"], outcome="partial",
               answer_text="现将可以公开的部分提供给您。", file=info,
               **OUTCOME_CASES["partial"][0])
    assert done["has_answer_file"] and done["answer_file_name"] == "招标文件.pdf"
    bad = FileStorage(io.BytesIO(b"not a pdf"), filename="x.pdf")
    other = act("register", people["agency_editor"], organization=agency["id"], channel="fax",
                **{k: v for k, v in organization().items() if k != "accept_privacy"})
    with pytest.raises(tk.ValidationError) as err:
        act("answer", people["agency_editor"], id=other["id"], outcome="public",
            answer_text="提供如下。", file=bad)
    assert list(err.value.error_dict) == ["file"]


def test_withdrawal_by_the_applicant(people, apply, applicant):
    req = apply()
    done = act("withdraw", applicant, id=req["id"], text="已通过其他途径获取。")
    assert done["status"] == "withdrawn" and done["withdrawal_reason"] == "已通过其他途径获取。"
    assert not done["overdue"] and done["days_left"] is None


# --- every transition from every state ------------------------------------------------------

VALID = {
    "request_correction": {"text": "请写明所需信息的名称。"},
    "amend": {"description": "请公开停车场管理办法的起草说明。"},
    "extend": {"days": 10, "text": "需要征求第三方意见。"},
    "transfer": {"organization": "lyg-other-agency", "text": "由市统计局掌握。"},
    "answer": {"outcome": "not_exist", "answer_text": "经检索，该信息不存在。"},
    "withdraw": {"text": "不再需要。"},
    "lapse": {},
}
STATES = sorted(workflow.TRANSITIONS.states)


def test_the_table_covers_the_verbs_and_states():
    assert set(workflow.TRANSITIONS) == set(VALID)
    assert set(STATES) == {"received", "correction_requested", "answered", "withdrawn"}
    assert workflow.TRANSITIONS.allowed("answered") == []
    # only a letter application closed by lapse, its amended letter received in time
    # (test_letters.py); an online one is refused below
    assert workflow.TRANSITIONS.allowed("withdrawn") == ["amend"]


@pytest.mark.parametrize("verb", sorted(VALID))
@pytest.mark.parametrize("state", STATES)
def test_every_transition_from_every_state(people, in_state, applicant, sysadmin, verb, state):
    # lapse: the time to amend (asked in 2020) has ended
    req = in_state(state, **({"correction_requested_on": dt.date(2020, 1, 6)} if verb == "lapse" else {}))
    user = applicant if verb in workflow.APPLICANT_ACTIONS else sysadmin
    allowed = workflow.TRANSITIONS.can(verb, state) and (verb, state) != ("amend", "withdrawn")
    if allowed:
        out = act(verb, user, id=req["id"], **VALID[verb])
        assert out["status"] == workflow.TRANSITIONS[verb][1]
        assert out["events"][-1]["action"] == verb
        assert out["events"][-1]["from_status"] == state
    else:
        with pytest.raises(tk.ValidationError) as err:
            act(verb, user, id=req["id"], **VALID[verb])
        assert list(err.value.error_dict) == ["status"]
        assert model.Session.get(DisclosureRequest, req["id"]).status == state


# --- bad input: field errors, never a 500 ---------------------------------------------------

@pytest.mark.parametrize("change, field", [
    ({"applicant_type": "robot"}, "applicant_type"),
    ({"id_number": "110105194912310021"}, "id_number"),      # wrong check digit
    ({"id_number": ""}, "id_number"),
    ({"phone": "12345"}, "phone"),
    ({"email": "not-an-email"}, "email"),
    ({"description": "短"}, "description"),
    ({"delivery": "pigeon"}, "delivery"),
    ({"delivery": "post", "address": ""}, "address"),
    ({"accept_privacy": False}, "accept_privacy"),
    ({"organization": "no-such-agency"}, "organization"),
    ({"organization": ""}, "organization"),
])
def test_bad_individual_input_is_a_field_error(apply, change, field):
    with pytest.raises(tk.ValidationError) as err:
        apply(**change)
    assert field in err.value.error_dict


@pytest.mark.parametrize("change, field", [
    ({"credit_code": "91320700MA1M9NT201"}, "credit_code"),   # wrong check character
    ({"credit_code": "ABC"}, "credit_code"),
    ({"credit_code": ""}, "credit_code"),
    ({"organization_kind": ""}, "organization_kind"),
    ({"organization_kind": "club"}, "organization_kind"),
    ({"legal_representative": ""}, "legal_representative"),
    ({"contact_person": ""}, "contact_person"),
])
def test_bad_organization_input_is_a_field_error(people, agency, applicant, change, field):
    data = organization(organization=agency["id"], **change)
    with pytest.raises(tk.ValidationError) as err:
        act("create", applicant, **data)
    assert field in err.value.error_dict


def test_organization_applicant_accepted_with_a_valid_credit_code(people, agency, applicant):
    req = act("create", applicant, **organization(organization=agency["id"]))
    assert req["applicant_type"] == "organization" and req["organization_kind"] == "business"
    assert req["id_number"] is None and req["credit_code"].startswith("91320700")


@pytest.mark.parametrize("data, field", [
    ({"days": "abc", "text": "理由充分。"}, "days"),
    ({"days": 0, "text": "理由充分。"}, "days"),
    ({"days": 3, "text": ""}, "text"),
])
def test_bad_extension_input(people, apply, data, field):
    req = apply()
    with pytest.raises(tk.ValidationError) as err:
        act("extend", people["agency_admin"], id=req["id"], **data)
    assert field in err.value.error_dict


def test_bad_answer_input(people, apply):
    req = apply()
    for data, field in [({"outcome": "maybe", "answer_text": "答复。"}, "outcome"),
                        ({"outcome": "public", "answer_text": ""}, "answer_text"),
                        ({"outcome": "withheld", "answer_text": "不予公开。",
                          "withheld_category": "whim", "withheld_reason": "无",
                          "legal_basis": "无"}, "withheld_category")]:
        with pytest.raises(tk.ValidationError) as err:
            act("answer", people["agency_editor"], id=req["id"], **data)
        assert field in err.value.error_dict


def test_unknown_application_is_404(people):
    with pytest.raises(tk.ObjectNotFound):
        act("show", people["sysadmin"], id="no-such-id")
    with pytest.raises(tk.ObjectNotFound):
        act("answer", people["sysadmin"], id="no-such-id", outcome="public", answer_text="x")


def test_a_non_dict_is_a_field_error(people):
    with pytest.raises(tk.ValidationError):
        tk.get_action("lyg_opendata_disclosure_create")(ctx(people["registered"]), None)
