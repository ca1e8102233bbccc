"""A walk through the portal's public face as each role, desktop (1366 px) and phone
(390 px): screenshots in test-artifacts/portal/ (looked at by people), and what a visitor
must see: the header's items per role, the workbench, content before the sidebar on a
phone, the 长者模式 toggle, no request to another site."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.portal import figures

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SHOTS = ARTIFACTS / "portal"
PUBLIC_NAV = ["数据目录", "数据领域", "数据开放主体", "开放清单", "数据接口", "关于"]


@pytest.fixture
def world(people, agency, published_dataset, sysadmin):
    for user in ("agency_editor", "agency_admin", "supervisor", "registered", "sysadmin"):
        tk.get_action("user_patch")({"ignore_auth": True}, {
            "id": people[user]["id"], "password": BROWSER_PASSWORD})
    # the factories give organizations a dummyimage.com logo: data, not the portal's doing
    for org in tk.get_action("organization_list")({"ignore_auth": True}, {}):
        tk.get_action("organization_patch")({"user": sysadmin["name"]}, {"id": org, "image_url": ""})
    open_ds = published_dataset(
        name="walk-bus", title="连云港市公交线路", notes="全市公交线路及站点信息。",
        subject_areas=["transport"], tag_string="交通,公交",
        resources=[{"name": "公交线路表", "url": "http://example.invalid/bus.csv", "format": "CSV",
                    "description": "线路清单"}])
    cond_ds = published_dataset(
        name="walk-water", title="连云港市用水户信息", open_type="conditional",
        open_conditions="仅限科研使用，不得向第三方提供。", subject_areas=["environment"],
        resources=[{"name": "用水户表", "url": "http://example.invalid/water.csv", "format": "CSV"}])
    figures.invalidate()  # the Redis copy of an earlier test's figures
    return {"people": people, "open": open_ds, "conditional": cond_ds}


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _nav_items(page) -> list[str]:
    return [t.strip() for t in page.locator(".masthead .navbar-nav > li").all_inner_texts()]


def _external_requests(page, base):
    seen = []
    page.on("request", lambda r: seen.append(r.url) if not r.url.startswith(
        (base, "data:", "blob:", "about:")) else None)
    return seen


def test_public_pages_desktop_and_phone(live_server, browser, world):
    base = live_server
    ds = world["open"]
    pages = {
        "home": "/", "search": "/dataset/?q=公交", "dataset-open": f"/dataset/{ds['name']}",
        "dataset-conditional": f"/dataset/{world['conditional']['name']}",
        "resource": f"/dataset/{ds['name']}/resource/{ds['resources'][0]['id']}",
        "subjects": "/opendata/subjects", "about": "/about", "guide": "/opendata/guide",
        "developer": "/opendata/developer", "measures": "/opendata/measures",
    }
    for width, height, suffix in ((1366, 900, "desktop"), (390, 844, "phone")):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        external = _external_requests(page, base)
        too_wide = {}
        for name, path in pages.items():
            page.goto(base + path)
            _shoot(page, f"{name}-{suffix}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide[name] = scroll
        assert not too_wide, f"wider than the {width} px screen: {too_wide}"
        if suffix == "desktop":
            page.goto(base + "/")
            assert _nav_items(page) == PUBLIC_NAV
        else:
            # content first: the dataset's main column is above its sidebar
            page.goto(base + f"/dataset/{ds['name']}")
            main = page.locator(".primary").first.bounding_box()
            side = page.locator("aside.secondary").first.bounding_box()
            assert main["y"] < side["y"], (main, side)
        assert not external, external
        context.close()


@pytest.mark.parametrize("role, sections", [
    ("registered", ["own"]),
    ("agency_editor", ["agency", "own"]),
    ("agency_admin", ["agency", "own"]),
    ("supervisor", ["supervisor", "own"]),
    ("sysadmin", ["supervisor", "own", "sysadmin"]),
])
def test_workbench_per_role(live_server, page, world, role, sections):
    base = live_server
    name = world["people"][role]["name"]
    browser_login(page, base, name)
    # after login each person lands on their workbench
    assert page.url.rstrip("/").endswith("/opendata/workbench"), page.url
    assert [s.get_attribute("data-section") for s in page.locator("[data-section]").all()] == sections
    # the public header keeps its six items; the rest is in the one 工作台 menu
    assert _nav_items(page) == PUBLIC_NAV
    page.locator("#lyg-workbench-toggle").click()
    assert page.locator(".lyg-workbench-menu .dropdown-menu").is_visible()
    _shoot(page, f"workbench-{role}-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/opendata/workbench")
    _shoot(page, f"workbench-{role}-phone")


def test_elder_mode_is_remembered(live_server, page, world):
    page.goto(live_server + "/")
    page.locator("[data-lyg-elder-toggle]").first.click()
    assert "lyg-elder" in page.locator("html").get_attribute("class")
    page.goto(live_server + "/dataset/")
    assert "lyg-elder" in page.locator("html").get_attribute("class")
    _shoot(page, "search-elder-desktop")


def test_lists_read_as_cards_on_a_phone(live_server, page, world, people):
    """On a 390 px phone the supervisors' lists (disclosure queue, scorecards, review queue,
    open list) show each row as a card whose cells are labelled with their column's
    heading, and no page is wider than the screen."""
    base = live_server
    from tests.disclosure.conftest import individual
    tk.get_action("lyg_opendata_disclosure_create")(
        {"user": people["registered"]["name"]}, individual(organization=world["open"]["owner_org"]))
    browser_login(page, base, people["supervisor"]["name"])
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path, table in (
            ("disclosure", "/opendata/disclosure", "table.lyg-disclosure-table"),
            ("scorecards", "/opendata/scorecards", "table.lyg-scorecards"),
            ("open-list", "/opendata/list", "table.lyg-open-list-table")):
        page.goto(base + path)
        page.wait_for_selector(table + ".lyg-cards-ready")
        row = page.locator(table + " tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block", name
        labels = row.locator("[data-label]").evaluate_all("cells => cells.map(c => c.dataset.label)")
        assert labels and all(labels), (name, labels)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        _shoot(page, f"cards-{name}-phone")
    # at desktop width the same list is an ordinary table
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(base + "/opendata/disclosure")
    row = page.locator("table.lyg-disclosure-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
