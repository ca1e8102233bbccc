"""The password policy (issue 20 item 3) on user_create and user_update: length, not the
user name, not a common password; field-level, translated, after the access check."""
from __future__ import annotations

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _create(sysadmin, **data):
    return tk.get_action("user_create")({"user": sysadmin["name"]},
                                         {"email": "p@example.org", **data})


@pytest.mark.parametrize("password, message", [
    ("Short-1", "at least 10 characters"),
    ("wangxiaoming-2026", "user name"),
    ("Password123", "too common"),
    ("qwertyuiop", "too common"),
    ("aaaaaaaaaaaa", "too common"),
])
def test_weak_passwords_are_refused_on_create(sysadmin, password, message):
    with pytest.raises(tk.ValidationError) as err:
        _create(sysadmin, name="wangxiaoming", password=password)
    assert message in " ".join(err.value.error_dict["password"])
    assert model.User.get("wangxiaoming") is None


def test_a_good_password_is_accepted(sysadmin):
    user = _create(sysadmin, name="wangxiaoming", password="Lianyun-harbour-77")
    assert model.User.get(user["id"]).validate_password("Lianyun-harbour-77")


def test_the_minimum_length_is_configurable(sysadmin, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.identity.password.min_length", 16)
    with pytest.raises(tk.ValidationError) as err:
        _create(sysadmin, name="wangxiaoming", password="Lianyun-harbour")
    assert "at least 16" in err.value.error_dict["password"][0]


def test_user_update_checks_the_new_password_and_keeps_the_old_one(sysadmin):
    user = factories.User(name="lisi-clerk", password="Original-pass-2026")
    for bad in ("lisi-clerk-2026", "1234567890"):
        with pytest.raises(tk.ValidationError) as err:
            tk.get_action("user_update")({"user": "lisi-clerk"},
                                         {"id": user["id"], "email": user["email"],
                                          "password": bad})
        assert list(err.value.error_dict) == ["password"]
    assert model.User.get(user["id"]).validate_password("Original-pass-2026")
    tk.get_action("user_update")({"user": "lisi-clerk"},
                                 {"id": user["id"], "email": user["email"],
                                  "password": "Better-pass-2026!"})
    assert model.User.get(user["id"]).validate_password("Better-pass-2026!")


def test_access_is_checked_before_the_password(sysadmin):
    target = factories.User()
    other = factories.User()
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("user_update")({"user": other["name"]},
                                     {"id": target["id"], "email": "x@example.org",
                                      "password": "short"})


def test_the_registration_form_shows_the_error_on_the_field(app):
    resp = app.post("/en/user/register", data={
        "name": "zhaoliu", "fullname": "赵六", "email": "zl@example.org",
        "password1": "zhaoliu-2026-x", "password2": "zhaoliu-2026-x"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "must not contain the user name" in text
    assert model.User.get("zhaoliu") is None


def test_the_registration_form_refuses_a_common_password(app):
    resp = app.post("/user/register", data={
        "name": "zhaoliu", "fullname": "赵六", "email": "zl@example.org",
        "password1": "password123", "password2": "password123"})
    assert resp.status_code == 200
    assert model.User.get("zhaoliu") is None
