"""Disclosure on application in a real browser (issue 21, "Done means"): a citizen applies
online; the agency asks for 补正; the citizen amends; the agency's head extends the period
and the clerk answers 部分公开 with reasons and a file; the citizen downloads the 答复告知书;
a letter registered by staff is answered 非本机关 with the holder named. Each step's
screenshot (desktop, and phone width for the citizen's pages) is saved in test-artifacts/
when the test fails, or always with LYG_SCREENSHOTS=1."""
import io
import os

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.workdays import Calendar, today_beijing

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login
from tests.disclosure.conftest import RESIDENT_ID

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def cast(agency):
    clerk = factories.User(name="jtj-clerk", fullname="交通局信息公开专员", password=BROWSER_PASSWORD)
    head = factories.User(name="jtj-head", fullname="交通局负责人", password=BROWSER_PASSWORD)
    citizen = factories.User(name="citizen-wang", fullname="王市民", password=BROWSER_PASSWORD,
                             email="wang@example.org")
    member = tk.get_action("organization_member_create")
    member({"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    member({"ignore_auth": True}, {"id": agency["id"], "username": head["name"], "role": "admin"})
    return {"clerk": clerk, "head": head, "citizen": citizen, "agency": agency}


class Steps:
    def __init__(self, page):
        self.page, self.shots = page, []

    def __call__(self, name, phone=False):
        self.shots.append((name, self.page.screenshot(full_page=True)))
        if phone:
            self.page.set_viewport_size(PHONE)
            self.shots.append((name + "-phone", self.page.screenshot(full_page=True)))
            self.page.set_viewport_size(DESKTOP)

    def save(self):
        ARTIFACTS.mkdir(exist_ok=True)
        for i, (name, png) in enumerate(self.shots, 1):
            (ARTIFACTS / f"disclosure-scenario-{i:02d}-{name}.png").write_bytes(png)


def test_apply_amend_extend_answer_notice_and_a_letter(live_server, page, cast, tmp_path):
    page.set_viewport_size(DESKTOP)
    steps = Steps(page)
    try:
        _scenario(live_server, page, cast, steps, tmp_path)
    except BaseException:
        steps.save()
        raise
    if os.environ.get("LYG_SCREENSHOTS"):
        steps.save()


def _scenario(base, page, cast, steps, tmp_path):
    cal = Calendar()
    # 1. the citizen applies online
    browser_login(page, base, "citizen-wang")
    page.goto(f"{base}/opendata/disclosure/apply")
    assert "申请政府信息公开" in page.content()
    page.select_option("#field-organization", cast["agency"]["name"])
    page.fill("#field-applicant_name", "王市民")
    page.fill("#field-id_number", RESIDENT_ID)
    page.fill("#field-phone", "13812345678")
    page.fill("#field-description", "请公开停车场的有关文件。")
    page.check("#field-accept_privacy")
    steps("form", phone=True)
    page.locator("button[name=save]").click()
    page.wait_for_url("**/opendata/disclosure/*")
    received = today_beijing()
    due = cal.add_workdays(received, 15)[0]
    content = page.content()
    assert "办理中" in content and due.isoformat() in content
    url = page.url
    steps("received", phone=True)

    # 2. the clerk asks for 补正: the clock pauses
    browser_login(page, base, "jtj-clerk")
    page.goto(f"{base}/opendata/disclosure")
    assert "王市民" in page.content()
    steps("queue")
    page.goto(url)
    page.fill("#correction-text", "请写明所需文件的名称或文号。")
    page.locator(".lyg-disclosure-request-correction button").click()
    page.wait_for_url(url)
    assert "待补正" in page.content()

    # 3. the citizen amends: received anew today
    browser_login(page, base, "citizen-wang")
    page.goto(url)
    assert "请写明所需文件的名称或文号。" in page.content()
    page.fill("#amend-description", "请公开《连云港市机动车停车场管理办法》的起草说明和征求意见情况。")
    steps("amend", phone=True)
    page.locator(".lyg-disclosure-amend button").click()
    page.wait_for_url(url)
    assert "办理中" in page.content() and due.isoformat() in page.content()

    # 4. the head extends by 15 working days, with a reason
    browser_login(page, base, "jtj-head")
    page.goto(url)
    page.fill("#extend-days", "15")
    page.fill("#extend-text", "需要征求起草部门意见。")
    page.locator(".lyg-disclosure-extend button").click()
    page.wait_for_url(url)
    extended = cal.add_workdays(received, 30)[0]
    assert extended.isoformat() in page.content()
    assert "需要征求起草部门意见。" in page.content()

    # 5. the clerk answers 部分公开 with reasons, legal basis and a file
    browser_login(page, base, "jtj-clerk")
    page.goto(url)
    page.select_option("#answer-outcome", "partial")
    page.fill("#answer-text", "现将起草说明提供给您；征求意见情况中涉及个人信息的部分不予公开。")
    page.select_option("#answer-withheld_category", "third_party")
    page.fill("#answer-withheld_reason", "征求意见材料载有提出意见的个人的姓名和联系方式。")
    page.fill("#answer-legal_basis", "《中华人民共和国政府信息公开条例》第十五条")
    doc = tmp_path / "起草说明.pdf"
    doc.write_bytes(b"%PDF-1.4 draft")
    page.set_input_files("#answer-file", str(doc))
    steps("answer-form")
    page.locator(".lyg-disclosure-answer-form button").click()
    page.wait_for_url(url)
    assert "部分公开" in page.content()

    # 6. the citizen reads the answer and downloads the 答复告知书
    browser_login(page, base, "citizen-wang")
    page.goto(url)
    content = page.content()
    assert "部分公开" in content and "第十五条" in content and "行政复议" in content
    steps("answered", phone=True)
    with page.expect_download() as info:
        page.locator(".lyg-disclosure-notice").click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "政府信息公开申请答复告知书" in text and "部分公开" in text
    page.goto(f"{base}/opendata/my-disclosure")
    assert "已答复" in page.content()
    steps("mine", phone=True)

    # 7. a letter registered by the clerk, answered 非本机关 with the holder named
    browser_login(page, base, "jtj-clerk")
    page.goto(f"{base}/opendata/disclosure/register")
    page.select_option("#field-channel", "letter")
    page.check("#field-applicant_type-organization")
    page.fill("#field-applicant_name", "连云港某某物流有限公司")
    page.fill("#field-credit_code", "91320700MA1M9NT20X")
    page.select_option("#field-organization_kind", "business")
    page.fill("#field-legal_representative", "李四")
    page.fill("#field-contact_person", "赵六")
    page.fill("#field-phone", "0518-85821234")
    page.fill("#field-address", "连云港市连云区中山路 1 号")
    page.fill("#field-description", "请公开2025年全市规模以上工业企业产值统计数据。")
    page.select_option("#field-delivery", "post")
    steps("register")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/opendata/disclosure/*")
    assert "信函申请" in page.content()
    page.select_option("#answer-outcome", "not_held")
    page.fill("#answer-text", "您申请的信息不属于本机关公开范围。")
    page.fill("#answer-holder_name", "连云港市统计局")
    page.fill("#answer-holder_contact", "0518-85800000")
    page.locator(".lyg-disclosure-answer-form button").click()
    page.wait_for_url("**/opendata/disclosure/*")
    assert "连云港市统计局" in page.content() and "非本机关掌握" in page.content()
    steps("letter-answered")

    # 8. the agency's yearly table counts both (one natural person, one business), answered
    page.goto(f"{base}/opendata/disclosure/report")
    new = page.locator("tr[data-row=new] td")
    assert new.nth(0).inner_text() == "1" and new.nth(1).inner_text() == "1"
    assert new.nth(6).inner_text() == "2"
    assert page.locator("tr[data-row=carried_out] td").nth(6).inner_text() == "0"
    steps("report", phone=True)
