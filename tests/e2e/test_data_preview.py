"""Data people can use, in a real browser (issue 14, "Done means"): logged out, the parking
lots' CSV — uploaded, loaded into the DataStore by xloader's job, typed from the 数据项 —
previews as a table and as a chart drawn by the vendored ECharts, and its 数据接口 call
runs; as the agency's clerk, a CSV with a column of valid 身份证号 shows the scan findings
(masked) and blocks submission. Screenshots in test-artifacts/."""
from __future__ import annotations

import pathlib
import random

import pytest
import requests

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.demo import files
from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login
from tests.data.conftest import run_jobs, upload, xloader  # noqa: F401 - fixtures
from tests.data.test_scan import make_ric

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PARKING_ITEMS = [
    {"name_zh": "停车场名称", "code": "parking_name", "type": "string", "sensitive": "no"},
    {"name_zh": "地址", "code": "address", "type": "string", "sensitive": "no"},
    {"name_zh": "泊位数", "code": "spaces", "type": "integer", "sensitive": "no"},
    {"name_zh": "收费标准", "code": "fee", "type": "string", "sensitive": "no"},
    {"name_zh": "经度", "code": "lng", "type": "decimal", "sensitive": "no"},
    {"name_zh": "纬度", "code": "lat", "type": "decimal", "sensitive": "no"},
]


def _shot(page, name: str) -> pathlib.Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_public_previews_table_and_chart_and_runs_the_api_call(
        xloader, run_jobs, page, create_dataset, publish, sysadmin):
    base = xloader
    ds = create_dataset(name="lyg-parking-lots", title="连云港市机动车停车场管理办法",
                        data_items=PARKING_ITEMS)
    header, body = files.rows({"name": "lyg-parking-lots", "data_items": PARKING_ITEMS})
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "公共停车场名录", "format": "CSV", "url": "parking.csv",
        "desensitized": True, "upload": upload(files.to_csv(header, body), "parking.csv")})
    publish(ds)
    run_jobs()
    views = tk.get_action("resource_view_list")({"user": ""}, {"id": res["id"]})
    kinds = {v["view_type"]: v["id"] for v in views}
    assert {"datatables_view", "lyg_chart_view"} <= set(kinds), kinds

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/dataset/lyg-parking-lots/resource/{res['id']}?view_id={kinds['datatables_view']}")
    frame = page.frame_locator("iframe").first if page.locator("iframe").count() else page
    frame.locator("table tbody td", has_text="苏宁广场").first.wait_for()
    assert "泊位数" in frame.locator("table").first.inner_text()
    _shot(page, "data_preview_table_public")

    page.goto(f"{base}/dataset/lyg-parking-lots/resource/{res['id']}?view_id={kinds['lyg_chart_view']}")
    chart = page.locator(".lyg-chart[data-lyg-drawn=true]")
    chart.wait_for()
    assert page.locator(".lyg-chart-canvas canvas, .lyg-chart-canvas svg").count() >= 1
    assert page.locator(".lyg-chart select[name=y] option:checked").inner_text().startswith("泊位数")
    page.select_option(".lyg-chart select[name=type]", "pie")
    _shot(page, "data_preview_chart_public")
    # no script or style from anywhere but the portal
    remote = [s for s in page.eval_on_selector_all(
        "script[src], link[href]", "els => els.map(e => e.src || e.href)")
        if s.startswith("http") and not s.startswith(base)]
    assert not remote, remote

    # the 数据接口 call shown on the page runs and answers rows
    call = page.locator("[data-lyg-api=search]").inner_text().strip()
    resp = requests.get(call.replace(tk.config["ckan.site_url"], base), timeout=30).json()
    assert resp["success"] and len(resp["result"]["records"]) == 5
    for fmt in ("csv", "xlsx"):
        dump = requests.get(f"{base}/datastore/dump/{res['id']}?format={fmt}", timeout=30)
        assert dump.status_code == 200 and len(dump.content) > 100
    # in the browser: the file's own download button (CSV) and the page's XLSX link
    page.goto(f"{base}/dataset/lyg-parking-lots/resource/{res['id']}")
    href = page.locator("a.resource-url-analytics").first.get_attribute("href")
    got = page.request.get(href)
    assert got.status == 200 and "苏宁广场" in got.body().decode("utf-8")
    xlsx = page.locator("a[href*='format=xlsx']").first.get_attribute("href")
    got = page.request.get(xlsx.replace(tk.config["ckan.site_url"], base))
    assert got.status == 200 and got.body()[:2] == b"PK"
    _shot(page, "data_resource_page_1366")
    # a phone's width: the resource page, the table and the chart fit (no sideways scrolling)
    page.set_viewport_size({"width": 390, "height": 844})
    for name, view in (("resource_page", None), ("table", "datatables_view"),
                       ("chart", "lyg_chart_view")):
        url = f"{base}/dataset/lyg-parking-lots/resource/{res['id']}"
        page.goto(url + (f"?view_id={kinds[view]}" if view else ""))
        if view == "lyg_chart_view":
            page.locator(".lyg-chart[data-lyg-drawn=true]").wait_for()
        page.wait_for_load_state("networkidle")
        _shot(page, f"data_{name}_390")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, (name, width)


def test_clerk_sees_the_scan_findings(xloader, run_jobs, page, agency, create_dataset):
    base = xloader
    clerk = factories.User(name="jtj-clerk", fullname="交通局数据专员", password=BROWSER_PASSWORD)
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    ds = create_dataset(name="parking-permits", title="停车许可名单")
    rng = random.Random(11)
    content = "name,id_number,spaces\n" + "".join(
        f"用户{i},{make_ric(rng)},{rng.randint(10, 900)}\n" for i in range(8))
    res = tk.get_action("resource_create")({"user": clerk["name"]}, {
        "package_id": ds["id"], "name": "许可名单", "format": "CSV", "url": "permits.csv",
        "upload": upload(content.encode("utf-8"), "permits.csv")})
    run_jobs()
    browser_login(page, base, "jtj-clerk")
    page.goto(f"{base}/dataset/parking-permits/resource/{res['id']}")
    section = page.locator("#scan-findings")
    section.wait_for()
    text = section.inner_text()
    assert "id_number" in text and "3207**********" in text
    section.scroll_into_view_if_needed()
    _shot(page, "data_scan_findings_clerk")
