"""A letter in a real browser: the clerk registers it with the day the agency signed for it
(the clock runs from that day, not from the registration), asks for an amendment and records
the amended letter with the day it arrived — at desktop and phone width, without sideways
scrolling. Screenshots in test-artifacts/disclosure-letter/."""
import datetime as dt

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.workdays import Calendar, today_beijing

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")
SHOTS = ARTIFACTS / "disclosure-letter"


@pytest.mark.parametrize("width", [1366, 390])
def test_clerk_registers_a_letter_by_its_day_of_receipt_and_its_amendment(live_server, page,
                                                                           people, agency, width):
    clerk = people["agency_editor"]
    tk.get_action("user_patch")({"ignore_auth": True}, {"id": clerk["id"], "password": BROWSER_PASSWORD})
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    today = today_beijing()
    signed = today - dt.timedelta(days=6)          # the letter was signed for 6 days ago
    cal = Calendar()

    browser_login(page, live_server, clerk["name"])
    page.goto(live_server + "/opendata/disclosure/register")
    assert page.locator("#field-received_on").input_value() == today.isoformat()
    page.fill("#field-received_on", signed.isoformat())
    page.select_option("#field-channel", "letter")
    page.fill("#field-applicant_name", "李信函")
    page.fill("#field-id_number", "11010519491231002X")
    page.fill("#field-phone", "13812345678")
    page.fill("#field-address", "连云港市海州区朝阳东路 1 号")
    page.fill("#field-description", "请公开2025年度市区公共停车场建设项目的招标文件。")
    page.select_option("#field-delivery", "post")
    page.screenshot(path=str(SHOTS / f"register-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("button[name=save]").click()
    page.wait_for_url("**/opendata/disclosure/*")
    url = page.url
    received = page.locator(".lyg-disclosure-received").inner_text()
    assert signed.isoformat() in received and today.isoformat() in received      # both days
    due = cal.add_workdays(signed, 15)[0]
    assert f"答复期限：{due.isoformat()}" in page.locator(".lyg-disclosure-clock").inner_text().replace(" ", "")

    page.fill("#correction-text", "请写明所需文件的名称或文号。")
    page.locator(".lyg-disclosure-request-correction button").click()
    page.wait_for_url(url)
    form = page.locator(".lyg-disclosure-amend")
    assert "录入" in form.inner_text() and page.locator("#amend-received_on").input_value() == today.isoformat()
    page.fill("#amend-description", "请公开《连云港市机动车停车场管理办法》的起草说明。")
    page.screenshot(path=str(SHOTS / f"amend-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    form.locator("button").click()
    page.wait_for_url(url)
    assert "办理中" in page.locator(".lyg-disclosure-status").inner_text()
    due = cal.add_workdays(today, 15)[0]
    assert due.isoformat() in page.locator(".lyg-disclosure-clock").inner_text()
    page.screenshot(path=str(SHOTS / f"amended-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_clerk_undoes_a_lapse_and_records_a_withdrawal_letter(live_server, page, people, agency,
                                                               width):
    """A letter application closed by the daily job whose amended letter came in time: the
    clerk records it (handled again), then the applicant's withdrawal letter."""
    import ckan.model as model
    from ckanext.lyg_opendata.disclosure import workflow
    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
    from tests.disclosure.conftest import individual

    clerk = people["agency_editor"]
    tk.get_action("user_patch")({"ignore_auth": True}, {"id": clerk["id"], "password": BROWSER_PASSWORD})
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    today = today_beijing()
    data = {k: v for k, v in individual(organization=agency["id"]).items() if k != "accept_privacy"}
    data.update(channel="letter", delivery="post", received_on=(today - dt.timedelta(days=40)).isoformat())
    req = tk.get_action("lyg_opendata_disclosure_register")({"user": clerk["name"]}, data)
    # closed by the daily job today, its time to amend having ended today (the last day)
    row = model.Session.get(DisclosureRequest, req["id"])
    row.status, row.correction_requested_on = "withdrawn", today - dt.timedelta(days=30)
    row.correction_request = "请写明所需文件的名称或文号。"
    workflow.record(row, None, "lapse", "correction_requested", "withdrawn",
                    data={"correction_due": today.isoformat()}, role="system")
    model.repo.commit()

    browser_login(page, live_server, clerk["name"])
    url = live_server + f"/opendata/disclosure/{req['id']}"
    page.goto(url)
    assert page.locator(".lyg-disclosure-lapse-undo").count() == 1
    assert page.locator("#amend-received_on").get_attribute("max") == today.isoformat()
    page.fill("#amend-description", "请公开《连云港市机动车停车场管理办法》的起草说明。")
    page.screenshot(path=str(SHOTS / f"lapsed-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(".lyg-disclosure-amend button").click()
    page.wait_for_url(url)
    assert page.locator(".lyg-disclosure-status").get_attribute("class")
    assert page.locator(".lyg-disclosure[data-status=received]").count() == 1
    assert page.locator(".lyg-disclosure-lapse-undone").count() == 1
    page.fill("#withdraw-text", "申请人来信撤回。")
    page.screenshot(path=str(SHOTS / f"withdraw-letter-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(".lyg-disclosure-withdraw button").click()
    page.wait_for_url(url)
    assert page.locator(".lyg-disclosure[data-status=withdrawn]").count() == 1
    assert today.isoformat() in page.locator(".lyg-disclosure-withdrawn-letter").inner_text()
    page.screenshot(path=str(SHOTS / f"withdrawn-letter-{width}.png"), full_page=True)
