"""axe-core (npm, installed in node_modules/ by scripts/install.sh, injected from there)
finds no serious or critical accessibility violation on the pages citizens use: home,
search, dataset, resource, the application form and the objection form, desktop and phone."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, ROOT, browser_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def world(published_dataset, sysadmin):
    from ckan.tests import factories
    for org in tk.get_action("organization_list")({"ignore_auth": True}, {}):
        tk.get_action("organization_patch")({"user": sysadmin["name"]}, {"id": org, "image_url": ""})
    citizen = factories.User(name="a11y-citizen", fullname="王小明", password=BROWSER_PASSWORD)
    ds = published_dataset(
        name="a11y-water", title="连云港市用水户信息", open_type="conditional",
        open_conditions="仅限科研使用。", subject_areas=["environment"],
        resources=[{"name": "用水户表", "url": "http://example.invalid/w.csv", "format": "CSV"}])
    return {"citizen": citizen, "dataset": ds}


def _violations(page) -> list:
    assert AXE.exists(), f"{AXE} missing: run scripts/install.sh"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1366, 390])
def test_no_serious_axe_violation(live_server, browser, world, width):
    base = live_server
    ds = world["dataset"]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    pages = {"home": "/", "search": "/dataset/?q=用水", "dataset": f"/dataset/{ds['name']}",
             "resource": f"/dataset/{ds['name']}/resource/{ds['resources'][0]['id']}"}
    found = {}
    for name, path in pages.items():
        page.goto(base + path)
        found[name] = _violations(page)
    browser_login(page, base, world["citizen"]["name"])
    for name, path in {"application-form": f"/dataset/{ds['name']}/apply",
                       "objection-form": f"/dataset/{ds['name']}/objections/new"}.items():
        page.goto(base + path)
        found[name] = _violations(page)
    context.close()
    bad = {k: v for k, v in found.items() if v}
    if bad:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{width}.json").write_text(json.dumps(bad, ensure_ascii=False, indent=1))
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
