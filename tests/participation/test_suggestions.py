"""Suggestions about the platform (意见建议): users send one, the platform operator (市信息中心,
``participation.operator_org``) answers or closes it, supervisors follow them; never public;
the role matrix, the transition table exhaustively, field errors, the pages."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.participation import ratings_auth, suggestions
from ckanext.lyg_opendata.participation.model import Suggestion

from tests.conftest import ROLES
from tests.participation.conftest import act, ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def operator(people):
    user = factories.UserWithToken(fullname="信息中心运维")
    factories.Organization(name="lyg-xxzx", title="市信息中心",
                           users=[{"name": user["name"], "capacity": "editor"}])
    return user


@pytest.fixture
def suggestion(people, operator):
    def run(**kw):
        data = {"category": "platform", "text": "希望数据目录支持按更新时间筛选。", **kw}
        return act("lyg_opendata_suggestion_create", people["registered"], **data)
    return run


MATRIX = [
    ("lyg_opendata_suggestion_create", False, set(ROLES) - {"anonymous"} | {"operator"}),
    ("lyg_opendata_suggestion_show", True, {"registered", "operator", "supervisor", "sysadmin"}),
    ("lyg_opendata_suggestion_list", False, set(ROLES) - {"anonymous"} | {"operator"}),
    ("lyg_opendata_suggestion_answer", True, {"operator", "sysadmin"}),
    ("lyg_opendata_suggestion_close", True, {"operator", "supervisor", "sysadmin"}),
]


def test_every_suggestion_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == {n for n in ratings_auth.__all__ if "_suggestion_" in n}


@pytest.mark.parametrize("auth_name,needs_row,allowed", MATRIX, ids=[m[0] for m in MATRIX])
def test_suggestion_permission_matrix(auth_name, needs_row, allowed, people, operator, suggestion):
    data = {"id": suggestion()["id"]} if needs_row else {}
    everyone = dict(people, operator=operator)
    for role, user in everyone.items():
        if role in allowed:
            assert helpers.call_auth(auth_name, ctx(user), **data), (auth_name, role)
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(auth_name, ctx(user), **data)
                pytest.fail(f"{auth_name} allowed {role}")


def test_send_answer_notify_and_lists(people, operator, suggestion):
    row = suggestion(contact="wang@example.org")
    op_user = model.User.get(operator["name"])
    assert any("平台功能" in n.subject or "Platform" in n.subject for n in notify.notices_for(op_user.id))
    listed = act("lyg_opendata_suggestion_list", operator)
    assert listed["count"] == 1 and listed["results"][0]["submitted_by"] == "注册用户"
    assert act("lyg_opendata_suggestion_list", people["agency_editor"])["count"] == 0  # own only
    assert act("lyg_opendata_suggestion_list", people["supervisor"], status="submitted")["count"] == 1
    answered = act("lyg_opendata_suggestion_answer", operator, id=row["id"], text="已排入下一版本。")
    assert answered["status"] == "answered" and answered["answer_text"] == "已排入下一版本。"
    sender = model.User.get(people["registered"]["name"])
    assert any("已排入下一版本。" in (n.body or "") for n in notify.notices_for(sender.id))
    mine = act("lyg_opendata_suggestion_show", people["registered"], id=row["id"])
    assert mine["submitted_by"] is None and mine["contact"] == "wang@example.org"


CASES = [(verb, state) for verb in suggestions.TRANSITIONS for state in ("submitted", "answered", "closed")]


@pytest.mark.parametrize("verb,state", CASES, ids=[f"{v}-{s}" for v, s in CASES])
def test_every_transition_from_every_state(verb, state, operator, suggestion):
    row = suggestion()
    obj = model.Session.get(Suggestion, row["id"])
    obj.status = state
    model.repo.commit()
    froms, target = suggestions.TRANSITIONS[verb]
    call = lambda: act(f"lyg_opendata_suggestion_{verb}", operator, id=row["id"], text="处理说明。")  # noqa: E731
    if state in froms:
        assert call()["status"] == target
    else:
        with pytest.raises(tk.ValidationError) as e:
            call()
        assert "status" in e.value.error_dict


@pytest.mark.parametrize("data,field", [
    ({"category": "bugs"}, "category"), ({"category": ["platform"]}, "category"),
    ({"text": ""}, "text"), ({"text": "x" * 5001}, "text"), ({"contact": "y" * 201}, "contact"),
])
def test_bad_suggestions_are_field_errors(people, operator, suggestion, data, field):
    with pytest.raises(tk.ValidationError) as e:
        suggestion(**data)
    assert field in e.value.error_dict


def test_answer_needs_text_and_unknown_is_404(operator, suggestion):
    row = suggestion()
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_suggestion_answer", operator, id=row["id"])
    assert "text" in e.value.error_dict
    with pytest.raises(tk.ObjectNotFound):
        act("lyg_opendata_suggestion_show", operator, id="nope")


def test_pages(app, people, operator, suggestion):
    row = suggestion(text="希望增加<script>alert(1)</script>夜间模式。")
    url = f"/opendata/suggestions/{row['id']}"
    assert app.get(url, follow_redirects=False).status_code == 302  # anonymous: log in
    other = app.get(url, headers={"Authorization": people["other_agency_editor"]["token"]})
    assert other.status_code == 403
    page = app.get(url, headers={"Authorization": operator["token"]}).body
    assert "<script>alert(1)</script>" not in page and "lyg-suggestion-answer-form" in page
    assert "lyg-suggestion-row" in app.get("/opendata/suggestions", headers={"Authorization": operator["token"]}).body
    sent = app.post("/opendata/suggestions/new", data={"category": "data", "text": "请开放更多交通数据。"},
                    headers={"Authorization": people["agency_admin"]["token"]}, follow_redirects=False)
    assert sent.status_code == 302
    bad = app.post("/opendata/suggestions/new", data={"category": "data", "text": ""},
                   headers={"Authorization": people["agency_admin"]["token"]})
    assert bad.status_code == 200 and "lyg-suggestion-form" in bad.body
    assert app.post(f"{url}/explode", headers={"Authorization": operator["token"]}).status_code == 404
