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


@pytest.mark.parametrize("query", [[1], ["name:公交", 7], [None]])
def test_resource_search_with_a_non_text_query_pair_is_a_field_error(app, query):
    resp = _post(app, "resource_search", {"query": query})
    assert resp.status_code == 409, resp.get_data(as_text=True)[:300]
    assert "query" in resp.json["error"]
