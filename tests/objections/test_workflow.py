"""The objection state machine (Art 20): every action from every state, and the stories."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata.objections import codes, workflow
from ckanext.lyg_opendata.objections.model import Objection, ObjectionEvent

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.ip", 0)]

STATES = codes.codes("status")


def call(action, user, **data):
    return tk.get_action(f"lyg_opendata_objection_{action}")(ctx(user), data)


def _args(action, people, in_state, objection):
    """Who performs ``action`` and with which parameters (always someone allowed to)."""
    if action in ("dispute", "escalate"):
        return "dispute", people["registered"], {"reason": "答复没有说明数据来源。",
                                                 "escalate": action == "escalate"}
    if action == "answer":
        return "answer", people["sysadmin"], {"outcome": "no_error", "explanation": "经核实数据无误。"}
    if action == "merge":
        other = in_state("submitted")
        return "merge", people["supervisor"], {"merge_into": other["id"]}
    if action == "reassign":
        return "reassign", people["supervisor"], {"organization": "lyg-other-agency",
                                                  "reason": "该数据由统计局提供。"}
    if action == "accept":
        return "accept", people["agency_editor"], {}
    if action in ("hide", "close", "return_to_agency"):
        return action, people["supervisor"], {"reason": "重复提交的测试内容。"}
    return action, people["agency_editor"], {"reason": "描述不清，无法核实。"}


@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
def test_each_action_is_allowed_exactly_from_its_states(action, people, in_state):
    allowed, target = workflow.TRANSITIONS[action]
    for state in STATES:
        obj = in_state(state)
        name, user, data = _args(action, people, in_state, obj)
        if state in allowed:
            result = call(name, user, id=obj["id"], **data)
            assert result["status"] == target, (action, state)
            event = model.Session.query(ObjectionEvent).filter(
                ObjectionEvent.objection_id == obj["id"]).order_by(ObjectionEvent.created.desc()).first()
            assert (event.action, event.from_status, event.to_status) == (action, state, target)
        else:
            with pytest.raises(tk.ValidationError) as err:
                call(name, user, id=obj["id"], **data)
            assert "status" in err.value.error_dict, (action, state)
            assert model.Session.get(Objection, obj["id"]).status == state


def test_transition_table_uses_known_states_and_final_states_stay_final():
    for action, (sources, target) in workflow.TRANSITIONS.items():
        assert sources <= set(STATES) and target in STATES, action
    leaving = {state: sorted(a for a, (s, _t) in workflow.TRANSITIONS.items() if state in s)
               for state in workflow.FINAL_STATES}
    # a hidden or merged objection is done; a closed one can still be hidden (abuse found later)
    assert leaving == {"hidden": [], "merged": [], "closed": ["hide"]}


def test_raise_accept_correct_answer_story(people, dataset, raise_objection):
    obj = raise_objection(data_item_code="name")
    assert obj["status"] == "submitted" and obj["organization_id"] == dataset["owner_org"]
    assert call("accept", people["agency_editor"], id=obj["id"])["status"] == "accepted"
    # the agency fixes the figure; that change is the answer's link
    tk.get_action("package_patch")(ctx(people["agency_editor"]), {
        "id": dataset["id"], "notes": "全市共有公共停车场 1250 个。"})
    activity = tk.get_action("package_activity_list")(ctx(people["agency_editor"]), {"id": dataset["id"]})[0]
    with pytest.raises(tk.ValidationError) as err:
        call("answer", people["agency_editor"], id=obj["id"], outcome="corrected", explanation="已更正。")
    assert "activity_id" in err.value.error_dict
    answered = call("answer", people["agency_editor"], id=obj["id"], outcome="corrected",
                    explanation="已将数量更正为 1250 个。", activity_id=activity["id"])
    assert answered["status"] == "answered" and answered["answer_outcome"] == "corrected"
    assert answered["answer_url"].endswith(activity["id"])
    public = call("show", None, id=obj["id"])
    assert public["answer_text"] == "已将数量更正为 1250 个。"
    assert [e["action"] for e in public["events"]] == ["raise", "accept", "answer"]
    assert public["correction"] == [{"field": "notes", "before": "全市共有公共停车场 1200 个。",
                                     "after": "全市共有公共停车场 1250 个。"}]


def test_answer_needs_an_explanation_and_a_change_of_this_dataset(people, in_state):
    obj = in_state("accepted")
    with pytest.raises(tk.ValidationError) as err:
        call("answer", people["agency_editor"], id=obj["id"], outcome="no_error", explanation="")
    assert "explanation" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        call("answer", people["agency_editor"], id=obj["id"], outcome="partly_corrected",
             explanation="部分更正。", activity_id="not-an-activity")
    assert "activity_id" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        call("answer", people["agency_editor"], id=obj["id"], outcome="fixed", explanation="已处理完毕。")
    assert "outcome" in err.value.error_dict


def test_reject_needs_a_reason_and_the_raiser_may_dispute_once(people, raise_objection):
    obj = raise_objection()
    with pytest.raises(tk.ValidationError) as err:
        call("reject", people["agency_editor"], id=obj["id"], reason="")
    assert "reason" in err.value.error_dict
    rejected = call("reject", people["agency_editor"], id=obj["id"], reason="描述不清，无法核实。")
    assert rejected["decision_reason"] == "描述不清，无法核实。"
    reopened = call("dispute", people["registered"], id=obj["id"], reason="第三行第二列的数量有误。")
    assert reopened["status"] == "reopened"
    call("answer", people["agency_editor"], id=obj["id"], outcome="no_error", explanation="复核后确认无误。")
    with pytest.raises(tk.ValidationError) as err:
        call("dispute", people["registered"], id=obj["id"], reason="仍然不同意这个答复。", escalate=True)
    assert "text" in err.value.error_dict


def test_escalated_objection_is_answered_by_supervisors_or_returned(people, raise_objection):
    obj = raise_objection()
    call("accept", people["agency_editor"], id=obj["id"])
    call("answer", people["agency_editor"], id=obj["id"], outcome="no_error", explanation="数据无误。")
    escalated = call("dispute", people["registered"], id=obj["id"], reason="请监管部门核查。", escalate=True)
    assert escalated["status"] == "escalated"
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("lyg_opendata_objection_answer", ctx(people["agency_editor"]), id=obj["id"])
    returned = call("return_to_agency", people["supervisor"], id=obj["id"], reason="请核对原始台账。")
    assert returned["status"] == "reopened"
    answered = call("answer", people["agency_editor"], id=obj["id"], outcome="partly_corrected",
                    explanation="已部分更正。")
    assert answered["status"] == "answered"


def test_moderation_hide_merge_reassign_close(people, raise_objection):
    spam = raise_objection(description="这是一条广告内容，与数据无关。")
    hidden = call("hide", people["supervisor"], id=spam["id"], reason="广告")
    assert hidden["status"] == "hidden" and hidden["moderation_reason"] == "广告"
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("lyg_opendata_objection_show", ctx(people["other_agency_editor"]), id=spam["id"])
    listed = call("list", None, package_id="lyg-parking")
    assert spam["id"] not in [o["id"] for o in listed["results"]]

    first, dup = raise_objection(), raise_objection()
    merged = call("merge", people["supervisor"], id=dup["id"], merge_into=first["id"])
    assert merged["status"] == "merged" and merged["merged_into"] == first["id"]
    with pytest.raises(tk.ValidationError):
        call("merge", people["supervisor"], id=first["id"], merge_into=first["id"])

    moved = call("reassign", people["supervisor"], id=first["id"], organization="lyg-other-agency",
                 reason="该数据由统计局提供。")
    assert moved["organization_name"] == "lyg-other-agency" and moved["status"] == "submitted"
    # now the other agency handles it, the original agency no longer decides
    assert helpers.call_auth("lyg_opendata_objection_accept", ctx(people["other_agency_editor"]), id=first["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("lyg_opendata_objection_accept", ctx(people["agency_editor"]), id=first["id"])
    closed = call("close", people["supervisor"], id=first["id"], reason="长期无进展，关闭。")
    assert closed["status"] == "closed"


def test_transitions_lock_the_row(people, raise_objection):
    """Each transition reads the objection with SELECT … FOR UPDATE before it writes."""
    import sqlalchemy as sa
    obj = raise_objection()
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        call("accept", people["agency_editor"], id=obj["id"])
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    locks = [s for s in statements if "FROM lyg_opendata_objection" in s and "FOR UPDATE" in s]
    writes = [s for s in statements if s.startswith("UPDATE lyg_opendata_objection")]
    assert locks and writes
    assert statements.index(locks[0]) < statements.index(writes[0])
