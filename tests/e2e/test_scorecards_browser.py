"""The scorecards and staff filing pages in Chromium at desktop and phone width, as a supervisor (every body,
ranked, in a table that scrolls inside itself) and as an agency (its own card):
screenshots in test-artifacts/scorecards/."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.mark.parametrize("width", [1366, 390])
def test_scorecards_page(live_server, page, people, published_dataset, width):
    published_dataset(name="scb-bus", title="公交线路")
    for role in ("supervisor", "agency_editor"):
        tk.get_action("user_patch")({"ignore_auth": True}, {
            "id": people[role]["id"], "password": BROWSER_PASSWORD})
    (ARTIFACTS / "scorecards").mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    for role, selector in (("supervisor", ".lyg-scorecards"), ("agency_editor", ".lyg-scorecard")):
        browser_login(page, live_server, people[role]["name"])
        page.goto(live_server + "/opendata/scorecards")
        page.wait_for_selector(selector)
        wide = page.evaluate("""[...document.querySelectorAll('[role=main] form, [role=main] p, [role=main] h2, .table-responsive, .lyg-scorecard')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length""")
        assert wide == 0
        page.screenshot(path=str(ARTIFACTS / "scorecards" / f"{role}-{width}.png"), full_page=True)
        # the staff filing page (Art 35) of the same person
        page.goto(live_server + "/opendata/staff-filing")
        page.wait_for_selector(".lyg-staff-overview" if role == "supervisor" else ".lyg-staff-form")
        wide = page.evaluate("""[...document.querySelectorAll('.lyg-staff-form, .lyg-staff-form *, .table-responsive')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length""")
        assert wide == 0
        page.screenshot(path=str(ARTIFACTS / "scorecards" / f"staff-{role}-{width}.png"), full_page=True)
