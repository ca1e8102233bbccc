"""The sysadmins' audit list of account security (issue 20 item 3): what is recorded (sign-ins,
failures, tokens, role changes), who may read it (every role), bad input, the page."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")

PASSWORD = "Audit-list-2026"


def ctx(user):
    return {"user": user["name"] if user else ""}


@pytest.fixture
def world(people, agency, sysadmin):
    applicant = factories.UserWithToken(fullname="申请人")
    people = dict(people, applicant=applicant)
    return people


def _list(who, **data):
    return tk.get_action("lyg_opendata_security_event_list")(ctx(who), data)


@pytest.mark.parametrize("role", ROLES + ["applicant"])
def test_only_sysadmins_read_the_list(world, role, app):
    user = world[role]
    if role == "sysadmin":
        assert _list(user)["count"] >= 0
        env = {"Authorization": user["token"]}
        assert app.get("/ckan-admin/security-events", headers=env).status_code == 200
        return
    with pytest.raises(tk.NotAuthorized):
        _list(user)
    if user is None:
        resp = app.get("/ckan-admin/security-events", follow_redirects=False)
        assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
    else:
        resp = app.get("/ckan-admin/security-events", headers={"Authorization": user["token"]},
                       follow_redirects=False)
        assert resp.status_code == 403


def test_sign_ins_tokens_and_role_changes_are_listed(app, sysadmin, agency):
    user = factories.User(name="audited-clerk", password=PASSWORD)
    app.post("/user/login", data={"login": "audited-clerk", "password": "wrong-password-9"})
    app.post("/user/login", data={"login": "nobody-here", "password": "wrong-password-9"})
    app.post("/user/login", data={"login": "audited-clerk", "password": PASSWORD})
    token = tk.get_action("api_token_create")({"user": "audited-clerk"},
                                              {"user": "audited-clerk", "name": "脚本"})["token"]
    tk.get_action("api_token_revoke")({"user": "audited-clerk"}, {"token": token})
    tk.get_action("organization_member_create")(ctx(sysadmin), {
        "id": agency["id"], "username": "audited-clerk", "role": "editor"})
    tk.get_action("user_patch")(ctx(sysadmin), {"id": "audited-clerk", "sysadmin": True})

    result = _list(sysadmin, user="audited-clerk")
    kinds = [e["kind"] for e in result["results"]]
    assert sorted(kinds) == sorted(["sign_in_failed", "sign_in", "token_created",
                                    "token_revoked", "role_changed", "role_changed"])
    assert result["count"] == 6
    failed = _list(sysadmin, kind="sign_in_failed")
    assert {e["login"] for e in failed["results"]} == {"audited-clerk", "nobody-here"}
    assert {e["user"] for e in failed["results"]} == {"audited-clerk", None}
    assert all(e["address"] == "127.0.0.1" for e in failed["results"])
    role = [e for e in result["results"] if e["kind"] == "role_changed"]
    assert {e["actor"] for e in role} == {sysadmin["name"]}
    assert {e["detail"].get("action") for e in role} == {"member_create", "sysadmin"}
    assert _list(sysadmin, user=user["id"], limit=1)["count"] == 6
    assert len(_list(sysadmin, user=user["id"], limit=1)["results"]) == 1

    env = {"Authorization": sysadmin["token"]}
    page = app.get("/en/ckan-admin/security-events?user=audited-clerk", headers=env)
    text = page.get_data(as_text=True)
    assert text.count('class="lyg-security-event ') == 6
    assert "API token created" in text


@pytest.mark.parametrize("data, field", [
    ({"kind": "nonsense"}, "kind"), ({"kind": ["sign_in"]}, "kind"),
    ({"limit": "many"}, "limit"), ({"limit": 100000}, "limit"), ({"offset": -1}, "offset"),
])
def test_bad_filters_are_field_errors(sysadmin, data, field):
    with pytest.raises(tk.ValidationError) as err:
        _list(sysadmin, **data)
    assert field in err.value.error_dict


def test_an_unknown_user_is_not_found(sysadmin, app):
    with pytest.raises(tk.ObjectNotFound):
        _list(sysadmin, user="no-such-person")
    env = {"Authorization": sysadmin["token"]}
    resp = app.get("/en/ckan-admin/security-events?user=no-such-person&kind=bad", headers=env)
    assert resp.status_code == 200
    assert "Unknown kind" in resp.get_data(as_text=True)
