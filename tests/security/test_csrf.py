"""Issue 11 finding 3: a cookie-authenticated state-changing request always needs a valid
CSRF token, whatever requests reached the view before (CKAN exempts a view for good once a
request with an API token reaches it); a token request never needs one."""
from __future__ import annotations

import re

import pytest

from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PASSWORD = "Csrf-test-Pass-2026"


@pytest.fixture
def csrf_app(app, monkeypatch):
    """The test app with flask-wtf's CSRF protection on (test.ini turns it off; the app is
    shared between tests, so it is switched on the app itself, for this test)."""
    monkeypatch.setitem(app.flask_app.config, "WTF_CSRF_ENABLED", True)
    return app


def _csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html) or \
        re.search(r'<meta name="_csrf_token" content="([^"]+)"', html) or \
        re.search(r'<meta name="csrf_token" content="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _log_in(app, name):
    token = _csrf_token(app.get("/user/login").get_data(as_text=True))
    resp = app.post("/user/login", data={"login": name, "password": PASSWORD,
                                         "_csrf_token": token, "csrf_token": token},
                    follow_redirects=False)
    assert resp.status_code == 302, resp.status_code


def test_a_token_request_does_not_switch_off_csrf_for_cookie_posts(csrf_app, create_dataset,
                                                                     sysadmin):
    app = csrf_app
    ds = create_dataset(name="csrf-target", title="跨站请求测试")
    editor = factories.UserWithToken(password=PASSWORD, sysadmin=True)
    # an API-token request reaches the edit view (CKAN then exempts that view for good)
    assert app.get("/dataset/edit/csrf-target",
                   headers={"Authorization": editor["token"]}).status_code == 200
    app.post("/dataset/csrf-target/review/withdraw", data={"reason": "接口请求"},
             headers={"Authorization": editor["token"]}, follow_redirects=False)
    app.get(f"/user/edit/{editor['name']}", headers={"Authorization": editor["token"]})
    _log_in(app, editor["name"])
    forged = app.post("/dataset/edit/csrf-target", data={
        "title": "被伪造的标题", "name": "csrf-target", "save": ""}, follow_redirects=False)
    assert forged.status_code == 400, forged.status_code
    # a profile edit (core's form) and the extension's review form alike
    assert app.post(f"/user/edit/{editor['name']}", data={"fullname": "伪造"},
                    follow_redirects=False).status_code == 400
    assert app.post("/dataset/csrf-target/review/withdraw", data={"reason": "伪造的撤回理由"},
                    follow_redirects=False).status_code == 400
    import ckan.plugins.toolkit as tk
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": ds["id"]})["title"] \
        == "跨站请求测试"


def test_token_requests_need_no_csrf_token(csrf_app, sysadmin, create_dataset):
    app = csrf_app
    create_dataset(name="csrf-api")
    resp = app.post("/api/3/action/package_patch", json={"id": "csrf-api", "notes": "接口修改"},
                    headers={"Authorization": sysadmin["token"]})
    assert resp.status_code == 200, resp.status_code


def test_remember_me_cookie_is_samesite_lax(app):
    assert app.flask_app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
