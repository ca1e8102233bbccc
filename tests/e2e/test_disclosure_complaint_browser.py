"""Complaints about disclosure and the yearly report's entered figures in a real browser,
at 1366 and 390 px: the citizen complains about an answer from the application's page; the
supervisor finds it from the workbench, answers it; the citizen reads the answer and the
remedies; the agency's clerk enters the figures of parts 二 and 四 of the yearly report and
the table shows them with their totals; the supervisor reads the city's table. Screenshots of
every step in test-artifacts/disclosure-complaint/ (looked at when the pages change)."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.workdays import Calendar, today_beijing

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login
from tests.disclosure.conftest import individual

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

SHOTS = ARTIFACTS / "disclosure-complaint"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _shots(page, name):
    """The page at desktop and phone width; neither scrolls sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (name, label, overflow)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def answered(agency, people):
    """An application of the citizen answered 不予公开 by the clerk."""
    clerk = factories.User(name="jtj-clerk2", fullname="交通局信息公开专员", password=BROWSER_PASSWORD)
    citizen = factories.User(name="citizen-li", fullname="李市民", password=BROWSER_PASSWORD)
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": agency["id"], "username": clerk["name"], "role": "editor"})
    tk.get_action("user_patch")({"ignore_auth": True}, {
        "id": people["supervisor"]["id"], "password": BROWSER_PASSWORD})
    req = tk.get_action("lyg_opendata_disclosure_create")(
        {"user": citizen["name"]}, individual(organization=agency["id"], applicant_name="李市民"))
    tk.get_action("lyg_opendata_disclosure_answer")({"user": clerk["name"]}, {
        "id": req["id"], "outcome": "withheld", "answer_text": "该信息不予公开。",
        "withheld_category": "process", "withheld_reason": "属于过程性信息。",
        "legal_basis": "《中华人民共和国政府信息公开条例》第十六条"})
    return {"req": req, "clerk": clerk, "citizen": citizen}


def test_complaint_filed_answered_and_the_yearly_figures(live_server, page, people, agency,
                                                         answered):
    base, req = live_server, answered["req"]
    url = f"{base}/opendata/disclosure/{req['id']}"
    page.set_viewport_size(DESKTOP)

    # the citizen complains from the application's page
    browser_login(page, base, "citizen-li")
    page.goto(url)
    # answered: "not answered in time" is not offered
    grounds = page.locator("#complaint-ground option").evaluate_all("os => os.map(o => o.value)")
    assert "not_answered" not in grounds and "wrong_answer" in grounds
    page.select_option("#complaint-ground", "wrong_answer")
    page.fill("#complaint-text", "答复没有说明为什么属于过程性信息。")
    _shots(page, "01-complain-form")
    page.locator(".lyg-disclosure-complain button").click()
    page.wait_for_selector(".lyg-disclosure-complaint[data-status=filed]")
    due = Calendar().add_workdays(today_beijing(), 15)[0].isoformat()
    assert due in page.locator(".lyg-disclosure-complaint").inner_text()
    assert page.locator("form.lyg-disclosure-complain").count() == 0   # one open at a time
    _shots(page, "02-complaint-filed")

    # the supervisor: workbench → complaints to answer (1) → the application → the answer
    browser_login(page, base, people["supervisor"]["name"])
    page.goto(f"{base}/opendata/workbench")
    link = page.locator("main a[href='/opendata/disclosure/complaints'], "
                        "[role=main] a[href='/opendata/disclosure/complaints']").first
    assert "1" in link.locator("xpath=ancestor::li[1]").inner_text()
    link.click()
    page.wait_for_selector(".lyg-disclosure-complaint-list")
    _shots(page, "03-complaint-list")
    page.locator(f".lyg-disclosure-complaint-list a:has-text('{req['number']}')").click()
    page.wait_for_selector(".lyg-disclosure-complaint-answer-form")
    page.locator(".lyg-disclosure-complaint-answer-form select").select_option("upheld")
    page.locator(".lyg-disclosure-complaint-answer-form textarea").fill(
        "经调查，投诉成立，已责令该机关在10个工作日内重新答复并说明理由。")
    _shots(page, "04-answer-form")
    page.locator(".lyg-disclosure-complaint-answer-form button").click()
    page.wait_for_selector(".lyg-disclosure-complaint[data-status=answered]")

    # the citizen reads the finding, and the remedies under the answer
    browser_login(page, base, "citizen-li")
    page.goto(url)
    text = page.locator(".lyg-disclosure-complaints").inner_text()
    assert "投诉成立" in text and "重新答复" in text
    assert "行政复议" in page.locator(".lyg-disclosure-remedies").inner_text()
    _shots(page, "05-complaint-answered")

    # the clerk enters the yearly report's figures; the table shows them and their totals
    year = today_beijing().year
    browser_login(page, base, "jtj-clerk2")
    page.goto(f"{base}/opendata/disclosure/report?year={year}")
    form = page.locator(".lyg-disclosure-figures")
    form.locator("input[name='decisions.licensing']").fill("12")
    form.locator("input[name='fees']").fill("0")
    form.locator("input[name='reconsideration.upheld']").fill("2")
    form.locator("input[name='reconsideration.corrected']").fill("1")
    form.locator("input[name='litigation_direct.pending']").fill("1")
    _shots(page, "06-figures-form")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".lyg-disclosure-report-four")
    assert page.locator("td[data-cell='reconsideration.total']").inner_text() == "3"
    assert page.locator("td[data-cell='litigation_direct.total']").inner_text() == "1"
    assert page.locator("tr[data-row=licensing] td").inner_text() == "12"
    withheld = page.locator("tr[data-row=withheld] td")
    assert withheld.nth(0).inner_text() == "1"             # the citizen's application
    _shots(page, "07-report-agency")

    # a bad figure is a field error on the page, nothing saved
    page.locator(".lyg-disclosure-figures input[name='decisions.penalty']").fill("-3")
    page.locator(".lyg-disclosure-figures button[type=submit]").click()
    flash = page.locator(".alert-danger, .alert-error").first.inner_text()
    assert "行政处罚" in flash and "decisions.penalty" not in flash, flash   # by its label
    assert page.locator("tr[data-row=penalty] td").inner_text() in ("0", "")
    _shots(page, "08-figures-error")

    # the supervisor reads the city's table: the agency's figures summed in
    browser_login(page, base, people["supervisor"]["name"])
    page.goto(f"{base}/opendata/disclosure/report?year={year}")
    assert page.locator("td[data-cell='reconsideration.total']").inner_text() == "3"
    assert "lyg-disclosure-figures" not in page.content()
    _shots(page, "09-report-city")


def test_the_time_to_amend_on_the_applicants_page(live_server, page, agency, people):
    """The applicant sees the last day to amend; past it, no form and the reason; once the
    platform closed it, 'deemed withdrawn' (1366 and 390 px)."""
    import datetime as dt

    import ckan.model as model
    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

    citizen = factories.User(name="citizen-zhao", fullname="赵市民", password=BROWSER_PASSWORD)
    apply = tk.get_action("lyg_opendata_disclosure_create")
    asked = {}
    for key in ("waiting", "late", "closed"):
        req = apply({"user": citizen["name"]}, individual(organization=agency["id"],
                                                          applicant_name="赵市民"))
        tk.get_action("lyg_opendata_disclosure_request_correction")(
            {"user": people["agency_editor"]["name"]}, {"id": req["id"], "text": "请写明文件名称。"})
        asked[key] = req["id"]
    for key in ("late", "closed"):       # asked long ago: the time to amend has ended
        model.Session.get(DisclosureRequest, asked[key]).correction_requested_on = dt.date(2020, 1, 6)
    model.repo.commit()
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("lyg_opendata_disclosure_lapse")({"user": site}, {"id": asked["closed"]})
    due = Calendar().add_workdays(today_beijing(), 15)[0].isoformat()

    browser_login(page, live_server, "citizen-zhao")
    page.goto(f"{live_server}/opendata/disclosure/{asked['waiting']}")
    assert due in page.locator(".lyg-disclosure-correction-due").inner_text()
    assert page.locator("form.lyg-disclosure-amend").count() == 1
    _shots(page, "10-amend-by")
    page.goto(f"{live_server}/opendata/disclosure/{asked['late']}")
    ended = Calendar().add_workdays(dt.date(2020, 1, 6), 15)[0].isoformat()
    assert ended in page.locator(".lyg-disclosure-correction-due").inner_text()
    assert page.locator("form.lyg-disclosure-amend").count() == 0
    _shots(page, "11-amend-ended")
    page.goto(f"{live_server}/opendata/disclosure/{asked['closed']}")
    assert page.locator(".lyg-disclosure-lapsed").count() == 1
    assert page.locator(".lyg-disclosure-event[data-action=lapse]").count() == 1
    _shots(page, "12-deemed-withdrawn")
