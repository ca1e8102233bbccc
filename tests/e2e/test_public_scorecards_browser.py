"""The public scorecard (/opendata/scorecards/public) in Chromium, anonymous, at desktop
and phone width: reached from the statistics page, every agency with the published
figures (a ranked table on the desktop, a card per agency on the phone, each figure labelled),
nothing wider than the screen, no request to another host. Screenshots in
test-artifacts/scorecards/."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest

from ckanext.lyg_opendata.portal import usage

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
YEAR = 2025


@pytest.mark.parametrize("width", [1366, 390])
def test_public_scorecard(live_server, page, people, agency, published_dataset, width):
    bus = published_dataset(name="psb-bus", title="公交线路", subject_areas=["transport"],
                            resources=[{"url": "http://example.com/a.csv", "format": "CSV",
                                        "name": "线路"}])
    usage.add(bus["id"], bus["resources"][0]["id"], "download", 12, day=dt.date(YEAR, 5, 1))
    hosts = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/opendata/stats")
    page.click('a[href$="/opendata/scorecards/public"]')
    page.wait_for_selector(".lyg-public-scorecards")
    page.goto(live_server + f"/opendata/scorecards/public?year={YEAR}")
    table = page.locator(".lyg-public-scorecards")
    mine = table.locator(f'tr[data-agency="{agency["name"]}"]')
    assert mine.locator('[data-figure="downloads"]').inner_text().strip().endswith("12")
    assert mine.locator('[data-figure="datasets_unconditional"]').inner_text().strip().endswith("1")
    assert table.locator("tbody tr[data-agency]").count() == 2   # the two agencies, not the bureau
    # ranked: the agency with a score first
    assert table.locator("tbody tr[data-agency]").first.get_attribute("data-agency") == agency["name"]
    wide = page.evaluate("""[...document.querySelectorAll('[role=main] *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length""")
    if width == 390:
        # a card per agency: the head is hidden, each value carries its figure's name
        assert table.locator("thead").bounding_box()["height"] <= 1
        label = mine.locator('[data-figure="downloads"]').get_attribute("data-label")
        assert label and label == table.locator('thead th[data-figure="downloads"]').inner_text().strip()
        assert wide == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 2
    else:
        assert table.locator("thead").bounding_box()["height"] > 20 and wide == 0
        # each agency's name on one line
        name = mine.locator("th")
        line = float(name.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert name.locator("a").bounding_box()["height"] < 1.5 * line
    assert hosts == {urlparse(live_server).netloc}
    (ARTIFACTS / "scorecards").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scorecards" / f"public-{width}.png"), full_page=True)
