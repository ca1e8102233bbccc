"""Rectification in a real browser (Art 39): a supervisor sees that an agency left an
application unanswered past its deadline, issues a notice pre-filled from the figures; the
agency's editor responds; the supervisor closes it. Screenshots of each step (desktop, and
the notice at phone width) in test-artifacts/rectification/."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.access.model import Application

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
SHOTS = ARTIFACTS / "rectification"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_supervisor_issues_agency_responds_supervisor_closes(live_server, page, people, agency,
                                                             published_dataset):
    for role in ("agency_editor", "supervisor"):
        tk.get_action("user_patch")({"ignore_auth": True}, {
            "id": people[role]["id"], "password": BROWSER_PASSWORD})
    ds = published_dataset(name="rs-water", title="连云港市用水户信息", open_type="conditional",
                           open_conditions="仅限科研使用")
    today = workdays.today_beijing()
    model.Session.add(Application(
        package_id=ds["id"], org_id=agency["id"], user_id=people["registered"]["id"],
        status="submitted", purpose="科研", scenario="分析", security_measures="加密",
        term_start=today, term_end=today, received_on=today - dt.timedelta(days=40),
        due_on=today - dt.timedelta(days=26)))
    model.repo.commit()
    base = live_server
    page.set_viewport_size({"width": 1366, "height": 900})

    # the supervisor opens the notices from the workbench and issues one
    browser_login(page, base, people["supervisor"]["name"])
    page.goto(base + "/opendata/workbench")
    page.click("main a[href='/opendata/rectifications'], [role=main] a[href='/opendata/rectifications']")
    page.click(".lyg-rectification-new")
    page.select_option("#field-organization", agency["name"])
    page.select_option("#field-ground", "applications")
    page.click(".lyg-rectification-prefill")
    findings = page.input_value("#field-findings")
    assert "连云港市用水户信息" in findings
    assert (today - dt.timedelta(days=26)).isoformat() in findings
    page.fill("#field-requirement", "请于期限内答复超期申请，并说明超期原因。")
    page.fill("#field-deadline_days", "10")
    _shot(page, "01-issue-form")
    page.click(".lyg-rectification-issue")
    page.wait_for_selector(".lyg-rectification[data-status=issued]")
    notice_url = page.url
    _shot(page, "02-issued")

    # the agency's editor finds it in the workbench and responds
    browser_login(page, base, people["agency_editor"]["name"])
    page.goto(base + "/opendata/workbench")
    page.click("main a[href='/opendata/rectifications'], [role=main] a[href='/opendata/rectifications']")
    page.click(f"a[href='{notice_url.replace(base, '')}']")
    page.fill("#rt-respond", "已于本周答复该申请，并建立申请办理提醒机制。")
    page.click(".lyg-rectification-respond button[type=submit]")
    page.wait_for_selector(".lyg-rectification[data-status=responded]")
    assert "建立申请办理提醒机制" in page.inner_text(".lyg-rectification-response")
    _shot(page, "03-responded")

    # the supervisor closes it
    browser_login(page, base, people["supervisor"]["name"])
    page.goto(notice_url)
    page.fill("#rt-close", "整改到位，予以关闭。")
    page.click(".lyg-rectification-close button[type=submit]")
    page.wait_for_selector(".lyg-rectification[data-status=closed]")
    actions = page.eval_on_selector_all(".lyg-rectification-timeline li",
                                        "els => els.map(e => e.dataset.action)")
    assert actions == ["issue", "respond", "close"]
    _shot(page, "04-closed")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    overflow = page.evaluate("""[...document.querySelectorAll('.lyg-rectification, .lyg-rectification *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length""")
    assert overflow == 0
    _shot(page, "05-closed-phone")
