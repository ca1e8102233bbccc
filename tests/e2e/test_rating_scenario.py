"""Ratings in a real browser (issue 17, "Done means"): a user rates a dataset on the three
dimensions with a comment, the dataset page shows the average and count, the agency answers
in public; the ratings tab at phone width."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_user_rates_and_comments_agency_answers(live_server, page, agency, published_dataset):
    factories.User(name="user-zhao", fullname="赵用户", password=BROWSER_PASSWORD)
    clerk = factories.User(name="jtj-clerk", fullname="交通局数据专员", password=BROWSER_PASSWORD)
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    ds = published_dataset(name="lyg-taxi", title="出租车营运数据")
    base = live_server
    try:
        browser_login(page, base, "user-zhao")
        page.goto(f"{base}/dataset/{ds['name']}")
        assert page.locator(".lyg-rating-summary .lyg-rating-average").count() == 0
        page.locator(".lyg-rating-summary a").click()
        page.wait_for_url(f"**/dataset/{ds['name']}/ratings")
        page.check("#lyg-rate-quality-4")
        page.check("#lyg-rate-timeliness-2")
        page.check("#lyg-rate-usability-5")
        page.fill("#lyg-rate-comment", "数据很有用，但更新太慢。<b>粗体</b>")
        page.locator(".lyg-rating-form button[name=save]").click()
        page.wait_for_url(f"**/dataset/{ds['name']}/ratings")
        assert "<b>粗体</b>" in page.locator(".lyg-rating-comment").inner_text()
        page.goto(f"{base}/dataset/{ds['name']}")
        assert page.locator(".lyg-rating-average").inner_text() == "3.7"

        browser_login(page, base, "jtj-clerk")
        page.goto(f"{base}/dataset/{ds['name']}/ratings")
        page.locator(".lyg-rating-answer-form summary").click()
        page.locator(".lyg-rating-answer-form textarea").fill("已改为每日更新，感谢建议。")
        page.locator(".lyg-rating-answer-form button[type=submit]").click()
        page.wait_for_load_state()
        page.context.clear_cookies()
        page.goto(f"{base}/dataset/{ds['name']}/ratings")
        assert "已改为每日更新，感谢建议。" in page.locator(".lyg-rating-answer").inner_text()
        assert page.locator(".lyg-rating-form").count() == 0  # anonymous: asked to log in

        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(f"{base}/dataset/{ds['name']}/ratings")
        wide = page.evaluate("""[...document.querySelectorAll(
            '.lyg-rating-summary *, .lyg-rating-list *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth)
            .map(e => e.tagName + '.' + e.className)""")
        assert wide == []
        page.goto(f"{base}/dataset/?sort=rating_average+desc%2C+rating_count+desc")
        assert ds["title"] in page.locator(".dataset-list").inner_text()
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "rating-scenario-failed.png"), full_page=True)
        raise
