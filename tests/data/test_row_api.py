"""The row API of open resources: datastore_search (filters, q, sort, paging) and the dumps
in CSV/JSON/XLSX for the public, limited per client (Redis); the resource page's 数据接口
snippet shows the exact call, and the call it shows works."""
from __future__ import annotations

import html
import json
import re

import pytest

import ckan.plugins.toolkit as tk

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")

ROWS = [{"parking_name": f"停车场{i}", "spaces": i * 10} for i in range(1, 26)]


@pytest.fixture
def open_table(published_dataset, sysadmin):
    ds = published_dataset(name="parking")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "停车场名录", "format": "CSV",
        "url": "https://data.example.invalid/parking.csv", "desensitized": True})
    tk.get_action("datastore_create")({"user": sysadmin["name"]}, {
        "resource_id": res["id"], "force": True,
        "fields": [{"id": "parking_name", "type": "text"}, {"id": "spaces", "type": "int"}],
        "records": ROWS})
    return res["id"]


def test_public_search_filters_sort_paging_and_dumps(app, open_table):
    api = "/api/3/action/datastore_search"
    page = app.get(api, query_string={"resource_id": open_table, "limit": 5, "offset": 5,
                                      "sort": "spaces desc"}).json["result"]
    assert page["total"] == 25 and [r["spaces"] for r in page["records"]] == [200, 190, 180, 170, 160]
    one = app.post(api, json={"resource_id": open_table,
                              "filters": {"parking_name": "停车场7"}}).json["result"]
    assert [r["spaces"] for r in one["records"]] == [70]
    assert app.get(api, query_string={"resource_id": open_table, "q": "停车场12"}).json[
        "result"]["total"] == 1
    csv = app.get(f"/datastore/dump/{open_table}", query_string={"format": "csv"})
    assert csv.status_code == 200 and "停车场25" in csv.get_data(as_text=True)
    js = app.get(f"/datastore/dump/{open_table}", query_string={"format": "json"})
    assert js.status_code == 200 and len(json.loads(js.get_data(as_text=True))["records"]) == 25
    xlsx = app.get(f"/datastore/dump/{open_table}", query_string={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


@pytest.mark.ckan_config("ckanext.lyg_opendata.row_api.per_minute", 3)
@pytest.mark.ckan_config("ckanext.lyg_opendata.row_api.dumps_per_minute", 2)
def test_row_api_is_limited_per_client(app, open_table, people):
    api = "/api/3/action/datastore_search"
    # a new X-Forwarded-For per call does not make a new client (the header is the caller's)
    codes = [app.get(api, query_string={"resource_id": open_table},
                     headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
             for i in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = app.get(api, query_string={"resource_id": open_table})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "每分钟" in refused.json["error"]["message"] or "per minute" in refused.json["error"]["message"]
    # another client (a registered user's token) has its own count
    token = {"Authorization": people["registered"]["token"]}
    assert app.get(api, query_string={"resource_id": open_table}, headers=token).status_code == 200
    dumps = [app.get(f"/datastore/dump/{open_table}").status_code for _ in range(3)]
    assert dumps == [200, 200, 429]
    # other API calls are not counted
    assert app.get("/api/3/action/package_show", query_string={"id": "parking"}).status_code == 200


def test_resource_page_shows_the_exact_call_and_it_works(app, open_table):
    page = app.get(f"/dataset/parking/resource/{open_table}").get_data(as_text=True)
    assert 'id="datastore-api"' in page
    calls = [html.unescape(c) for c in re.findall(r'data-lyg-api="search">([^<]+)<', page)]
    assert len(calls) == 1 and open_table in calls[0]
    path = calls[0].split("://", 1)[1].split("/", 1)[1]
    result = app.get("/" + path).json["result"]
    assert result["resource_id"] == open_table and len(result["records"]) == 5
    for fmt in ("csv", "xlsx", "json"):
        assert f"/datastore/dump/{open_table}?format={fmt}" in html.unescape(page)


CHINESE_ROWS = [
    {"parking_name": "苏宁广场地下停车场", "district": "海州区", "note": "Open 24h"},
    {"parking_name": "万达广场地面停车场", "district": "连云区", "note": ""},
    {"parking_name": "市第一人民医院停车场", "district": "海州区", "note": "parking for visitors"},
    {"parking_name": "花果山景区游客中心", "district": "连云区", "note": "100%_满"},
    {"parking_name": "停车场12号", "district": "赣榆区", "note": ""},
]


def test_chinese_q_finds_substrings_of_cells(app, published_dataset, sysadmin):
    """PostgreSQL's text search does not split Chinese: q=停车场 found only a cell that is
    exactly 停车场. A q with Chinese characters is a substring search of the row
    (data/fulltext.py): every term must occur; Latin terms keep the usual text search."""
    ds = published_dataset(name="parking-zh")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "停车场名录", "format": "CSV",
        "url": "https://data.example.invalid/parking.csv", "desensitized": True})
    tk.get_action("datastore_create")({"user": sysadmin["name"]}, {
        "resource_id": res["id"], "force": True,
        "fields": [{"id": "parking_name", "type": "text"}, {"id": "district", "type": "text"},
                   {"id": "note", "type": "text"}],
        "records": CHINESE_ROWS})
    api = "/api/3/action/datastore_search"

    def names(**params):
        resp = app.get(api, query_string=dict(params, resource_id=res["id"]))
        assert resp.status_code == 200, resp.get_data(as_text=True)
        result = resp.json["result"]
        assert result["total"] == len(result["records"])
        return [r["parking_name"] for r in result["records"]]

    assert names(q="停车场") == ["苏宁广场地下停车场", "万达广场地面停车场", "市第一人民医院停车场",
                                 "停车场12号"]
    assert names(q="海州区 停车场") == ["苏宁广场地下停车场", "市第一人民医院停车场"]
    assert names(q="广场", sort="parking_name desc") == ["苏宁广场地下停车场", "万达广场地面停车场"]
    assert names(q="停车场 visitors") == ["市第一人民医院停车场"]
    assert names(q="景区") == ["花果山景区游客中心"]
    assert names(q="机场") == []
    # LIKE's wildcards in the query are plain characters
    assert names(q="满") == ["花果山景区游客中心"]
    assert names(q="停_场") == [] and names(q="%停车场") == []
    # q is echoed as given; Latin-only q and tsquery syntax stay the DataStore's own
    echoed = app.get(api, query_string={"resource_id": res["id"], "q": "停车场"}).json["result"]
    assert echoed["q"] == "停车场"
    assert names(q="visitors") == ["市第一人民医院停车场"]
    assert names(q="停车场:*", plain="false") == ["停车场12号"]
    # a POSTed query, and with filters
    posted = app.post(api, json={"resource_id": res["id"], "q": "停车场",
                                 "filters": {"district": "海州区"}}).json["result"]
    assert [r["parking_name"] for r in posted["records"]] == ["苏宁广场地下停车场", "市第一人民医院停车场"]
