"""The catalog's main story in a real browser (issue 3, "Done means"): an agency clerk
creates a dataset in the Chinese UI and submits it; a supervisor returns it with a reason;
the clerk fixes and resubmits; the supervisor approves; the public finds it by facet and
downloads the agency's 开放清单 as XLSX."""
import io

import openpyxl
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import BROWSER_PASSWORD, browser_login

login = browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PASSWORD = BROWSER_PASSWORD


@pytest.fixture
def cast(agency):
    clerk = factories.User(name="jtj-clerk", fullname="交通局数据专员", password=PASSWORD)
    supervisor = factories.User(name="dsjj-reviewer", fullname="大数据局审核员", password=PASSWORD)
    supervisor_org = factories.Organization(
        name=tk.config.get("ckanext.lyg_opendata.supervisor_org"), title="市大数据管理局")
    member = tk.get_action("organization_member_create")
    member({"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    member({"ignore_auth": True}, {"id": supervisor_org["id"], "username": supervisor["name"], "role": "editor"})
    return {"clerk": clerk, "supervisor": supervisor}


def test_clerk_submits_supervisor_returns_then_approves_public_finds_and_downloads(
        live_server, page, cast, agency):
    base = live_server
    # 1. the clerk creates the dataset in the Chinese UI
    login(page, base, "jtj-clerk")
    page.goto(base + "/dataset/new")
    assert "数据目录名称" in page.content()
    page.fill("#field-title", "连云港市公共自行车站点")
    page.locator(".slug-preview button").click()  # the URL is edited behind a button
    page.fill("#field-name", "lyg-public-bikes")
    page.fill("#field-notes", "市区公共自行车站点位置和车桩数量。")
    page.select_option("#field-organizations", agency["id"], force=True)
    page.select_option("#field-open_type", "unconditional")
    page.select_option("#field-update_frequency", "monthly")
    page.fill("#field-data_items-0-name_zh", "站点名称")
    page.fill("#field-data_items-0-code", "station_name")
    page.select_option("#field-data_items-0-type", "string")
    page.select_option("#field-data_items-0-sensitive", "no")
    page.check("#field-subject_areas-transport")
    page.locator("button[name=save]").click()
    errors = page.locator(".error-explanation").all_inner_texts()
    assert not errors, errors
    page.wait_for_url("**/dataset/lyg-public-bikes/resource/new")
    page.locator("a:has-text('链接'), button:has-text('链接')").first.click()
    page.fill("#field-resource-url", "http://example.invalid/bikes.csv")
    page.fill("#field-name", "公共自行车站点")
    page.locator("button[name=save][value=go-metadata]").click()
    page.wait_for_url("**/dataset/lyg-public-bikes")
    assert "草稿" in page.content()

    page.check("#lyg-desensitized")
    page.locator(".lyg-review-submit button[type=submit]").click()
    page.wait_for_load_state()
    assert "待审核" in page.content()

    # 2. the supervisor returns it with a reason
    login(page, base, "dsjj-reviewer")
    page.goto(base + "/opendata/review")
    page.locator(".lyg-review-queue a:has-text('连云港市公共自行车站点')").click()
    page.fill("#lyg-return-reason", "请补充车桩数量数据项。")
    page.locator(".lyg-review-return button[type=submit]").click()
    page.wait_for_load_state()
    assert "已退回" in page.content()

    # 3. the clerk sees the reason, fixes the entry and resubmits
    login(page, base, "jtj-clerk")
    page.goto(base + "/dataset/lyg-public-bikes")
    assert "请补充车桩数量数据项。" in page.content()
    page.goto(base + "/dataset/edit/lyg-public-bikes")
    page.locator("a[name=repeating-add]").first.click()
    page.locator("#field-data_items-1-name_zh").wait_for(state="visible")
    page.fill("#field-data_items-1-name_zh", "车桩数量")
    page.fill("#field-data_items-1-code", "docks")
    page.select_option("#field-data_items-1-type", "integer")
    page.select_option("#field-data_items-1-sensitive", "no")
    page.locator("button.btn-primary[name=save]").click()
    page.wait_for_url("**/dataset/lyg-public-bikes")
    assert "车桩数量" in page.content()
    page.check("#lyg-desensitized")
    page.locator(".lyg-review-submit button[type=submit]").click()
    page.wait_for_load_state()

    # 4. the supervisor approves
    login(page, base, "dsjj-reviewer")
    page.goto(base + "/dataset/lyg-public-bikes")
    page.locator(".lyg-review-approve button[type=submit]").click()
    page.wait_for_load_state()
    assert "已发布" in page.content()

    # 5. the public finds it by facet …
    page.context.clear_cookies()
    page.goto(base + "/dataset/")
    facet = page.locator("a[href*='subject_areas=transport']").first
    assert "道路交通" in facet.inner_text()
    # CKAN 2.12's facet item has a " - " before its count, class "hidden", which main.css
    # does not hide: the label reads "道路交通 - 1" (portal.css hides it)
    assert " - " not in facet.inner_text(), facet.inner_text()
    facet.click()  # CKAN updates the results in place (htmx)
    page.wait_for_load_state("networkidle")
    assert "连云港市公共自行车站点" in page.locator(".dataset-list").inner_text()

    # … and downloads the agency's open list as XLSX
    page.goto(base + f"/organization/{agency['name']}/open-list")
    with page.expect_download() as download:
        page.locator("a[href$='open-list.xlsx']").first.click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)
    rows = [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    flat = [str(c) for row in rows for c in row if c is not None]
    assert "数据目录名称" in flat and "连云港市公共自行车站点" in flat
    assert any("站点名称" in c and "车桩数量" in c for c in flat), str(flat)
