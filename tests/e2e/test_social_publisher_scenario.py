"""社会数据开放主体 in a real browser (Art 27): a supervisor marks a company's organisation on
its page; the public filters the catalog by the facet and sees the 社会数据 badge, and the
dataset page names the publisher and the licence — at phone width too."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_supervisor_marks_company_public_finds_social_data(live_server, page, sysadmin, reviewer,
                                                          create_dataset, publish):
    supervisor = factories.User(name="dsj-reviewer", fullname="大数据局审核员", password=BROWSER_PASSWORD)
    sup_org = factories.Organization(name=tk.config.get("ckanext.lyg_opendata.supervisor_org"),
                                     title="市大数据管理局")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": sup_org["id"], "username": supervisor["name"], "role": "editor"})
    company = factories.Organization(name="lyg-port-group", title="连云港港口集团",
                                     users=[{"name": sysadmin["name"], "capacity": "admin"}])
    ds = publish(tk.get_action("package_create")({"user": sysadmin["name"]}, {
        "name": "lyg-port-throughput", "title": "港口货物吞吐量", "owner_org": company["id"],
        "license_id": "cc-by", "notes": "港口集团每月货物吞吐量。", "open_type": "unconditional",
        "update_frequency": "monthly",
        "data_items": [{"name_zh": "月份", "code": "month", "type": "string", "description": "",
                        "sensitive": "no"}]}))
    base = live_server
    try:
        browser_login(page, base, "dsj-reviewer")
        page.goto(f"{base}/organization/lyg-port-group")
        page.select_option("#lyg-social-type", "enterprise")
        page.locator(".lyg-social-form button[type=submit]").click()
        page.wait_for_load_state()
        assert "企业" in page.locator(".lyg-social-mark").inner_text()

        page.context.clear_cookies()
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(f"{base}/dataset/?social_data=true")
        assert page.locator(".dataset-list .lyg-social-badge").count() == 1
        assert ds["title"] in page.locator(".dataset-list").inner_text()
        page.locator(f".dataset-list a:has-text('{ds['title']}')").first.click()
        page.wait_for_url(f"**/dataset/{ds['name']}")
        facts = page.locator(".lyg-social-data").inner_text()
        assert "社会数据" in facts and "连云港港口集团" in facts
        wide = page.evaluate("""[...document.querySelectorAll('.lyg-social-data *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth).length""")
        assert wide == 0
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "social-publisher-scenario-failed.png"), full_page=True)
        raise
