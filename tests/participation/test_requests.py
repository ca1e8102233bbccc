"""Data requests (数据需求): filing, the public view (masked name, no contact), routing,
the six answers, the clock (paused by 需补充说明), support (+1), the dataset link and bad
input as field errors."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.participation import workflow
from ckanext.lyg_opendata.participation.model import DataRequest

from tests.participation.conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_filed_request_is_public_with_a_masked_name_and_no_contact(people, file_request):
    req = file_request(contact="13800000000", show_name=False)
    assert req["status"] == "submitted" and req["contact"] == "13800000000"
    public = act("lyg_opendata_data_request_show", None, id=req["id"])
    assert public["requester_name"] == "注**"
    assert "contact" not in public and "13800000000" not in repr(public)
    shown = file_request(show_name=True, title="公交到站实时数据")
    assert act("lyg_opendata_data_request_show", None, id=shown["id"])["requester_name"] == "注册用户"
    insider = act("lyg_opendata_data_request_show", people["supervisor"], id=req["id"])
    assert insider["requester_name"] == "注册用户" and insider["contact"] == "13800000000"


def test_supervisors_hear_of_a_new_request(people, file_request):
    file_request()
    sup = model.User.get(people["supervisor"]["name"])
    assert any("公共停车场实时空余泊位" in n.subject for n in notify.notices_for(sup.id))


def test_route_answer_planned_then_publication_opens_it(people, agency, file_request,
                                                        create_dataset, publish):
    req = file_request()
    routed = act("lyg_opendata_data_request_route", people["supervisor"], id=req["id"],
                 organization=agency["name"])
    assert routed["status"] == "assigned" and routed["organization"]["name"] == agency["name"]
    due, _p = workdays.Calendar().add_workdays(workdays.today_beijing(), 15)
    assert routed["deadline"] == due.isoformat() and routed["overdue"] is False
    editor = model.User.get(people["agency_editor"]["name"])
    assert any("公共停车场" in n.subject for n in notify.notices_for(editor.id))

    draft = create_dataset(name="lyg-parking-live", title="公共停车场实时泊位")
    planned_for = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    answered = act("lyg_opendata_data_request_answer", people["agency_editor"], id=req["id"],
                   answer="planned", planned_date=planned_for, datasets=draft["name"],
                   text="计划于下月开放。")
    assert answered["status"] == "planned" and answered["planned_date"] == planned_for
    # the draft is linked but not shown to the public until published
    assert act("lyg_opendata_data_request_show", None, id=req["id"])["datasets"] == []

    publish(draft)
    opened = act("lyg_opendata_data_request_show", None, id=req["id"])
    assert opened["status"] == "opened"
    assert [d["name"] for d in opened["datasets"]] == ["lyg-parking-live"]
    assert opened["events"][-1]["action"] == "opened_on_publication"
    requester = model.User.get(people["registered"]["name"])
    assert any("lyg-parking-live" in (n.body or "") for n in notify.notices_for(requester.id))
    # the dataset's page lists the request
    linked = act("lyg_opendata_data_request_list", None, package_id="lyg-parking-live", status="all")
    assert [r["id"] for r in linked["results"]] == [req["id"]]


def test_need_info_pauses_the_clock_and_supplement_resumes_it(people, agency, in_state):
    req = in_state("assigned")
    paused = act("lyg_opendata_data_request_answer", people["agency_editor"], id=req["id"],
                 answer="need_info", text="请说明需要哪些区域。")
    assert paused["status"] == "need_info" and paused["deadline"] is None
    assert paused["overdue"] is False and paused["paused_days_left"] == 15
    row = model.Session.get(DataRequest, req["id"])
    row.clock_days = 4  # as if 11 working days had passed before the pause
    model.repo.commit()
    resumed = act("lyg_opendata_data_request_supplement", people["registered"], id=req["id"],
                  text="海州区和连云区。")
    due, _p = workdays.Calendar().add_workdays(workdays.today_beijing(), 4)
    assert resumed["status"] == "assigned" and resumed["deadline"] == due.isoformat()
    assert "海州区和连云区。" in resumed["description"]


def test_overdue_is_flagged_and_filtered(people, in_state):
    late = in_state("assigned")
    row = model.Session.get(DataRequest, late["id"])
    row.clock_start = workdays.today_beijing() - dt.timedelta(days=60)
    model.repo.commit()
    in_state("assigned", title="另一个需求的标题")
    result = act("lyg_opendata_data_request_list", None, overdue=True)
    assert [r["id"] for r in result["results"]] == [late["id"]]
    assert result["results"][0]["overdue"] is True


def test_each_final_answer_and_not_ours(people, agency, dataset, in_state):
    editor = people["agency_editor"]
    cases = [
        ({"answer": "opened", "datasets": [dataset["name"]]}, "opened"),
        ({"answer": "conditional", "application_url": "https://data.lyg.gov.cn/apply"}, "conditional"),
        ({"answer": "refused", "legal_basis": "privacy_trade_secret", "text": "涉及个人隐私。"}, "refused"),
        ({"answer": "not_ours", "text": "应由市公安局回应。"}, "submitted"),
    ]
    for data, status in cases:
        req = in_state("assigned")
        out = act("lyg_opendata_data_request_answer", editor, id=req["id"], **data)
        assert out["status"] == status, data
    assert out["organization"] is None and out["deadline"] is None


@pytest.mark.parametrize("data,field", [
    ({"answer": "planned"}, "planned_date"),
    ({"answer": "planned", "planned_date": "2001-01-01"}, "planned_date"),
    ({"answer": "planned", "planned_date": "明天"}, "planned_date"),
    ({"answer": "opened"}, "datasets"),
    ({"answer": "opened", "datasets": ["no-such-dataset"]}, "datasets"),
    ({"answer": "opened", "datasets": {"a": 1}}, "datasets"),
    ({"answer": "conditional"}, "application_url"),
    ({"answer": "conditional", "application_url": "javascript:alert(1)"}, "application_url"),
    ({"answer": "refused", "text": "不能开放。"}, "legal_basis"),
    ({"answer": "refused", "legal_basis": "state_secret"}, "text"),
    ({"answer": "need_info"}, "text"),
    ({"answer": "maybe"}, "answer"),
    ({"answer": ["planned"]}, "answer"),
])
def test_bad_answers_are_field_errors(people, in_state, data, field):
    req = in_state("assigned")
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_data_request_answer", people["agency_editor"], id=req["id"], **data)
    assert field in e.value.error_dict
    assert model.Session.get(DataRequest, req["id"]).status == "assigned"


def test_an_unpublished_dataset_cannot_answer_opened(people, in_state, create_dataset):
    draft = create_dataset(name="lyg-draft-only")
    req = in_state("assigned")
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_data_request_answer", people["agency_editor"], id=req["id"],
            answer="opened", datasets=draft["name"])
    assert "datasets" in e.value.error_dict


@pytest.mark.parametrize("data,field", [
    ({"title": ""}, "title"),
    ({"title": "短"}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": ""}, "description"),
    ({"data_format": "pdfx"}, "data_format"),
    ({"frequency": "hourly"}, "frequency"),
    ({"organization": "no-such-body"}, "organization"),
    ({"show_name": "perhaps"}, "show_name"),
    ({"title": ["停车场数据"]}, "title"),
    ({"description": "停车场数据\x00"}, "description"),
])
def test_bad_requests_are_field_errors(people, file_request, data, field):
    with pytest.raises(tk.ValidationError) as e:
        file_request(**data)
    assert field in e.value.error_dict


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.blocked_words", "赌博")
def test_the_word_filter_applies(people, file_request):
    with pytest.raises(tk.ValidationError) as e:
        file_request(description="我需要赌博网站名单数据。")
    assert "description" in e.value.error_dict


def test_one_support_per_user_and_queue_sorted_by_support(people, file_request):
    first = file_request(title="第一个需求标题")
    second = file_request(title="第二个需求标题")
    for role in ("agency_editor", "supervisor"):
        act("lyg_opendata_data_request_support", people[role], id=second["id"])
    with pytest.raises(tk.ValidationError):
        act("lyg_opendata_data_request_support", people["supervisor"], id=second["id"])
    with pytest.raises(tk.ValidationError):  # not one's own
        act("lyg_opendata_data_request_support", people["registered"], id=first["id"])
    shown = act("lyg_opendata_data_request_show", people["supervisor"], id=second["id"])
    assert shown["support_count"] == 2 and shown["supported"] is True
    order = act("lyg_opendata_data_request_list", None)["results"]
    assert [r["id"] for r in order] == [second["id"], first["id"]]
    newest = act("lyg_opendata_data_request_list", None, sort="newest")["results"]
    assert [r["id"] for r in newest] == [second["id"], first["id"]]
    found = act("lyg_opendata_data_request_list", None, q="第一个")["results"]
    assert [r["id"] for r in found] == [first["id"]]


def test_hidden_requests_are_gone_from_the_public(people, file_request):
    req = file_request()
    act("lyg_opendata_data_request_hide", people["supervisor"], id=req["id"], reason="含有他人手机号。")
    assert act("lyg_opendata_data_request_list", None)["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        act("lyg_opendata_data_request_show", people["other_agency_editor"], id=req["id"])
    mine = act("lyg_opendata_data_request_show", people["registered"], id=req["id"])
    assert mine["status"] == "hidden"
    assert act("lyg_opendata_data_request_list", people["supervisor"], status="hidden")["count"] == 1


def test_claim_by_an_agency(people, agency, file_request):
    req = file_request()
    out = act("lyg_opendata_data_request_claim", people["agency_editor"], id=req["id"])
    assert out["status"] == "assigned" and out["organization"]["id"] == agency["id"]
    with pytest.raises(tk.ValidationError) as e:
        other = file_request(title="另一个需求的标题")
        act("lyg_opendata_data_request_claim", people["agency_editor"], id=other["id"],
            organization="lyg-other-agency")
    assert "organization" in e.value.error_dict


def test_unknown_request_is_404(people):
    for name in ("show", "support"):
        with pytest.raises(tk.ObjectNotFound):
            act(f"lyg_opendata_data_request_{name}", people["registered"], id="nope")


# --- the transition table, exhaustively ---------------------------------------------

def _call(verb, people, agency, dataset, req_id):
    future = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    if verb == "route":
        return act("lyg_opendata_data_request_route", people["supervisor"], id=req_id,
                   organization="lyg-other-agency")
    if verb == "claim":
        return act("lyg_opendata_data_request_claim", people["agency_editor"], id=req_id)
    if verb == "hide":
        return act("lyg_opendata_data_request_hide", people["supervisor"], id=req_id, reason="重复提交。")
    if verb == "supplement":
        return act("lyg_opendata_data_request_supplement", people["registered"], id=req_id, text="补充说明。")
    if verb == "withdraw":
        return act("lyg_opendata_data_request_withdraw", people["registered"], id=req_id)
    answer = verb[len("answer_"):]
    extra = {"planned": {"planned_date": future},
             "opened": {"datasets": [dataset["name"] if dataset else ""]},
             "conditional": {"application_url": "https://data.lyg.gov.cn/apply"},
             "refused": {"legal_basis": "state_secret", "text": "依法确定为国家秘密。"},
             "not_ours": {}, "need_info": {"text": "请补充。"}}[answer]
    return act("lyg_opendata_data_request_answer", people["agency_editor"], id=req_id,
               answer=answer, **extra)


CASES = [(verb, state) for verb in workflow.TRANSITIONS for state in sorted(workflow.ALL_STATES)]


@pytest.mark.parametrize("verb,state", CASES, ids=[f"{v}-{s}" for v, s in CASES])
def test_every_transition_from_every_state(verb, state, people, agency, in_state, request):
    # the published dataset only where the answer needs one (publishing is the slow part)
    dataset = request.getfixturevalue("dataset") if verb == "answer_opened" else None
    req = in_state(state)
    froms, target = workflow.TRANSITIONS[verb]
    if state in froms:
        out = _call(verb, people, agency, dataset, req["id"])
        assert out["status"] == target
        assert out["events"][-1]["action"] == verb
    else:
        with pytest.raises(tk.ValidationError) as e:
            _call(verb, people, agency, dataset, req["id"])
        assert "status" in e.value.error_dict
        assert model.Session.get(DataRequest, req["id"]).status == state
