"""The readable export of a person's data (/user/privacy-data) in a real browser, for a data
user with an application for conditional data, an objection, a disclosure application and a
complaint about it: words, not keys; nothing wider than a phone. Screenshots at 1366 and
390 px in test-artifacts/privacy-data/."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.access.conftest import form_data
from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login
from tests.disclosure.conftest import individual

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
SHOTS = ARTIFACTS / "privacy-data"


def test_a_data_users_export_page_reads_at_desktop_and_phone_width(
        live_server, page, agency, published_dataset):
    person = factories.User(name="data-user-zhou", fullname="周文静",
                            email="zhou.wenjing@example.invalid", password=BROWSER_PASSWORD)
    ctx = {"user": person["name"]}
    cond = published_dataset(name="bus-gps", title="公交车辆实时位置", open_type="conditional",
                             open_conditions="仅限交通规划研究使用",
                             resources=[{"url": "https://data.example.invalid/gps.csv",
                                         "format": "CSV", "name": "车辆位置"}])
    tk.get_action("lyg_opendata_application_create")(ctx, form_data(cond))
    open_ds = published_dataset(name="parking", title="公共停车场")
    tk.get_action("lyg_opendata_objection_create")(ctx, {
        "package_id": open_ds["id"], "type": "error", "contact": "13812345678",
        "description": "停车场数量应为 1250 个，不是 1200 个。"})
    req = tk.get_action("lyg_opendata_disclosure_create")(
        ctx, individual(organization=agency["id"]))
    tk.get_action("lyg_opendata_disclosure_complaint_create")(ctx, {
        "request_id": req["id"], "ground": "not_answered", "text": "一直没有收到答复。"})

    SHOTS.mkdir(parents=True, exist_ok=True)
    browser_login(page, live_server, person["name"])
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/user/privacy-data")
        for section in ("applications", "objections", "disclosure_applications",
                        "disclosure_complaints"):
            assert page.locator(f"#lyg-privacy-{section} + dl.lyg-privacy-row").count() >= 1
        text = page.inner_text("[role=main]")
        complaint = page.inner_text("#lyg-privacy-disclosure_complaints + dl")
        assert req["number"] in complaint and req["id"] not in complaint
        assert "公交车辆实时位置" in text and "一直没有收到答复" in text
        for key in ("applicant_type", "package_id", "request_id", "contact_phone", "ground",
                    "None", "True", "False"):
            assert key not in text, key
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{overflow}px wider than the {width}px window"
        page.screenshot(path=str(SHOTS / f"export-{width}.png"), full_page=True)
