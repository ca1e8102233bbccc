"""Shared fixtures. The tests run against the real PostgreSQL, Solr and Redis that
`make test` starts (see test.ini); nothing here mocks them."""
from __future__ import annotations

import email
import email.policy
import os
import pathlib
import threading
import time

import pytest
from werkzeug.serving import make_server

import ckan.plugins.toolkit as tk
from ckan.tests import factories

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


PLUGINS_WITH_MIGRATIONS = ["activity", "lyg_opendata"]


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the migrations of the plugins that have their own tables."""
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)


# People get Chinese full names: pages show them, and the page tests look for English UI
# words (Faker's English names are data that would read like UI words).
@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken(fullname="平台管理员")


@pytest.fixture
def reviewer():
    """A second sysadmin: reviews what ``sysadmin`` submitted (four eyes)."""
    return factories.SysadminWithToken(fullname="审核管理员")


@pytest.fixture
def agency(sysadmin):
    """An agency (数据开放主体) organization."""
    return factories.Organization(
        name="lyg-jtj-test", title="市交通运输局",
        users=[{"name": sysadmin["name"], "capacity": "admin"}])


DATA_ITEMS = [
    {"name_zh": "名称", "code": "name", "type": "string", "description": "", "sensitive": "no"},
    {"name_zh": "地址", "code": "address", "type": "string", "description": "", "sensitive": "no"},
]


def catalog_fields(**kwargs):
    """The required catalog fields with sensible values, overridden by ``kwargs``."""
    data = {"license_id": "cc-by", "notes": "测试数据集", "open_type": "unconditional",
            "update_frequency": "monthly", "data_items": [dict(i) for i in DATA_ITEMS]}
    data.update(kwargs)
    return data


@pytest.fixture
def create_dataset(sysadmin, agency):
    """Create a draft dataset through the action API as the agency's admin."""
    def create(**kwargs):
        data = catalog_fields(owner_org=agency["id"], **kwargs)
        return tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    return create


ROLES = ["anonymous", "registered", "other_agency_editor", "agency_editor", "agency_admin",
         "supervisor", "sysadmin"]


@pytest.fixture
def people(agency):
    """One user per role around ``agency`` (None for anonymous): a registered user with no
    organization, an editor of another agency, the agency's editor and admin, a supervisor
    (editor of the supervising organization 市大数据管理局) and a sysadmin."""
    names = {"registered": "注册用户", "other_agency_editor": "统计局编辑",
             "agency_editor": "交通局编辑", "agency_admin": "交通局管理员",
             "supervisor": "大数据局审核员", "sysadmin": "系统管理员"}
    users = {role: factories.UserWithToken(fullname=names[role])
             for role in ROLES if role != "anonymous"}
    users["sysadmin"] = factories.SysadminWithToken(fullname=names["sysadmin"])
    other = factories.Organization(name="lyg-other-agency", title="市统计局")
    supervisor_org = factories.Organization(
        name=tk.config.get("ckanext.lyg_opendata.supervisor_org"), title="市大数据管理局")
    member = tk.get_action("organization_member_create")
    ctx = {"ignore_auth": True}
    member(ctx, {"id": other["id"], "username": users["other_agency_editor"]["name"], "role": "editor"})
    member(ctx, {"id": agency["id"], "username": users["agency_editor"]["name"], "role": "editor"})
    member(ctx, {"id": agency["id"], "username": users["agency_admin"]["name"], "role": "admin"})
    member(ctx, {"id": supervisor_org["id"], "username": users["supervisor"]["name"], "role": "editor"})
    users["anonymous"] = None
    return users


@pytest.fixture
def publish(sysadmin, reviewer):
    """Submit a dataset (as its agency) and approve it (as another reviewer)."""
    def run(dataset):
        tk.get_action("lyg_opendata_review_submit")(
            {"user": sysadmin["name"]}, {"id": dataset["id"], "desensitized": True})
        return tk.get_action("lyg_opendata_review_approve")(
            {"user": reviewer["name"]}, {"id": dataset["id"]})
    return run


@pytest.fixture
def published_dataset(create_dataset, publish):
    """Create and publish a dataset: what the public sees."""
    def create(**kwargs):
        return publish(create_dataset(**kwargs))
    return create


# --- mail --------------------------------------------------------------------------

@pytest.fixture
def mail_dir() -> pathlib.Path:
    """Folder where the SMTP sink stores mail (set by scripts/test.sh)."""
    path = os.environ.get("LYG_MAIL_DIR")
    if not path:
        pytest.fail("LYG_MAIL_DIR is not set: run the tests with `make test`")
    return pathlib.Path(path)


def read_mail_to(mail_dir: pathlib.Path, recipient: str, timeout: float = 10.0):
    """Wait for and return the messages stored by the SMTP sink for ``recipient``."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for path in sorted(mail_dir.glob("*.eml")):
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if recipient in msg.get("X-Envelope-To", ""):
                found.append(msg)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


# --- a live server for browser tests ------------------------------------------------

@pytest.fixture
def live_server(app):
    """The test app served over HTTP on a free loopback port."""
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # absolute links and redirects point at the live server (restored after the test)
    tk.config["ckan.site_url"] = base
    yield base
    server.shutdown()
    thread.join(5)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page; a failed test leaves a screenshot in test-artifacts/."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot saved to {path}")
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


BROWSER_PASSWORD = "Lyg-test-1234"


def browser_login(page, base: str, name: str, password: str = BROWSER_PASSWORD) -> None:
    """Log in through the Chinese login form in a fresh browser session."""
    page.context.clear_cookies()
    page.goto(base + "/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", password)
    page.press("#field-password", "Enter")
    page.wait_for_url(lambda url: "/user/login" not in url)
