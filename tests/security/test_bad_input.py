"""Issue 11 finding 7: inputs that answered HTTP 500 answer a field error or a 4xx."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _post(app, action, params, headers=None):
    return app.post(f"/api/3/action/{action}", json=params, headers=headers or {})


@pytest.mark.parametrize("params", [
    {"scope": "all", "limit": "x"}, {"scope": "all", "offset": "-1"},
    {"scope": "all", "overdue": "vielleicht"}, {"scope": "all", "limit": ["1"]}])
def test_application_list_bad_numbers_are_field_errors(app, people, params):
    resp = _post(app, "lyg_opendata_application_list", params,
                 {"Authorization": people["supervisor"]["token"]})
    assert resp.status_code == 409, resp.get_data(as_text=True)[:300]
    assert resp.json["error"]["__type"] == "Validation Error"


@pytest.mark.parametrize("rid", ["_table_metadata", "pg_catalog.pg_tables", "x" * 70])
def test_datastore_search_of_an_internal_table_is_refused(app, people, rid):
    for who in ("anonymous", "registered", "sysadmin"):
        headers = {"Authorization": people[who]["token"]} if people[who] else {}
        resp = _post(app, "datastore_search", {"resource_id": rid}, headers)
        assert resp.status_code in (403, 404, 409), (who, resp.status_code)


@pytest.mark.parametrize("url", ["http://s[", "http://[::1", "https://a]b[c/"])
def test_a_malformed_resource_url_is_a_field_error(app, create_dataset, sysadmin, url):
    ds = create_dataset(name="bad-url", resources=[{"url": "https://example.com/a.csv", "format": "CSV",
                                    "name": "数据"}])
    rid = ds["resources"][0]["id"]
    resp = _post(app, "resource_patch", {"id": rid, "url": url},
                 {"Authorization": sysadmin["token"]})
    assert resp.status_code == 409, resp.get_data(as_text=True)[:300]
    resp = _post(app, "resource_create", {"package_id": ds["id"], "url": url, "name": "坏地址"},
                 {"Authorization": sysadmin["token"]})
    assert resp.status_code == 409, resp.get_data(as_text=True)[:300]


@pytest.mark.parametrize("query", [[1], ["name:公交", 7], [None], False, 5, {"name": "公交"}])
def test_resource_search_with_a_non_text_query_pair_is_a_field_error(app, query):
    resp = _post(app, "resource_search", {"query": query})
    assert resp.status_code == 409, resp.get_data(as_text=True)[:300]
    assert "query" in resp.json["error"]


# --- found by the fuzzer (make fuzz, random inputs): each was an HTTP 500 -------------------

@pytest.mark.parametrize("action,params,field", [
    ("package_show", {"id": 3}, "id"),
    ("package_show", {"id": [{"a": 1}]}, "id"),
    ("package_show", {"id": "\x00"}, "id"),
    ("resource_show", {"id": {"x": 1}}, "id"),
    ("activity_show", {"id": ["a", "b"]}, "id"),
    ("activity_data_show", {"id": [["x"]]}, "id"),
    ("package_activity_list", {"id": 7}, "id"),
    ("datastore_search", {"resource_id": ["x"]}, "resource_id"),
    ("package_search", {"rows": [1]}, "rows"),
    ("package_search", {"rows": {"a": 1}}, "rows"),
    ("package_search", {"rows": 1e309}, "rows"),
    ("package_search", {"fl": [{"a": 1}]}, "fl"),
    ("package_search", {"q": "停车\x00"}, "q"),
])
def test_core_actions_we_chain_answer_malformed_input_with_a_field_error(app, people, action,
                                                                         params, field):
    for who in ("anonymous", "sysadmin"):
        headers = {"Authorization": people[who]["token"]} if people[who] else {}
        resp = _post(app, action, params, headers)
        assert resp.status_code == 409, (who, resp.status_code, resp.get_data(as_text=True)[:300])
        assert field in resp.json["error"], resp.json["error"]


@pytest.mark.parametrize("action,params,field", [
    ("lyg_opendata_objection_my_list", {"limit": []}, "limit"),
    ("lyg_opendata_report_my_list", {"limit": {"a": 1}}, "limit"),
    ("lyg_opendata_report_list", {"limit": [5]}, "limit"),
    ("lyg_opendata_scan_list", {"resource_id": ["x"]}, "resource_id"),
    ("lyg_opendata_scan_list", {"package_id": {"a": 1}}, "package_id"),
    ("lyg_opendata_scan_finding_dismiss", {"id": [1], "reason": "理由理由"}, "id"),
    ("lyg_opendata_org_link_list", {"status": ["verified"]}, "status"),
    ("lyg_opendata_open_list", {"limit": ""}, "limit"),
    ("lyg_opendata_open_list", {"offset": "  "}, "offset"),
    ("lyg_opendata_showcase_list", {"limit": ""}, "limit"),
    ("lyg_opendata_showcase_create", {"url": {"year": ["x"]}, "datasets": {"a": 1}}, "url"),
    ("lyg_opendata_org_link_list", {"status": {"a": 1}}, "status"),
])
def test_extension_actions_answer_malformed_input_with_a_field_error(app, people, action,
                                                                     params, field):
    resp = _post(app, action, params, {"Authorization": people["sysadmin"]["token"]})
    assert resp.status_code == 409, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert field in resp.json["error"], resp.json["error"]


def test_the_safe_limit_validator_is_the_one_core_schemas_get():
    from ckan.logic import get_validator
    from ckanext.lyg_opendata import inputs
    assert get_validator("natural_number_validator") is inputs.natural_number_validator
    assert get_validator("limit_to_configured_maximum") is inputs.limit_to_configured_maximum
    limit = get_validator("limit_to_configured_maximum")("ckan.search.rows_max", 1000)
    assert limit("5") == 5 and limit(10**9) == 1000


@pytest.mark.parametrize("params", [{"limit": []}, {"limit": {"a": 1}}, {"offset": [1]},
                                    {"limit": float("inf")}])
def test_activity_lists_and_datastore_search_refuse_a_non_number_limit(app, people, params):
    headers = {"Authorization": people["sysadmin"]["token"]}
    for action, extra in (("dashboard_activity_list", {}),
                          ("organization_activity_list", {"id": "lyg-other-agency"}),
                          ("datastore_search", {"resource_id": "x"})):
        resp = _post(app, action, {**extra, **params}, headers)
        assert resp.status_code in (404, 409), (action, params, resp.status_code,
                                                resp.get_data(as_text=True)[:300])


@pytest.mark.parametrize("unmasked", ["ko", ["1"], {"a": 1}])
def test_an_unreadable_unmasked_flag_is_no_500(app, people, unmasked):
    """Found by the fuzzer: the access log's auth function read the flag with asbool before
    validation (a 500). It reads it as the action's schema does: not plainly true is false,
    so the answer is the masked log."""
    for who in ("agency_editor", "supervisor"):
        resp = _post(app, "lyg_opendata_access_log_list",
                     {"unmasked": unmasked, "reason": "核对访问记录原因"},
                     {"Authorization": people[who]["token"]})
        assert resp.status_code == 200, (who, resp.status_code, resp.get_data(as_text=True)[:300])
        assert resp.json["result"]["masked"] is True


def test_an_organization_that_is_not_text_is_a_field_error(app, people):
    """Found by the fuzzer: the access log's own access check read ``organization`` as
    sent (a list: 500)."""
    for who in ("other_agency_editor", "supervisor"):
        resp = _post(app, "lyg_opendata_access_log_list", {"organization": [{}, {}]},
                     {"Authorization": people[who]["token"]})
        assert resp.status_code == 409, (who, resp.status_code, resp.get_data(as_text=True)[:300])
        assert "organization" in resp.json["error"]


def test_activity_show_without_include_data_is_no_500(app, people, create_dataset):
    """Found by the fuzzer: core's activity_show auth reads ``include_data`` unconditionally."""
    import ckan.model as model
    from ckanext.activity.model import Activity
    ds = create_dataset(name="activity-no-flag")
    activity = model.Session.query(Activity).filter(Activity.object_id == ds["id"]).first()
    for who in ("agency_admin", "supervisor", "anonymous"):
        headers = {"Authorization": people[who]["token"]} if people[who] else {}
        resp = _post(app, "activity_show", {"id": activity.id}, headers)
        assert resp.status_code in (200, 403), (who, resp.status_code)
    resp = _post(app, "activity_show", {"id": activity.id},
                 {"Authorization": people["agency_admin"]["token"]})
    assert resp.status_code == 200 and resp.json["result"]["id"] == activity.id


def test_activity_show_auth_without_include_data_is_decided(people, create_dataset):
    """Found by the fuzzer: the auth function itself (``h.check_access``, or any code that
    checks before calling) broke on a check made without ``include_data``."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.activity.model import Activity
    ds = create_dataset(name="activity-auth-no-flag")
    activity = model.Session.query(Activity).filter(Activity.object_id == ds["id"]).first()
    context = {"user": people["agency_admin"]["name"], "model": model}
    assert tk.check_access("activity_show", context, {"id": activity.id}) is True
