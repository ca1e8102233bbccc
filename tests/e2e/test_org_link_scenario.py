"""Issue 20 "Done means", in a real browser: a company representative signs in through the
local OIDC provider, links the company with its authorisation letter, a supervisor verifies
it, the representative applies as the company (verified links required), and the agency sees
that the link is verified (已核验), by whom and when. (The TOTP part is issue 20 item 3.)"""
import datetime as dt

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.workdays import today_beijing
from tests.conftest import BROWSER_PASSWORD, browser_login
from tests.e2e.test_access_scenario import credit_code
from tests.identity.conftest import running_provider  # noqa: F401 - fixture
from tests.identity.oidc_provider import COMPANY_REP, ISSUER
from tests.identity.test_org_links import PDF

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "running_provider")

CODE = credit_code("91320700MA1MXXXX0")


def provider_sign_in(page, base):
    page.context.clear_cookies()
    page.goto(base + "/user/login")
    page.locator("#lyg-oidc-login").click()
    page.wait_for_url(ISSUER + "/interaction/**")
    page.fill("#login", COMPANY_REP["login"])
    page.fill("#password", COMPANY_REP["password"])
    page.click("#submit")
    page.wait_for_url(base + "/**")
    assert "/user/login" not in page.url


def test_representative_links_company_supervisor_verifies_agency_sees_it(
        live_server, page, agency, create_dataset, publish, monkeypatch, tmp_path):
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.identity.require_verified_org", True)
    base = live_server
    clerk = factories.User(name="jtj-clerk", fullname="交通局数据专员", password=BROWSER_PASSWORD)
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    supervisors = factories.Organization(
        name=tk.config.get("ckanext.lyg_opendata.supervisor_org"), title="市大数据管理局")
    reviewer = factories.User(name="dsjj-reviewer", fullname="大数据局审核员", password=BROWSER_PASSWORD)
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": supervisors["id"], "username": reviewer["name"], "role": "editor"})
    ds = create_dataset(name="lyg-parking-fees", title="连云港市停车收费明细", open_type="conditional",
                        open_conditions="仅限交通规划研究使用，不得向第三方提供。",
                        resources=[{"url": "http://data.lyg.invalid/fees.csv", "format": "CSV",
                                    "name": "收费明细"}])
    publish(ds)

    # 1. the representative signs in through 统一身份认证 and links the company with its letter
    provider_sign_in(page, base)
    page.goto(base + "/user/organisations")
    page.fill("#field-org-name", "港城数据科技有限公司")
    page.fill("#field-credit-code", CODE)
    letter = tmp_path / "授权书.pdf"
    letter.write_bytes(PDF)
    page.set_input_files("#field-letter", str(letter))
    page.click("#lyg-org-link-submit")
    page.wait_for_url("**/user/organisations")
    assert page.locator(f"#lyg-org-link-{CODE}").count() == 1

    # 2. a supervisor reads the letter and verifies the link
    browser_login(page, base, "dsjj-reviewer")
    page.goto(base + "/opendata/org-links")
    card = page.locator("article.lyg-org-link").first
    assert "港城数据科技有限公司" in card.inner_text()
    with page.expect_download() as download:
        card.locator("a[href$='/letter']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    card.locator("button[value=verify]").click()
    page.wait_for_url("**/opendata/org-links*")
    assert page.locator("article.lyg-org-link").count() == 0  # nothing left to verify

    # 3. the representative applies as the company
    provider_sign_in(page, base)
    page.goto(f"{base}/dataset/{ds['name']}/apply")
    page.fill("#field-purpose", "用于全市停车收费政策研究，测算各区域停车需求和收费弹性。")
    page.fill("#field-scenario", "在公司内部研究平台上进行统计分析，成果以研究报告形式提交。")
    page.fill("#field-security_measures", "数据存放在内网专用服务器，专人专机访问，使用完毕后删除。")
    today = today_beijing()
    page.fill("#field-term_start", today.isoformat())
    page.fill("#field-term_end", (today + dt.timedelta(days=180)).isoformat())
    page.check("#type-organization")
    page.fill("#field-applicant_name", "港城数据科技有限公司")
    page.fill("#field-credit_code", CODE)
    page.fill("#field-contact_name", "李华")
    page.fill("#field-contact_phone", "13800000002")
    page.fill("#field-contact_email", "lihua@gangcheng-tech.lyg.invalid")
    page.check("#accept-conditions")
    page.check("#accept-privacy")
    page.locator("form.lyg-application-form button[type=submit]").click()
    page.wait_for_url("**/opendata/application/*")
    application_url = page.url

    # 4. the agency sees the link verified, by whom and when, and the real-name status
    browser_login(page, base, "jtj-clerk")
    page.goto(application_url)
    verified = page.locator(".lyg-applicant-org-link")
    assert verified.locator(".lyg-org-verified").count() == 1
    assert "大数据局审核员" in verified.inner_text()
    assert str(today.year) in verified.inner_text()
    assert page.locator(".lyg-applicant-real-name").count() == 1
