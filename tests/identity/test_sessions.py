"""Sessions end on a password change (issue 20 item 3): another browser signed in as the
same person is signed out; the browser that changed it stays signed in. Two real HTTP
sessions against the live test server (the test client shares Flask's request globals)."""
from __future__ import annotations

import pytest
import requests

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.identity.security.model import SecurityEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")

OLD = "Second-window-2026"
NEW = "Changed-pass-2027!"


def _browser(base, name, password):
    session = requests.Session()
    resp = session.post(base + "/user/login", data={"login": name, "password": password},
                        allow_redirects=False, timeout=30)
    assert resp.status_code == 302, resp.text[-2000:]
    return session


def _signed_in(base, session) -> bool:
    resp = session.get(base + "/dashboard/datasets", allow_redirects=False, timeout=30)
    return resp.status_code == 200


def test_changing_the_password_ends_the_other_sessions(live_server):
    base = live_server
    user = factories.User(name="two-browsers", password=OLD, email="tb@example.org")
    first, second = _browser(base, "two-browsers", OLD), _browser(base, "two-browsers", OLD)
    assert _signed_in(base, first) and _signed_in(base, second)
    resp = first.post(base + "/user/edit/two-browsers", data={
        "name": "two-browsers", "email": "tb@example.org", "fullname": "",
        "old_password": OLD, "password1": NEW, "password2": NEW, "save": ""},
        allow_redirects=False, timeout=30)
    assert resp.status_code == 302, resp.text[-2000:]
    model.Session.remove()
    assert model.User.get(user["id"]).validate_password(NEW)
    assert _signed_in(base, first)
    resp = second.get(base + "/dashboard/datasets", allow_redirects=False, timeout=30)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
    assert not _signed_in(base, second)
    kinds = [e.kind for e in model.Session.query(SecurityEvent).filter(
        SecurityEvent.user_id == user["id"])]
    assert "password_changed" in kinds


def test_a_sysadmin_resetting_a_password_signs_the_person_out(live_server, sysadmin):
    base = live_server
    factories.User(name="reset-me", password=OLD)
    browser = _browser(base, "reset-me", OLD)
    assert _signed_in(base, browser)
    tk.get_action("user_patch")({"user": sysadmin["name"]}, {"id": "reset-me", "password": NEW})
    assert not _signed_in(base, browser)
    browser = _browser(base, "reset-me", NEW)
    assert _signed_in(base, browser)


def test_a_profile_edit_without_a_new_password_keeps_the_sessions(live_server):
    base = live_server
    user = factories.User(name="just-renamed", password=OLD, email="jr@example.org")
    first, second = _browser(base, "just-renamed", OLD), _browser(base, "just-renamed", OLD)
    tk.get_action("user_patch")({"user": "just-renamed"}, {"id": user["id"], "fullname": "新名字"})
    assert _signed_in(base, first) and _signed_in(base, second)
