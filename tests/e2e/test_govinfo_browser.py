"""The proactive disclosure catalog (主动公开) in a real browser: the agency's editor enters a
document and publishes it; a visitor finds it by category and by a Chinese search and reads
it — at desktop and phone width, without sideways scrolling."""

import pytest

import ckan.plugins.toolkit as tk

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")
SHOTS = ARTIFACTS / "govinfo"


@pytest.mark.parametrize("width", [1366, 390])
def test_editor_publishes_visitor_finds_it_by_category_and_search(live_server, page, people,
                                                                   agency, width):
    editor = people["agency_editor"]
    tk.get_action("user_patch")({"ignore_auth": True}, {"id": editor["id"], "password": BROWSER_PASSWORD})
    tk.get_action("lyg_opendata_govinfo_create")({"user": editor["name"]}, {
        "organization": agency["id"], "title": "市十四届政府第67次常务会议", "category": "meetings",
        "written_on": "2026-02-26", "publish": True, "published_on": "2026-02-26"})
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server
    page.set_viewport_size({"width": width, "height": 900})

    browser_login(page, base, editor["name"])
    page.goto(base + "/opendata/govinfo")
    page.locator("a.lyg-govinfo-new").click()
    page.wait_for_url("**/opendata/govinfo/new")
    page.fill("#field-title", "市政府关于印发连云港市机动车停车场管理办法的通知")
    page.fill("#field-doc_number", "连政规发〔2026〕3号")
    page.select_option("#field-category", "government_documents")
    page.select_option("#field-kind", "normative")
    page.fill("#field-written_on", "2026-11-02")
    page.fill("#field-body", "第一条 为加强机动车停车场的规划、建设和管理，制定本办法。")
    page.screenshot(path=str(SHOTS / f"form-{width}.png"), full_page=True)
    page.locator("button[name=publish][value=true]").click()
    page.wait_for_url("**/opendata/govinfo/*")
    assert "连政规发〔2026〕3号" in page.locator(".lyg-govinfo-doc-number").inner_text()
    assert page.locator(".lyg-govinfo-deadline").inner_text().startswith("2026-11-30")

    page.context.clear_cookies()
    page.goto(base + "/opendata/govinfo")
    assert page.locator("[data-category=government_documents]").inner_text() == "1"
    assert page.locator("[data-category=meetings]").inner_text() == "1"
    page.locator(".lyg-govinfo-categories a", has_text="市政府重要会议").click()
    page.wait_for_url("**category=meetings**")
    assert page.locator(".lyg-govinfo-entry a").all_inner_texts() == ["市十四届政府第67次常务会议"]
    page.select_option("#govinfo-category", "")
    page.fill("#govinfo-q", "停车场")
    page.locator(".lyg-govinfo-search button[type=submit]").click()
    page.wait_for_url("**q=**")
    titles = page.locator(".lyg-govinfo-entry a").all_inner_texts()
    assert titles == ["市政府关于印发连云港市机动车停车场管理办法的通知"]
    # typed on the list by date, the search is ordered by relevance (the default order)
    assert page.locator("#govinfo-sort option:checked").inner_text() == "相关度"
    page.screenshot(path=str(SHOTS / f"list-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(".lyg-govinfo-entry a").first.click()
    page.wait_for_url("**/opendata/govinfo/*")
    assert "第一条 为加强机动车停车场" in page.locator(".lyg-govinfo-body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"entry-{width}.png"), full_page=True)
