"""The yearly evaluation report in a real browser (Art 37): a supervisor goes from the
statistics page to the reports, generates last year's draft from the figures, edits the
commentary and the suggestions, publishes it; the public finds it from the footer, reads it
and downloads the PDF — at desktop width and at a phone's (390 px, no sideways scrolling).
Screenshots in test-artifacts/evaluation_report/."""
from __future__ import annotations

import datetime as dt
import io

import freezegun
import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
SHOTS = ARTIFACTS / "evaluation_report"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2


@pytest.mark.parametrize("width", [1366, 390])
def test_supervisor_generates_edits_publishes_and_the_public_reads_it(
        width, live_server, page, people, agency, published_dataset):
    tk.get_action("user_patch")({"ignore_auth": True}, {
        "id": people["supervisor"]["id"], "password": BROWSER_PASSWORD})
    year = workdays.today_beijing().year - 1
    # last year's report is taken as of that year's end: the agencies existed then and the
    # dataset was published during it
    model.Session.execute(sa.text('UPDATE "group" SET created = :d'),
                          {"d": dt.datetime(year, 1, 2)})
    model.repo.commit()
    with freezegun.freeze_time(f"{year}-06-02 02:00:00", tick=True):
        published_dataset(name="er-bus", title="公交线路")
    base = live_server
    page.set_viewport_size({"width": width, "height": 900})

    # the supervisor: statistics page -> reports -> generate last year's draft
    browser_login(page, base, people["supervisor"]["name"])
    page.goto(base + "/opendata/stats")
    page.click(".lyg-stats-reports a")
    page.wait_for_selector("form.lyg-report-generate")
    assert page.input_value("#field-year") == str(year)
    page.click("form.lyg-report-generate button[type=submit]")
    page.wait_for_selector(".lyg-evaluation-report[data-status=draft]")
    report_url = page.url
    assert page.locator(".lyg-report-ranking [data-agency=lyg-jtj-test]").count() == 1
    suggestions = page.input_value("#field-suggestions")
    assert "市统计局" in suggestions  # the other agency has published nothing
    _shot(page, f"{width}-01-draft")

    # edit: a field error first (title too short), then the commentary and a suggestion
    page.fill("#field-title", "短")
    page.click(".lyg-report-save")
    page.wait_for_selector(".lyg-report-edit .alert-danger")
    assert page.locator(".form-group.error:has(#field-title) .error-block").count() == 1
    page.fill("#field-title", f"{year} 年度连云港市公共数据开放评估报告")
    page.fill("#field-commentary", "全市公共数据开放工作稳步推进。<b>不是标记</b>")
    page.fill("#field-suggestions", suggestions + "\n市交通运输局：请补充公交线路的空间范围。")
    page.click(".lyg-report-save")
    page.wait_for_selector(".lyg-evaluation-report[data-status=draft]")
    assert "<b>不是标记</b>" in page.locator(".lyg-report-commentary").inner_text()
    _shot(page, f"{width}-02-edited")
    page.click(".lyg-report-publish button")
    page.wait_for_selector(".lyg-evaluation-report[data-status=published]")
    assert page.locator("form.lyg-report-edit").count() == 0
    _fits(page, width)
    _shot(page, f"{width}-03-published")

    # the public: footer -> reports -> the report -> its PDF
    page.context.clear_cookies()
    page.goto(base + "/")
    page.click("footer a[href='/opendata/evaluation-reports']")
    page.click(f".lyg-evaluation-reports a[href='{report_url.replace(base, '')}']")
    page.wait_for_selector(".lyg-evaluation-report[data-status=published]")
    assert "空间范围" in page.locator(".lyg-report-suggestions").inner_text()
    assert page.locator(".lyg-report-edit, .lyg-report-publish").count() == 0
    _fits(page, width)
    _shot(page, f"{width}-04-public")
    with page.expect_download() as info:
        page.locator(".lyg-report-pdf").click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    for words in ("连云港市公共数据开放评估报告", "全市公共数据开放工作稳步推进", "市交通运输局",
                  "空间范围"):
        assert words in text, words
