"""Suggestions in a real browser (意见建议): a user sends one from the data-request list, the
platform operator (市信息中心) answers it, the user reads the answer — at phone width."""
import pytest

from ckan.tests import factories

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_user_suggests_operator_answers(live_server, page):
    factories.User(name="user-sun", fullname="孙用户", password=BROWSER_PASSWORD)
    operator = factories.User(name="xxzx-ops", fullname="信息中心运维", password=BROWSER_PASSWORD)
    factories.Organization(name="lyg-xxzx", title="市信息中心",
                           users=[{"name": operator["name"], "capacity": "editor"}])
    base = live_server
    try:
        page.set_viewport_size({"width": 375, "height": 740})
        browser_login(page, base, "user-sun")
        page.goto(base + "/opendata/data-requests")
        page.locator(".lyg-suggestion-link").click()
        page.wait_for_url("**/opendata/suggestions/new")
        page.select_option("#field-category", "platform")
        page.fill("#field-text", "手机上数据预览的表格太窄，希望可以横向滚动。")
        page.locator("button[name=save]").click()
        page.wait_for_url("**/opendata/suggestions/*")
        url = page.url
        assert "待答复" in page.locator(".lyg-suggestion-status").inner_text()

        browser_login(page, base, "xxzx-ops")
        page.goto(base + "/opendata/suggestions")
        page.locator(".lyg-suggestion-row a").first.click()
        page.wait_for_url(url)
        page.fill("#lyg-suggestion-answer", "已改为可横向滚动，感谢建议。")
        page.locator(".lyg-suggestion-answer-form button[type=submit]").click()
        page.wait_for_load_state()

        browser_login(page, base, "user-sun")
        page.goto(url)
        assert "已答复" in page.locator(".lyg-suggestion-status").inner_text()
        assert "已改为可横向滚动，感谢建议。" in page.locator(".lyg-suggestion-answer").inner_text()
        wide = page.evaluate("""[...document.querySelectorAll('.lyg-suggestion *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth).length""")
        assert wide == 0
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "suggestion-scenario-failed.png"), full_page=True)
        raise
