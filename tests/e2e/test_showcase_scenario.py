"""The showcase of uses in a real browser (数据应用, Art 29): a company's contact submits an
entry citing two datasets from a dataset page, a supervisor publishes it from the
workbench, and both dataset pages list it for the public — at desktop and phone width."""

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
SHOTS = ARTIFACTS / "showcase"


@pytest.mark.parametrize("width", [1366, 390])
def test_company_submits_supervisor_publishes_datasets_list_it(live_server, page, people,
                                                                published_dataset, width):
    published_dataset(name="e2e-parking", title="停车场名录")
    published_dataset(name="e2e-bus", title="公交线路")
    factories.User(name="gc-contact", fullname="港城数据联系人", password=BROWSER_PASSWORD)
    tk.get_action("user_patch")({"ignore_auth": True}, {
        "id": people["supervisor"]["id"], "password": BROWSER_PASSWORD})
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server
    page.set_viewport_size({"width": width, "height": 900})

    browser_login(page, base, "gc-contact")
    page.goto(base + "/dataset/e2e-parking")
    page.locator(".lyg-dataset-showcases a[href*='/opendata/showcase/new']").click()
    page.wait_for_url("**/opendata/showcase/new?dataset=e2e-parking")
    page.fill("#field-title", "港城停车诱导小程序")
    page.select_option("#field-type", "app")
    page.fill("#field-description", "根据停车场名录和公交线路，为市民推荐停车与换乘方案。")
    page.fill("#field-organization_name", "港城数据科技有限公司")
    page.fill("#field-datasets", "e2e-parking e2e-bus")
    page.screenshot(path=str(SHOTS / f"form-{width}.png"), full_page=True)
    page.locator("button[name=save]").click()
    page.wait_for_url("**/opendata/showcase/*")
    entry_url = page.url
    assert "待审核" in page.locator(".lyg-showcase-status").inner_text()

    browser_login(page, base, people["supervisor"]["name"])
    page.goto(base + "/opendata/workbench")
    row = page.locator("[data-section=supervisor] li", has_text="待审核的数据应用").first
    assert row.locator(".lyg-badge").get_attribute("data-count") == "1"
    row.locator("a").click()
    page.locator(".lyg-showcase-item .card-title a", has_text="港城停车诱导小程序").click()
    page.wait_for_url(entry_url)
    assert "港城数据联系人" in page.content()  # supervisors see who submitted it
    page.locator(".lyg-showcase-publish button").click()
    page.wait_for_load_state()
    assert "已发布" in page.locator(".lyg-showcase-status").inner_text()

    page.context.clear_cookies()
    for name in ("e2e-parking", "e2e-bus"):
        page.goto(base + f"/dataset/{name}")
        cards = page.locator(".lyg-dataset-showcases .card-title a")
        assert cards.all_inner_texts() == ["港城停车诱导小程序"], name
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # the page's WeChat QR code is drawn (made here for the address the page was reached at)
        page.wait_for_load_state("load")
        assert page.locator(".lyg-share img").evaluate("i => i.complete && i.naturalWidth") > 0
    page.goto(base + "/opendata/showcase")
    assert "港城数据联系人" not in page.content()  # the person stays private
    page.screenshot(path=str(SHOTS / f"list-{width}.png"), full_page=True)
    page.goto(entry_url)
    page.screenshot(path=str(SHOTS / f"entry-{width}.png"), full_page=True)
