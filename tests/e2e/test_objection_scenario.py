"""Objections in a real browser (issue 5, "Done means"): a visitor finds a wrong figure in a
dataset, raises an objection; once the agency accepts it the dataset shows 有异议，核实中
(and the search filter finds it); the agency fixes the data and answers "corrected"; the
marker goes and the answer stays readable by the public. Each step's screenshot is saved
in test-artifacts/ when the test fails."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

login = browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PASSWORD = BROWSER_PASSWORD
MARKER = "有异议，核实中"


@pytest.fixture
def cast(agency, published_dataset):
    clerk = factories.User(name="jtj-clerk", fullname="交通局数据专员", password=PASSWORD)
    visitor = factories.User(name="citizen-wang", fullname="王市民", password=PASSWORD,
                             email="wang@example.org")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    dataset = published_dataset(
        name="lyg-parking-lots", title="连云港市公共停车场统计",
        notes="截至2025年底，全市共有公共停车场 1200 个，泊位 8.6 万个。",
        data_items=[{"name_zh": "停车场数量", "code": "lot_count", "type": "integer",
                     "description": "", "sensitive": "no"}])
    return {"clerk": clerk, "visitor": visitor, "dataset": dataset}


class Steps:
    """Screenshots of each step, written out only when the scenario fails."""

    def __init__(self, page):
        self.page, self.shots = page, []

    def __call__(self, name):
        self.shots.append((name, self.page.screenshot(full_page=True)))

    def save(self):
        ARTIFACTS.mkdir(exist_ok=True)
        for i, (name, png) in enumerate(self.shots, 1):
            (ARTIFACTS / f"objection-scenario-{i:02d}-{name}.png").write_bytes(png)


def test_visitor_objects_agency_corrects_marker_goes_answer_stays_public(live_server, page, cast):
    base, ds = live_server, cast["dataset"]
    steps = Steps(page)
    try:
        _scenario(base, page, ds, steps)
    except BaseException:
        steps.save()
        raise


def _scenario(base, page, ds, steps):
    # 1. a visitor reads the dataset and finds the wrong figure
    login(page, base, "citizen-wang")
    page.goto(f"{base}/dataset/{ds['name']}")
    assert "1200 个" in page.content() and MARKER not in page.content()
    steps("dataset")
    page.locator(".lyg-objection-raise").click()
    page.wait_for_url(f"**/dataset/{ds['name']}/objections/new")

    # 2. raises an objection naming the data item
    page.select_option("#field-type", "error")
    page.fill("#field-description", "根据市交通运输局2025年年报，公共停车场应为 1250 个，不是 1200 个。")
    page.select_option("#field-data_item_code", "lot_count")
    steps("raise-form")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/opendata/objections/*")
    assert "待受理" in page.content()
    objection_url = page.url
    steps("raised")
    # not yet accepted: no marker
    page.goto(f"{base}/dataset/{ds['name']}")
    assert MARKER not in page.content()

    # 3. the agency finds it in its queue and accepts it
    login(page, base, "jtj-clerk")
    page.goto(base + "/opendata/objections")
    steps("agency-queue")
    page.locator(f".lyg-objection-table a:has-text('{ds['title']}')").first.click()
    page.wait_for_url("**/opendata/objections/*")
    page.locator(".lyg-objection-accept button[type=submit]").click()
    page.wait_for_load_state()
    assert "核实中" in page.locator(".lyg-objection-status").inner_text()
    steps("accepted")

    # 4. the public sees the marker with the type and date, and finds it with the filter
    page.context.clear_cookies()
    page.goto(f"{base}/dataset/{ds['name']}")
    marker = page.locator(".lyg-objection-marker")
    assert MARKER in marker.inner_text() and "数据错误" in marker.inner_text()
    steps("marker")
    page.goto(base + "/dataset/")
    page.locator("a[href*='under_objection=true']").first.click()
    page.wait_for_load_state("networkidle")
    assert ds["title"] in page.locator(".dataset-list").inner_text()
    steps("search-filter")

    # 5. the agency corrects the figure and answers "corrected", linking the change
    login(page, base, "jtj-clerk")
    page.goto(f"{base}/dataset/edit/{ds['name']}")
    page.fill("#field-notes", "截至2025年底，全市共有公共停车场 1250 个，泊位 8.6 万个。")
    page.locator("button.btn-primary[name=save]").click()
    page.wait_for_url(f"**/dataset/{ds['name']}")
    assert "1250 个" in page.content()
    page.goto(objection_url)
    page.select_option("#lyg-answer-outcome", "corrected")
    page.select_option("#lyg-answer-change", index=1)
    page.fill("#lyg-answer-explanation", "已核对年报，停车场数量更正为 1250 个。感谢指正。")
    steps("answer-form")
    page.locator(".lyg-objection-answer-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "已答复" in page.locator(".lyg-objection-status").inner_text()

    # 6. the marker is gone, the answer stays public
    page.context.clear_cookies()
    page.goto(f"{base}/dataset/{ds['name']}")
    assert MARKER not in page.content() and "1250 个" in page.content()
    steps("no-marker")
    page.goto(f"{base}/dataset/{ds['name']}/objections")
    assert "已更正" in page.content()
    page.goto(objection_url)
    answer = page.locator(".lyg-objection-answer-card").inner_text()
    assert "已更正" in answer and "已核对年报，停车场数量更正为 1250 个。感谢指正。" in answer
    assert "citizen-wang" not in page.content() and "王市民" not in page.content()
    # the change that corrected it, before and after, readable by the public
    correction = page.locator(".lyg-objection-correction").inner_text()
    assert "1200 个" in correction and "1250 个" in correction
    steps("answer-public")
