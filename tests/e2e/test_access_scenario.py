"""Conditional data end to end in a real browser (issue 4, "Done means"): a company registers,
applies for a conditional dataset, the agency approves with conditions, the company signs,
downloads the data through the UI and the API, the access shows in the agency's log, the
grant is revoked and the download is refused at once — and at no point can an anonymous
visitor reach the data."""
import datetime as dt
import io

import pytest
import requests
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.workdays import today_beijing

from tests.conftest import BROWSER_PASSWORD, browser_login

login = browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PASSWORD = BROWSER_PASSWORD
CONTENT = "泊位编号,收费金额\nP-0001,12.50\n"
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(body17: str) -> str:
    """A 统一社会信用代码 with its GB 32100-2015 check character."""
    total = sum(CHARSET.index(c) * w for c, w in zip(body17, WEIGHTS))
    return body17 + CHARSET[(31 - total % 31) % 31]


@pytest.fixture
def world(agency, create_dataset, publish, sysadmin):
    clerk = factories.User(name="jtj-clerk", fullname="交通局数据专员", password=PASSWORD)
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})
    ds = create_dataset(name="lyg-parking-fees", title="连云港市停车收费明细",
                        open_type="conditional",
                        open_conditions="仅限交通规划研究使用，不得向第三方提供。")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "收费明细", "format": "CSV", "url": "fees.csv",
        "upload": FileStorage(io.BytesIO(CONTENT.encode()), filename="fees.csv",
                              content_type="text/csv")})
    publish(ds)
    return {"dataset": ds, "resource": res, "clerk": clerk}


def anonymous_cannot_reach_the_data(base, world):
    """The download answers 403 and no API output carries the file's address."""
    res = world["resource"]
    download = f"{base}/dataset/{world['dataset']['name']}/resource/{res['id']}/download/fees.csv"
    resp = requests.get(download, allow_redirects=False, timeout=30)
    assert resp.status_code == 403 and CONTENT not in resp.text
    shown = requests.get(f"{base}/api/3/action/package_show",
                         params={"id": world["dataset"]["name"]}, timeout=30).json()
    assert shown["success"] and "fees.csv" not in str(shown["result"]["resources"])


def test_company_applies_agency_approves_company_signs_downloads_then_revoked(
        live_server, page, world):
    base = live_server
    ds, res = world["dataset"], world["resource"]
    download = f"{base}/dataset/{ds['name']}/resource/{res['id']}/download/fees.csv"
    anonymous_cannot_reach_the_data(base, world)

    # 1. a company registers in the Chinese UI
    page.context.clear_cookies()
    page.goto(base + "/user/register")
    page.fill("#field-username", "lyg-gangcheng")
    page.fill("#field-fullname", "港城数据科技有限公司")
    page.fill("#field-email", "data@gangcheng.example.invalid")
    page.fill("#field-password", PASSWORD)
    page.fill("#field-confirm-password", PASSWORD)
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    login(page, base, "lyg-gangcheng")

    # 2. it applies on the dataset's page
    page.goto(f"{base}/dataset/{ds['name']}")
    page.locator("a.lyg-apply").click()
    page.wait_for_url(f"**/dataset/{ds['name']}/apply")
    assert "仅限交通规划研究使用" in page.content()  # the 开放条件 are shown
    page.fill("#field-purpose", "用于全市停车收费政策研究，测算各区域停车需求和收费弹性。")
    page.fill("#field-scenario", "在公司内部研究平台上进行统计分析，成果以研究报告形式提交。")
    page.fill("#field-security_measures", "数据存放在内网专用服务器，专人专机访问，使用完毕后删除。")
    today = today_beijing()
    page.fill("#field-term_start", today.isoformat())
    page.fill("#field-term_end", (today + dt.timedelta(days=180)).isoformat())
    page.check("#type-organization")
    page.fill("#field-applicant_name", "港城数据科技有限公司")
    page.fill("#field-credit_code", credit_code("91320700MA1MXXXX0"))
    page.fill("#field-contact_name", "李明")
    page.fill("#field-contact_phone", "13812345678")
    page.fill("#field-contact_email", "data@gangcheng.example.invalid")
    page.check("#accept-conditions")
    page.check("#accept-privacy")
    page.locator("form.lyg-application-form button[type=submit]").click()
    page.wait_for_url("**/opendata/application/*")
    assert not page.locator(".lyg-form-errors, .error-explanation").count(), page.content()
    application_url = page.url
    assert "工作日" in page.content()  # the deadline in working days
    anonymous_cannot_reach_the_data(base, world)

    # 3. the agency approves with its conditions of use
    login(page, base, "jtj-clerk")
    page.goto(base + "/opendata/applications")
    assert "连云港市停车收费明细" in page.content()
    page.goto(application_url)
    page.fill("#lyg-conditions", "仅限停车收费政策研究使用；成果公开前报送本单位。")
    page.locator("form.lyg-approve button[type=submit]").click()
    page.wait_for_load_state()
    assert "仅限停车收费政策研究使用" in page.content()
    # not signed by the company yet: no access
    login(page, base, "lyg-gangcheng")
    assert page.request.get(download, max_redirects=0).status == 403
    anonymous_cannot_reach_the_data(base, world)

    # 4. the company reads and signs the agreement
    page.goto(application_url)
    page.locator("a[href*='/opendata/agreement/']").first.click()
    page.wait_for_url("**/opendata/agreement/*")
    assert "港城数据科技有限公司" in page.content() and "连云港市停车收费明细" in page.content()
    page.check("#lyg-agreement-accept")
    page.locator("form.lyg-agreement-sign button[type=submit]").click()
    page.wait_for_load_state()
    assert not page.locator("form.lyg-agreement-sign").count()

    # 5. it downloads through the UI (its browser session) ...
    page.goto(f"{base}/dataset/{ds['name']}/resource/{res['id']}")
    href = page.locator("a.resource-url-analytics").first.get_attribute("href")
    assert href and "/download/" in href
    got = page.request.get(href)
    assert got.status == 200 and got.text() == CONTENT
    # ... and through the API with an API token
    token = tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": "lyg-gangcheng"},
        {"user": "lyg-gangcheng", "name": "研究平台"})["token"]
    shown = requests.get(f"{base}/api/3/action/resource_show", params={"id": res["id"]},
                         headers={"Authorization": token}, timeout=30).json()["result"]
    assert shown["url"].endswith("fees.csv")
    api_download = requests.get(shown["url"], headers={"Authorization": token}, timeout=30)
    assert api_download.status_code == 200 and api_download.text == CONTENT
    anonymous_cannot_reach_the_data(base, world)

    # 6. the agency sees the accesses in its log, then revokes the grant
    login(page, base, "jtj-clerk")
    page.goto(base + "/opendata/access-log")
    assert page.locator(".lyg-access-log-row").count() >= 2
    assert "连云港市停车收费明细" in page.content()
    page.goto(base + "/opendata/grants")
    page.locator("a[href*='/opendata/grant/']").first.click()
    page.wait_for_url("**/opendata/grant/*")
    page.fill("form.lyg-revoke-form #reason", "发现向第三方提供数据，违反协议约定。")
    page.locator("form.lyg-revoke-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".lyg-grant-revoked").count()

    # 7. the download is refused at once, in the browser and through the API
    login(page, base, "lyg-gangcheng")
    assert page.request.get(href, max_redirects=0).status == 403
    refused = requests.get(shown["url"], headers={"Authorization": token}, timeout=30,
                           allow_redirects=False)
    assert refused.status_code == 403 and CONTENT not in refused.text
    again = requests.get(f"{base}/api/3/action/resource_show", params={"id": res["id"]},
                         headers={"Authorization": token}, timeout=30).json()["result"]
    assert "fees.csv" not in (again.get("url") or "")
    anonymous_cannot_reach_the_data(base, world)
