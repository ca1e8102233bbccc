"""The leak matrix, continued: actions that return a dataset besides package_show (the
review workflow's), and the activity snapshots they leave. Each answers what
``package_show`` would answer to that caller; the stored snapshot keeps the real addresses
and is redacted when read (docs/access.md)."""
from __future__ import annotations

import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from tests.access.conftest import APPLY_PAGE, SECRET_A, SECRET_B, leaks

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _call(app, w, who, action, **params):
    resp = app.post(f"/api/3/action/{action}", json=params, headers=w.headers(who))
    assert resp.status_code == 200, (action, resp.status_code, resp.get_data(as_text=True)[:500])
    return resp


def _no_address(resp, label):
    body = resp.get_data(as_text=True)
    assert not leaks(body), (label, leaks(body))
    for res in resp.json["result"]["resources"]:
        assert res["url"] == APPLY_PAGE, (label, res["url"])


def _stored_urls(sysadmin):
    pkg = tk.get_action("package_show")({"user": sysadmin["name"]}, {"id": "cond"})
    return {r["url"] for r in pkg["resources"]}


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", "true")
def test_review_actions_return_the_dataset_as_package_show_gives_the_reviewer(
        app, world, sysadmin):
    """Issue 11 finding 1: withdraw, submit/return, submit/approve and the approval of a
    held change, each by the supervisor, answer without the data addresses; the dataset
    keeps them; its newest activity snapshot stores them (issue 22 item 2)."""
    from ckanext.activity.model import Activity
    w = world
    admin = {"user": sysadmin["name"]}
    _no_address(_call(app, w, "supervisor", "lyg_opendata_review_withdraw", id="cond",
                      reason="数据需要更新后重新发布"), "withdraw")
    assert {SECRET_A, SECRET_B} <= _stored_urls(sysadmin)
    tk.get_action("lyg_opendata_review_submit")(admin, {"id": "cond", "desensitized": True})
    _no_address(_call(app, w, "supervisor", "lyg_opendata_review_return", id="cond",
                      reason="请补充数据项说明"), "return")
    tk.get_action("lyg_opendata_review_submit")(admin, {"id": "cond", "desensitized": True})
    _no_address(_call(app, w, "supervisor", "lyg_opendata_review_approve", id="cond"), "approve")
    # a held change (data items of a published dataset), approved by the supervisor
    items = tk.get_action("package_show")(admin, {"id": "cond"})["data_items"]
    items = [dict(i) for i in items] + [{"name_zh": "金额", "code": "amount", "type": "string",
                                          "description": "", "sensitive": "no"}]
    tk.get_action("package_patch")(admin, {"id": "cond", "data_items": items})
    _no_address(_call(app, w, "supervisor", "lyg_opendata_review_change_approve", id="cond"),
                "change_approve")
    tk.get_action("package_patch")(admin, {"id": "cond", "data_items": items[:-1]})
    _no_address(_call(app, w, "supervisor", "lyg_opendata_review_change_return", id="cond",
                      reason="数据项不应删除"), "change_return")
    assert {SECRET_A, SECRET_B} <= _stored_urls(sysadmin)
    # the snapshot stored by the last write keeps the real addresses (vanilla CKAN's
    # behaviour); whoever reads it outside the agency gets it redacted (test_leak_matrix)
    newest = model.Session.query(Activity).filter(
        Activity.object_id == w.pkg["id"], Activity.activity_type == "changed package"
    ).order_by(Activity.timestamp.desc()).first()
    assert SECRET_B in json.dumps(newest.data), "the stored snapshot lost its addresses"
    shown = _call(app, w, "supervisor", "activity_show", id=newest.id, include_data=True)
    assert not leaks(shown.get_data(as_text=True))
    agency = _call(app, w, "agency_editor", "activity_show", id=newest.id, include_data=True)
    assert SECRET_B in agency.get_data(as_text=True)


@pytest.mark.parametrize("key", ["ignore_auth", "for_update"])
def test_context_flags_of_core_do_not_skip_redaction(world, key):
    """Only the extension's own full-data key skips redaction: a caller (or another
    extension) that sets ``ignore_auth`` with a user, or ``for_update``, gets what that
    user may use."""
    w = world
    shown = tk.get_action("package_show")(
        {"user": w.name("supervisor"), key: True, "ignore_auth": True}, {"id": "cond"})
    assert not leaks(json.dumps(shown)), leaks(json.dumps(shown))


def test_datastore_by_alias_is_decided_on_the_resource(app, world, sysadmin):
    """Issue 11 finding 6: the DataStore actions named by an alias of a conditional
    resource's table answer as they do by its id: 403 to everyone who may not use it."""
    from tests.access.conftest import OUTSIDERS
    w = world
    alias = f"cond_alias_{w.a[:8]}"
    tk.get_action("datastore_create")({"user": sysadmin["name"]}, {
        "resource_id": w.a, "force": True, "aliases": alias})
    for who in OUTSIDERS:
        for action, params in (("datastore_info", {"id": alias}),
                               ("datastore_info", {"resource_id": alias}),
                               ("datastore_search", {"resource_id": alias})):
            resp = app.post(f"/api/3/action/{action}", json=params, headers=w.headers(who))
            assert resp.status_code == 403, (who, action, params, resp.status_code)
            assert not leaks(resp.get_data(as_text=True))
    ok = app.post("/api/3/action/datastore_info", json={"id": alias},
                  headers=w.headers("grantee"))
    assert ok.status_code == 200, ok.get_data(as_text=True)[:300]


def test_ordering_by_a_field_that_holds_data_is_refused(app, world):
    """Issue 11 finding 2: ``resource_search`` ``order_by`` and ``package_search`` ``sort``
    on a field that can hold a conditional resource's data are no oracle: 409 with a
    translated field error (only sysadmins, who may use every dataset's data, order by them)."""
    for who in ("anonymous", "registered", "supervisor", "agency_editor"):
        _refuses_ordering(app, world, who)
    assert app.get("/api/3/action/resource_search", headers=world.headers("sysadmin"),
                   query_string={"query": "name:收费", "order_by": "url"}).status_code == 200


def _refuses_ordering(app, w, who):
    for field in ("url", "hash", "extras", "url_type", "cache_url"):
        resp = app.get("/api/3/action/resource_search", headers=w.headers(who),
                       query_string={"query": "name:收费", "order_by": field})
        assert resp.status_code == 409, (field, resp.status_code)
        assert "order_by" in resp.json["error"]
    for sort in ("res_url asc", "urls desc", "title_string asc, res_format asc",
                 "extras_open_conditions asc", "res_extras_access_url desc"):
        resp = app.get("/api/3/action/package_search", headers=w.headers(who),
                       query_string={"q": "*:*", "sort": sort})
        assert resp.status_code == 409, (sort, resp.status_code)
        assert "sort" in resp.json["error"]
    # public fields order as before
    assert app.get("/api/3/action/resource_search", headers=w.headers(who), query_string={
        "query": "name:收费", "order_by": "name"}).status_code == 200
    assert app.get("/api/3/action/package_search", headers=w.headers(who), query_string={
        "q": "*:*", "sort": "title_string asc"}).status_code == 200


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", "true")
def test_group_dcat_search_and_write_actions_carry_no_address(app, world, sysadmin):
    """The remaining actions that return datasets or resources (the registry in
    test_leak_matrix_registry.py): a group's datasets, the DCAT catalog search, and the
    write actions (refused to outsiders, without the data in the refusal)."""
    w = world
    group = tk.get_action("group_create")({"user": sysadmin["name"]}, {"name": "lyg-leak-group"})
    tk.get_action("member_create")({"user": sysadmin["name"]}, {
        "id": group["id"], "object": w.pkg["id"], "object_type": "package", "capacity": "public"})
    found = []
    for who, action, params, status in ((who, *case) for who in (
            "anonymous", "registered", "supervisor", "grantee") for case in (
            ("group_show", {"id": "lyg-leak-group", "include_datasets": True}, (200,)),
            ("group_package_show", {"id": "lyg-leak-group"}, (200,)),
            ("group_activity_list", {"id": "lyg-leak-group"}, (200, 403)),
            ("dcat_catalog_search", {"q": "停车场"}, (200,)),
            ("dcat_catalog_show", {}, (200,)),
            ("package_patch", {"id": "cond", "notes": "x"}, (403,)),
            ("package_update", {"id": "cond", "notes": "x"}, (403,)),
            ("package_revise", {"match": {"id": w.pkg["id"]}, "update": {"notes": "x"}}, (403,)),
            ("resource_patch", {"id": w.b, "name": "x"}, (403,)),
            ("resource_update", {"id": w.b, "name": "x"}, (403,)),
            ("resource_create", {"package_id": "cond", "url": "https://x.invalid/a.csv"}, (403,)),
            ("package_owner_org_update", {"id": "cond", "organization_id": "lyg-other-agency"},
             (403,)),
            ("package_create_default_resource_views", {"package": {"id": w.pkg["id"]}}, (403,)),
            ("resource_create_default_resource_views", {"resource": {"id": w.b}}, (403,)))):
        resp = app.post(f"/api/3/action/{action}", json=params, headers=w.headers(who))
        body = resp.get_data(as_text=True)
        if resp.status_code not in status or leaks(body):
            found.append((who, action, resp.status_code, leaks(body)))
    assert not found, found
