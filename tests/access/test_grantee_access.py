"""A valid grant opens exactly the granted resources (Art 19), through the UI and the API,
for exactly its term; each serving to the grantee is written to the access log (Art 21)
with its channel and grant; the agency's members and sysadmins use everything and are not
logged; revocation and expiry take effect at once."""
from __future__ import annotations

import datetime as dt
import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.model import Grant
from ckanext.lyg_opendata.workdays import today_beijing
from tests.access.conftest import (
    APPLY_PAGE, FILE_CONTENT, FILE_NAME, ROW_VALUE, SECRET_A, SECRET_B, STORE_CONTENT, access_log, log_in)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _log_of(w, sysadmin, who):
    user_id = w.users[who]["id"]
    return [(r["resource_id"], r["channel"], r["grant_id"])
            for r in access_log(w.pkg["id"], sysadmin) if r["user_id"] == user_id]


def _by_id(resources):
    return {r["id"]: r for r in resources}


def test_api_with_a_grantees_token_serves_the_granted_urls_only_and_logs_them(app, world, sysadmin):
    w = world
    shown = app.get("/api/3/action/package_show", query_string={"id": "cond"},
                    headers=w.headers("grantee")).json["result"]
    res = _by_id(shown["resources"])
    assert res[w.a]["url"] == SECRET_A
    assert res[w.c]["url_type"] == "upload" and res[w.c]["url"].endswith(f"/resource/{w.c}/download/{FILE_NAME}")
    assert res[w.b]["url"] == APPLY_PAGE and SECRET_B not in json.dumps(shown)
    one = app.get("/api/3/action/resource_show", query_string={"id": w.a},
                  headers=w.headers("grantee")).json["result"]
    assert one["url"] == SECRET_A
    refused = app.get("/api/3/action/resource_show", query_string={"id": w.b},
                      headers=w.headers("grantee")).json["result"]
    assert refused["url"] == APPLY_PAGE
    grant = w.grants["grantee"]
    assert sorted(_log_of(w, sysadmin, "grantee")) == sorted(
        [(w.a, "api", grant), (w.c, "api", grant), (w.a, "api", grant)])


def test_grantee_downloads_through_the_ui_and_the_api_and_each_is_logged(app, world, sysadmin):
    w = world
    grant = w.grants["grantee"]
    # the UI, logged in: a link resource is a checked redirect, an upload is served
    log_in(app, w.name("grantee"))
    resp = app.get(f"/dataset/cond/resource/{w.a}/download", follow_redirects=False)
    assert resp.status_code == 302 and resp.headers["Location"] == SECRET_A
    resp = app.get(f"/dataset/cond/resource/{w.c}/download/{FILE_NAME}")
    assert resp.status_code == 200 and resp.get_data(as_text=True) == FILE_CONTENT
    resp = app.get(f"/file/download/{w.file_id}")
    assert resp.status_code == 200 and resp.get_data(as_text=True) == STORE_CONTENT
    assert app.get(f"/dataset/cond/resource/{w.b}/download", follow_redirects=False).status_code == 403
    page = app.get(f"/dataset/cond/resource/{w.a}").get_data(as_text=True)
    assert SECRET_A in page
    assert SECRET_B not in app.get("/dataset/cond").get_data(as_text=True)
    assert sorted(_log_of(w, sysadmin, "grantee")) == sorted(
        [(w.a, "ui", grant), (w.c, "ui", grant), (w.c, "ui", grant)])
    # the API token, no session
    app.get("/user/_logout")
    resp = app.get(f"/dataset/cond/resource/{w.c}/download", headers=w.headers("grantee"))
    assert resp.status_code == 200 and resp.get_data(as_text=True) == FILE_CONTENT
    resp = app.get(f"/dataset/cond/resource/{w.a}/download", headers=w.headers("grantee"),
                   follow_redirects=False)
    assert resp.status_code == 302 and resp.headers["Location"] == SECRET_A
    assert app.get(f"/dataset/cond/resource/{w.b}/download", headers=w.headers("grantee"),
                   follow_redirects=False).status_code == 403
    assert sorted(r for r in _log_of(w, sysadmin, "grantee") if r[1] == "api") == sorted(
        [(w.a, "api", grant), (w.c, "api", grant)])


def test_grantee_datastore_queries_dump_and_preview_are_logged(app, world, sysadmin):
    w = world
    grant = w.grants["grantee"]
    found = app.post("/api/3/action/datastore_search", json={"resource_id": w.a},
                     headers=w.headers("grantee")).json["result"]
    assert [r["name"] for r in found["records"]] == [ROW_VALUE]
    dump = app.get(f"/datastore/dump/{w.a}", headers=w.headers("grantee"))
    assert dump.status_code == 200 and ROW_VALUE in dump.get_data(as_text=True)
    view = app.get(f"/dataset/cond/resource/{w.a}/view/{w.view_id}", headers=w.headers("grantee"))
    assert view.status_code == 200
    assert sorted(_log_of(w, sysadmin, "grantee")) == sorted(
        [(w.a, "datastore", grant), (w.a, "datastore", grant), (w.a, "preview", grant)])


@pytest.mark.parametrize("who", ["agency_editor", "agency_admin", "sysadmin"])
def test_the_agency_and_sysadmins_use_everything_and_are_not_logged(app, world, sysadmin, who):
    w = world
    shown = app.get("/api/3/action/package_show", query_string={"id": "cond"},
                    headers=w.headers(who)).json["result"]
    res = _by_id(shown["resources"])
    assert res[w.a]["url"] == SECRET_A and res[w.b]["url"] == SECRET_B
    for rid, url in ((w.a, SECRET_A), (w.b, SECRET_B)):
        resp = app.get(f"/dataset/cond/resource/{rid}/download", headers=w.headers(who),
                       follow_redirects=False)
        assert resp.status_code == 302 and resp.headers["Location"] == url
    resp = app.get(f"/dataset/cond/resource/{w.c}/download", headers=w.headers(who))
    assert resp.get_data(as_text=True) == FILE_CONTENT
    found = app.post("/api/3/action/datastore_search", json={"resource_id": w.a},
                     headers=w.headers(who)).json["result"]
    assert found["records"][0]["name"] == ROW_VALUE
    assert access_log(w.pkg["id"], sysadmin) == []


def test_package_show_does_not_serve_the_redacted_index_cache(app, world):
    """The index stores the conditional dataset redacted (its data_dict and
    validated_data_dict); package_show — which reads that cache by default — still gives
    the agency and the grantee their addresses, built from the database."""
    from ckan.lib.search import show
    w = world
    stored = show("cond")
    assert SECRET_A not in json.dumps(stored) and SECRET_B not in json.dumps(stored)
    for who, expected in (("agency_editor", {w.a: SECRET_A, w.b: SECRET_B}),
                          ("grantee", {w.a: SECRET_A, w.b: APPLY_PAGE})):
        shown = tk.get_action("package_show")({"user": w.name(who)}, {"id": "cond"})
        assert {rid: _by_id(shown["resources"])[rid]["url"] for rid in expected} == expected
        searched = tk.get_action("package_search")({"user": w.name(who)}, {"q": "name:cond"})
        assert SECRET_A not in json.dumps(searched)  # search results are public alike


@pytest.mark.parametrize("change", ["revoke", "expire"])
def test_revocation_and_expiry_take_effect_at_once(app, world, change):
    w = world
    path = f"/dataset/cond/resource/{w.a}/download"
    assert app.get(path, headers=w.headers("grantee"), follow_redirects=False).status_code == 302
    grant = model.Session.get(Grant, w.grants["grantee"])
    if change == "revoke":
        grant.revoked_at = dt.datetime.utcnow()
        grant.revoke_reason = "违反协议约定的用途"
    else:
        grant.ends_on = today_beijing() - dt.timedelta(days=1)
    model.Session.commit()
    resp = app.get(path, headers=w.headers("grantee"), follow_redirects=False)
    assert resp.status_code == 403 and "有条件开放" in resp.get_data(as_text=True)
    shown = app.get("/api/3/action/package_show", query_string={"id": "cond"},
                    headers=w.headers("grantee")).get_data(as_text=True)
    assert SECRET_A not in shown and FILE_NAME not in shown
    assert app.post("/api/3/action/datastore_search", json={"resource_id": w.a},
                    headers=w.headers("grantee")).status_code == 403


def test_unconditional_data_stays_open_to_everyone(app, published_dataset, sysadmin):
    """The enforcement touches conditional data only: anonymous users search, query the
    DataStore and download unconditional data, and nothing is logged."""
    url = "https://data.example.invalid/open/parking-lots.csv"
    ds = published_dataset(name="open-data", resources=[{"url": url, "format": "CSV"}])
    rid = ds["resources"][0]["id"]
    tk.get_action("datastore_create")({"user": sysadmin["name"]}, {
        "resource_id": rid, "force": True, "fields": [{"id": "name", "type": "text"}],
        "records": [{"name": "海州区停车场"}]})
    assert app.get("/api/3/action/package_show?id=open-data").json["result"]["resources"][0]["url"] == url
    resp = app.get(f"/dataset/open-data/resource/{rid}/download", follow_redirects=False)
    assert resp.status_code == 302 and resp.headers["Location"] == url
    found = app.post("/api/3/action/datastore_search", json={"resource_id": rid}).json["result"]
    assert found["records"][0]["name"] == "海州区停车场"
    assert "海州区停车场" in app.get(f"/datastore/dump/{rid}").get_data(as_text=True)
    assert access_log(ds["id"], sysadmin) == []


@pytest.mark.parametrize("who,rows", [("grantee", True), ("registered", False), ("anonymous", False)])
def test_table_preview_rows_for_the_grantee_only(app, world, who, rows):
    """The preview's rows (the DataTables view's ajax call, as its page makes it): the
    grantee of the resource gets them, a user without a grant does not (issue 14)."""
    w = world
    form = {"draw": "1", "search[value]": "", "start": "0", "length": "10",
            "order[0][column]": "0", "order[0][dir]": "asc",
            "columns[0][data]": "name", "columns[0][name]": "name"}
    resp = app.post(f"/datatables/ajax/{w.view_id}", data=form, headers=w.headers(who))
    if rows:
        assert resp.status_code == 200, resp.status_code
        data = json.loads(resp.get_data(as_text=True))["data"]
        assert len(data) == 1 and ROW_VALUE in json.dumps(data, ensure_ascii=False)
    else:
        assert resp.status_code == 403 and ROW_VALUE not in resp.get_data(as_text=True)
