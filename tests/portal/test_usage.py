"""How much a dataset is used (portal/usage.py): page views, downloads and API calls are
counted after successful answers only, per Beijing day, and shown on the dataset page; the
counts are numbers, never people; a refused download of conditional data is not counted."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.portal import usage
from ckanext.lyg_opendata.workdays import today_beijing

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


@pytest.fixture
def open_table(published_dataset, sysadmin):
    ds = published_dataset(name="parking-use")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "停车场名录", "format": "CSV",
        "url": "https://data.example.invalid/parking.csv", "desensitized": True})
    tk.get_action("datastore_create")({"user": sysadmin["name"]}, {
        "resource_id": res["id"], "force": True,
        "fields": [{"id": "name", "type": "text"}], "records": [{"name": "停车场1"}]})
    return ds, res


def _figures(app, name):
    soup = BeautifulSoup(app.get(f"/dataset/{name}").body, "html.parser")
    box = soup.select_one(".lyg-usage-figures")
    return [dd.get_text(strip=True) for dd in box.select("dd")]


def test_views_downloads_and_api_calls_are_counted_and_shown(app, open_table):
    ds, res = open_table
    assert usage.dataset_totals(ds["id"]) == {"view": 0, "download": 0, "api": 0}
    app.get(f"/dataset/{ds['name']}")
    app.get(f"/dataset/{ds['id']}/resource/{res['id']}")
    assert app.get(f"/dataset/{ds['id']}/resource/{res['id']}/download",
                   follow_redirects=False).status_code == 302
    assert app.get(f"/datastore/dump/{res['id']}", query_string={"format": "csv"}).status_code == 200
    assert app.get("/api/3/action/datastore_search", query_string={"resource_id": res["id"]}).status_code == 200
    assert app.post("/api/3/action/datastore_search", json={"resource_id": res["id"]}).status_code == 200
    # not counted: other actions, unknown resources, errors
    app.get("/api/3/action/package_show", query_string={"id": ds["id"]})
    app.get("/api/3/action/datastore_search", query_string={"resource_id": "nope"})
    app.get("/dataset/no-such-dataset")
    assert usage.dataset_totals(ds["id"]) == {"view": 2, "download": 2, "api": 2}
    # the page shows the counts (its own view counted after it was rendered)
    assert _figures(app, ds["name"]) == ["2", "2", "2"]
    # the resource page: its own counts (its view counted after rendering, as above)
    soup = BeautifulSoup(app.get(f"/dataset/{ds['id']}/resource/{res['id']}").body, "html.parser")
    assert [dd.get_text(strip=True) for dd in soup.select(".lyg-usage-figures dd")] == ["1", "2", "2"]
    rows = model.Session.query(usage.Usage).filter(usage.Usage.package_id == ds["id"]).all()
    assert {r.day for r in rows} == {today_beijing()}
    assert {(r.resource_id, r.channel) for r in rows} == {
        ("", "view"), (res["id"], "view"), (res["id"], "download"), (res["id"], "api")}


def test_parallel_counts_add_up():
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _i: usage.add("pkg-parallel", "r1", "download"), range(40)))
    assert usage.dataset_totals("pkg-parallel")["download"] == 40


def test_refused_download_of_conditional_data_is_not_counted(app, published_dataset, sysadmin):
    ds = published_dataset(name="water-cond", open_type="conditional",
                           open_conditions="仅限经批准的研究用途。")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "名录", "format": "CSV",
        "url": "https://data.example.invalid/list.csv", "desensitized": True})
    assert app.get(f"/dataset/{ds['id']}/resource/{res['id']}/download",
                   follow_redirects=False).status_code == 403
    assert usage.dataset_totals(ds["id"])["download"] == 0


def test_a_broken_counter_never_breaks_the_page(app, open_table, monkeypatch):
    ds, _res = open_table

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")
    monkeypatch.setattr(usage, "_target", broken)
    assert app.get(f"/dataset/{ds['name']}").status_code == 200


def test_a_count_lands_on_the_beijing_day():
    import datetime as dt
    import freezegun
    with freezegun.freeze_time("2026-11-30 17:00:00"):   # UTC: 1 December in Beijing
        usage.add("pkg-day", None, "download")
    (row,) = model.Session.query(usage.Usage).filter(usage.Usage.package_id == "pkg-day").all()
    assert row.day == dt.date(2026, 12, 1)


def test_home_figures_count_every_download_and_api_call(app, open_table):
    from ckanext.lyg_opendata.portal import figures
    ds, res = open_table
    app.get(f"/dataset/{ds['id']}/resource/{res['id']}/download", follow_redirects=False)
    app.get("/api/3/action/datastore_search", query_string={"resource_id": res["id"]})
    fig = figures.refresh()
    assert (fig["downloads"], fig["api_calls"]) == (1, 1)
    assert fig["most_used"] == [{"name": ds["name"], "title": ds["title"], "count": 2}]
