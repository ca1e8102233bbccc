"""The record of one erasure (/ckan-admin/security-events/erasure/<id>) in a real browser, as
the sysadmin reaches it from the security log: the person's details nowhere, the counts in
words, nothing wider than a phone. Screenshots at 1366 and 390 px in
test-artifacts/erasure-record/."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.identity import erasure
from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
SHOTS = ARTIFACTS / "erasure-record"


def test_a_sysadmin_reads_one_erasure_at_desktop_and_phone_width(
        live_server, page, published_dataset):
    admin = factories.Sysadmin(name="er-admin", password=BROWSER_PASSWORD, fullname="平台管理员")
    person = factories.User(name="er-person", fullname="周文静", email="zhou.wenjing@example.invalid")
    ctx = {"user": person["name"]}
    pkg = published_dataset(name="er-bus", title="公交线路")
    tk.get_action("lyg_opendata_data_request_create")(ctx, {
        "title": "公交线路走向数据", "contact": "13912345678",
        "description": "我是周文静，电话 13912345678。"})
    tk.get_action("lyg_opendata_rating_rate")(ctx, {
        "package_id": pkg["id"], "quality": 4, "timeliness": 4, "usability": 5})
    tk.get_action("lyg_opendata_account_erase")({"user": admin["name"]},
                                                {"id": person["name"], "confirm": person["name"]})

    SHOTS.mkdir(parents=True, exist_ok=True)
    browser_login(page, live_server, admin["name"])
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/ckan-admin/security-events?kind=account_erased")
        page.click("a.lyg-erasure-link")
        page.wait_for_url(lambda url: "/security-events/erasure/" in url)
        text = page.inner_text("[role=main]")
        assert "注销记录" in text and erasure.pseudonym(person["id"]) in text
        assert "由系统管理员 er-admin 操作" in text and "已删除的内容" in text
        assert "评价" in page.inner_text("#lyg-erasure-erased + table")
        assert "数据需求" in page.inner_text("#lyg-erasure-kept + table")
        for needle in ("er-person", "周文静", "zhou.wenjing", "13912345678", "data_requests",
                       "ratings", "None", "True", "False"):
            assert needle not in text, needle
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{overflow}px wider than the {width}px window"
        page.screenshot(path=str(SHOTS / f"erasure-{width}.png"), full_page=True)
