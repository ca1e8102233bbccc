"""No page makes a third-party request (issue 20 item 3: no Gravatar or anything else):
a real browser records every request of public pages, a signed-in person's pages and a
sysadmin's pages; every one goes to the portal itself (127.0.0.1) or is inline, or is
stopped by the page's Content-Security-Policy before it is sent."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from ckan.tests import factories

from tests.conftest import BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


def test_every_request_of_every_page_goes_to_the_portal(live_server, page, published_dataset):
    base = live_server
    published_dataset(name="nt-bus", title="公交线路")
    factories.Sysadmin(name="nt-admin", password=BROWSER_PASSWORD, fullname="平台管理员",
                       email="admin@example.org")
    factories.User(name="nt-citizen", password=BROWSER_PASSWORD, fullname="王市民",
                   email="wang@example.org")
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    where: list[tuple[str, str]] = []
    page.on("request", lambda req: where.append((page.url, req.url)))
    failed: dict[str, str] = {}
    page.on("requestfailed", lambda req: failed.__setitem__(req.url, req.failure))

    public = ["/", "/dataset/", "/dataset/nt-bus", "/organization/", "/user/login",
              "/user/register", "/opendata/stats", "/opendata/privacy", "/about"]
    for path in public:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    browser_login(page, base, "nt-citizen")
    for path in ["/dashboard/datasets", "/user/nt-citizen", "/user/edit/nt-citizen",
                 "/user/nt-citizen/api-tokens", "/dataset/nt-bus"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    browser_login(page, base, "nt-admin")
    for path in ["/ckan-admin/security-events", "/user/", "/ckan-admin/", "/user/nt-citizen"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")

    assert len(seen) > 40, seen
    elsewhere = [url for url in seen
                 if urlparse(url).scheme not in ("data", "blob", "about")
                 and urlparse(url).hostname != "127.0.0.1"]
    # the only off-site addresses are pictures that people typed into an agency profile
    # (the factories give every organisation one): the page's Content-Security-Policy stops
    # the browser before it sends anything ('csp'), so nothing leaves for another site
    assert {failed.get(url) for url in elsewhere} <= {"csp"}, \
        (sorted({w for w in where if w[1] in elsewhere}), failed)
    # people with a picture address elsewhere are shown by their initials
    page.goto(base + "/user/nt-citizen")
    assert page.locator(".lyg-avatar").count() >= 1
    # the pages did load the portal's own assets
    assert any("/webassets/" in url or "/base/" in url for url in seen)
