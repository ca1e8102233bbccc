"""The quality panel of a dataset page at a phone's width (390 px): the table of indicators
keeps each dimension and each "points / max" on one line (they were broken one character a
line: 可/发/现/性, "8 /" over "8"), and the page does not scroll sideways. Screenshot in
test-artifacts/quality_panel/."""
from __future__ import annotations

import pytest

from ckanext.lyg_opendata.evaluation import quality

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_the_indicators_table_keeps_dimensions_and_points_on_one_line(
        live_server, page, published_dataset):
    published_dataset(name="qp-phone", title="手机上的质量评分", resources=[
        {"url": "http://127.0.0.1:9/none", "format": "PDF", "name": "扫描件"}])
    assert quality.compute()["scored"] == 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/dataset/qp-phone")
    page.locator(".lyg-quality-why summary").click()
    rows = page.locator(".lyg-quality-indicators tbody tr")
    assert rows.count() == len(quality.INDICATORS)
    heights = page.evaluate("""() => [...document.querySelectorAll(
        '.lyg-quality-indicators tbody tr')].map(tr => {
            const line = parseFloat(getComputedStyle(tr.cells[0]).lineHeight);
            const text = c => { const r = document.createRange(); r.selectNodeContents(c);
                                return r.getBoundingClientRect().height; };
            return [text(tr.cells[0]) / line, text(tr.cells[2]) / line]; })""")
    assert all(dim < 1.5 and points < 1.5 for dim, points in heights), heights
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    (ARTIFACTS / "quality_panel").mkdir(parents=True, exist_ok=True)
    page.locator(".lyg-quality").screenshot(path=str(ARTIFACTS / "quality_panel" / "390.png"))
    # a met indicator has nothing to improve: its "✓" line is left out on the phone
    met = page.locator('.lyg-quality-indicators tr[data-met="true"] td:nth-child(4)').first
    assert not met.is_visible()
    # on a desktop it stays a four-column table with its head
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.locator(".lyg-quality-indicators thead th").first.is_visible()
    assert met.is_visible()
    page.locator(".lyg-quality").screenshot(path=str(ARTIFACTS / "quality_panel" / "1366.png"))


def test_the_score_history_chart_and_table(live_server, page, published_dataset):
    """The score history: the chart drawn with the vendored ECharts beside a table
    of the same scores, at 390 and 1366 px, nothing wider than the phone."""
    import datetime as dt

    import ckan.model as model

    from ckanext.lyg_opendata.evaluation.model import LinkCheck
    ds = published_dataset(name="qp-history", title="评分变化", resources=[
        {"url": "http://127.0.0.1:9/data.csv", "format": "CSV", "name": "数据"}])
    quality.compute(today=dt.date(2026, 10, 5))
    model.Session.add(LinkCheck(resource_id=ds["resources"][0]["id"],
                                url="http://127.0.0.1:9/data.csv", ok=True, status=200))
    model.repo.commit()
    quality.compute(today=dt.date(2026, 11, 2))
    (ARTIFACTS / "quality_panel").mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/dataset/qp-history")
        page.wait_for_selector(".lyg-quality-chart[data-lyg-drawn=true]")
        assert page.locator(".lyg-quality-chart").locator("svg, canvas").count() >= 1
        assert page.locator(".lyg-quality-changes tbody tr").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 2
        page.locator(".lyg-quality").screenshot(
            path=str(ARTIFACTS / "quality_panel" / f"history-{width}.png"))
