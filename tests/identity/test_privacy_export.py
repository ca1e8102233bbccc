"""PIPL right of access (issue 20 item 4, first part): a person downloads what the platform
holds about them (JSON); nobody else but a sysadmin may; secrets are never in it."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata import notify
from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")


def ctx(user):
    return {"user": user["name"] if user else ""}


def _export(who, **data):
    return tk.get_action("lyg_opendata_privacy_export")(ctx(who), data)


@pytest.fixture
def world(people):
    applicant = factories.UserWithToken(fullname="申请人", email="applicant@example.org")
    return dict(people, applicant=applicant)


@pytest.mark.parametrize("role", ROLES + ["applicant"])
def test_who_may_download_the_applicants_data(world, role):
    who = world[role]
    target = world["applicant"]
    if role in ("applicant", "sysadmin"):
        assert _export(who, id=target["name"])["profile"]["email"] == "applicant@example.org"
    else:
        with pytest.raises(tk.NotAuthorized):
            _export(who, id=target["name"])
    if who is not None:  # everyone signed in gets their own
        assert _export(who)["profile"]["id"] == who["id"]
    else:
        with pytest.raises(tk.NotAuthorized):
            _export(who)


def test_the_export_holds_the_persons_records_and_no_secret(world, app):
    applicant = world["applicant"]
    import ckan.model as model
    notify.notify_users([model.User.get(applicant["id"])], "通知", "内容")
    tk.get_action("api_token_create")({"user": applicant["name"]},
                                      {"user": applicant["name"], "name": "脚本"})
    data = _export(applicant)
    assert [n["subject"] for n in data["notices"]] == ["通知"]
    assert "脚本" in [t["name"] for t in data["api_tokens"]] and len(data["api_tokens"]) == 2
    assert [e["kind"] for e in data["security_log"]] == ["token_created", "token_created"]
    for key in ("applications", "grants", "agreements_signed", "objections", "reports",
                "data_requests", "ratings", "suggestions", "disclosure_applications",
                "disclosure_complaints"):
        assert data[key] == []
    text = json.dumps(data, ensure_ascii=False)
    stored = model.User.get(applicant["id"]).password
    assert stored and stored not in text and "password" not in data["profile"]
    # through the API as JSON
    resp = app.get("/api/3/action/lyg_opendata_privacy_export",
                   headers={"Authorization": applicant["token"]})
    assert resp.status_code == 200 and resp.json["result"]["profile"]["name"] == applicant["name"]


def test_an_unknown_person_is_not_found(world):
    with pytest.raises(tk.ObjectNotFound):
        _export(world["sysadmin"], id="no-such-person")
