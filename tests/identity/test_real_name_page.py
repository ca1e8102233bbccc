"""The staff page of real-name checks (/opendata/real-name: look a person up, see the status,
record a check) and the demo's organisation links (identity/demo.py: through the actions,
idempotent)."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.lyg_opendata.demo import loader
from ckanext.lyg_opendata.identity import demo as identity_demo
from ckanext.lyg_opendata.identity import organisations as orgs
from ckanext.lyg_opendata.identity.org_model import OrgLink, RealNameCheck

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _h(user):
    return {"Authorization": user["token"]} if user else {}


def test_who_may_open_the_page(app, people):
    res = app.get("/opendata/real-name", follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]
    for role in ("registered", "agency_editor", "agency_admin", "other_agency_editor"):
        app.get("/opendata/real-name", headers=_h(people[role]), status=403)
    for role in ("supervisor", "sysadmin"):
        assert 'id="lyg-real-name-find"' in app.get("/opendata/real-name", headers=_h(people[role])).body
    # others cannot record a check by posting either
    person = factories.User()
    app.post("/opendata/real-name", headers=_h(people["agency_admin"]),
             data={"user": person["name"], "note": "看过身份证"}, status=403)
    assert model.Session.get(RealNameCheck, person["id"]) is None


def test_a_supervisor_looks_up_and_records_a_check(app, people):
    person = factories.User(fullname="柜台办理人", email="counter.person@example.invalid")
    h = _h(people["supervisor"])
    # unknown person: a field error
    res = app.get("/en/opendata/real-name?user=nobody-here", headers=h)
    assert res.status_code == 400 and "No active account has this user name" in res.body
    # found by email: not verified yet
    res = app.get("/en/opendata/real-name?user=counter.person@example.invalid", headers=h)
    assert res.status_code == 200 and "柜台办理人" in res.body
    assert "Not real-name verified" in res.body
    # a check without saying how: the field error, nothing recorded
    res = app.post("/en/opendata/real-name", headers=h, data={"user": person["name"], "note": "  "})
    assert res.status_code == 400 and "Say how the real name was checked" in res.body
    assert model.Session.get(RealNameCheck, person["id"]) is None
    res = app.post("/en/opendata/real-name", headers=h, follow_redirects=False,
                   data={"user": person["name"], "note": "窗口核验居民身份证原件"})
    assert res.status_code == 302
    status = orgs.real_name(person["id"])
    assert status["verified"] and status["source"] == "staff"
    assert status["verified_by"] == people["supervisor"]["name"]
    page = app.get(f"/en/opendata/real-name?user={person['name']}", headers=h).body
    assert "Real-name verified" in page and people["supervisor"]["name"] in page


def test_demo_organisation_links_are_made_once(people):
    entries = loader.load_demo_data()["org_links"]
    for name in {e["user"] for e in entries}:
        factories.User(name=name, fullname=f"演示{name}")
    assert identity_demo.ensure(entries, print) == len(entries) == 3
    links = {(link.user_id, link.credit_code): link for link in model.Session.query(OrgLink)}
    for entry in entries:
        link = links[(model.User.get(entry["user"]).id, entry["credit_code"])]
        assert link.status == entry["state"]
        if entry["state"] != "submitted":
            assert link.decision_reason == entry["reason"]
            assert model.User.get(link.decided_by).name == people["supervisor"]["name"]
        assert orgs.letter_content(link).startswith(b"%PDF")
    # a second load adds nothing and changes nothing
    before = [(r.id, r.status) for r in model.Session.query(OrgLink).order_by(OrgLink.id)]
    assert identity_demo.ensure(entries, print) == 0
    assert [(r.id, r.status) for r in model.Session.query(OrgLink).order_by(OrgLink.id)] == before
