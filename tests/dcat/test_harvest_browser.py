"""The harvest pages in Chromium, in Chinese, at desktop (1366 px) and phone (390 px)
width, as a sysadmin: the source list, the new-source and edit forms, a source's page, its admin page, the job list
and a job report with an object error, its message in Chinese too. No English UI word (the
source's name and addresses are data); nothing wider than the screen.
Screenshots in test-artifacts/harvest/."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import i18n
from ckan.tests import factories

from tests.conftest import ARTIFACTS, BROWSER_PASSWORD, browser_login
from tests.i18n.test_pages import english_words

from . import third_party as tp
from .conftest import HARVEST_PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]

CATALOG = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://data.county.example/dataset/bus> a dcat:Dataset ; dct:title "公交线路"@zh ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
<https://data.county.example/dataset/untitled> a dcat:Dataset ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
""".encode()


# acronyms inside the Chinese help text of the form (采集源可以是…CSW 服务器或 Web 可访问文件夹（WAF）)
ACRONYMS = ["CSW", "Web", "WAF"]


@pytest.fixture
def front_end(tmp_path, monkeypatch, live_server):
    """The live server with the JavaScript catalogs built, as `ckan run` builds them."""
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    i18n.build_js_translations()
    return live_server


@pytest.fixture
def harvested(rdf_server, sysadmin):
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", CATALOG)
    org = factories.Organization(name="county-dh", title="东海县数据局",
                                 users=[{"name": sysadmin["name"], "capacity": "admin"}])
    src = tp.source(base + "/catalog.ttl", org, sysadmin, "county-portal")
    tk.get_action("harvest_source_patch")({"user": sysadmin["name"]},
                                          {"id": src["id"], "title": "东海县开放平台"})
    job_id, results = tp.run(src, sysadmin)
    assert len(results) == 1 and len(tp.object_errors(job_id, sysadmin)) == 1
    tk.get_action("user_patch")({"ignore_auth": True},
                                {"id": sysadmin["id"], "password": BROWSER_PASSWORD})
    # data: the source's name and address, the dataset IRI and property named by the job's
    # message, the URL prefix "harvest" of the name field
    data = ["https://data.county.example/dataset/untitled", "dct:title"]
    return src, job_id, data + [base, src["name"], src["url"], sysadmin["name"], "harvest"] + ACRONYMS


@pytest.mark.parametrize("width", [1366, 390])
def test_harvest_pages_in_chinese(front_end, page, sysadmin, harvested, width):
    live_server = front_end
    src, job_id, data_values = harvested
    shots = ARTIFACTS / "harvest"
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, live_server, sysadmin["name"])
    name = src["name"]
    pages = {
        "sources": ("/harvest", ".nav-facet"),   # the source list, its type and frequency facets
        "new-source": ("/harvest/new", "#field-url"),
        "edit-source": (f"/harvest/edit/{name}", "#field-url"),
        "source": (f"/harvest/{name}", "[role=main]"),
        "about": (f"/harvest/about/{name}", "[role=main]"),
        "admin": (f"/harvest/admin/{name}", "[role=main]"),
        "jobs": (f"/harvest/{name}/job", "[role=main]"),
        "job": (f"/harvest/{name}/job/{job_id}", ".harvest-error-list"),
    }
    english, too_wide = {}, {}
    for key, (path, selector) in pages.items():
        response = page.goto(live_server + path)
        assert response.status == 200, (path, response.status)
        page.wait_for_selector(selector)
        page.screenshot(path=str(shots / f"{key}-{width}.png"), full_page=True)
        words = english_words(page.content(), data_values)
        if words:
            english[path] = words
        wide = page.evaluate("""[...document.querySelectorAll('[role=main] *')]
            .filter(e => e.offsetParent !== null && !e.closest('.table-responsive, pre, code')
                    && e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className)""")
        if wide:
            too_wide[path] = wide
    assert english == {} and too_wide == {}
    # the job report names what went wrong, in Chinese (stored as a msgid, messages.py)
    page.goto(live_server + pages["job"][0])
    assert "没有标题（dct:title）：未导入" in page.inner_text("[role=main]")
