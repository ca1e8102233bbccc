"""The harvest source pages in the UI language: ckanext-harvest's facet titles and core's
result sentence for the "harvest" type are English words outside any catalog."""
import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .conftest import HARVEST_PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]


def _page(app, sysadmin, path):
    token = tk.get_action("api_token_create")(
        {"user": sysadmin["name"]}, {"user": sysadmin["name"], "name": "h"})["token"]
    return BeautifulSoup(app.get(path, headers={"Authorization": token}).body, "html.parser")


def test_harvest_source_list_speaks_chinese(app, sysadmin):
    soup = _page(app, sysadmin, "/harvest")
    text = soup.select_one("main, #content, body").get_text(" ", strip=True)
    for english in ("No harvests found", "Frequency", "Type"):
        assert english not in text, english
    headings = [h.get_text(" ", strip=True) for h in soup.select(".module-heading")]
    assert any("更新频度" in h for h in headings) and any("采集源类型" in h for h in headings), headings
    assert "未找到采集源" in text


def test_harvest_source_list_in_english_keeps_english(app, sysadmin):
    text = _page(app, sysadmin, "/en/harvest").get_text(" ", strip=True)
    assert "Update frequency" in text and "Sorry no harvest sources found" in text


def test_harvester_type_is_named_in_the_ui_language(app, sysadmin):
    text = _page(app, sysadmin, "/harvest/new").get_text(" ", strip=True)
    assert "DCAT-AP RDF（含本平台目录字段）" in text


def test_source_form_names_agencies_by_their_full_titles(app, sysadmin):
    """The organization selector of the new and edit forms shows each agency's full
    (Chinese) title, not its URL name; the value stays the organization's id."""
    member = [{"name": sysadmin["name"], "capacity": "admin"}]
    city = factories.Organization(name="lyg-dsj", title="连云港市大数据管理局", users=member)
    county = factories.Organization(name="county-dh", title="东海县数据局", users=member)
    options = {o["value"]: o.get_text(strip=True)
               for o in _page(app, sysadmin, "/harvest/new").select("#field-organizations option")}
    assert options[city["id"]] == "连云港市大数据管理局"
    assert options[county["id"]] == "东海县数据局"
    assert not {"lyg-dsj", "county-dh"} & set(options.values())
    source = tk.get_action("harvest_source_create")({"user": sysadmin["name"]}, {
        "name": "county-portal", "title": "县区平台", "url": "http://data.county.example/catalog.ttl",
        "source_type": "lyg_dcat_rdf", "owner_org": county["id"]})
    edit = _page(app, sysadmin, f"/harvest/edit/{source['name']}")
    # one option selected, the source's agency (ckanext-harvest's form also selected "No
    # organization" on every edit page: a variable read before the loop set it)
    selected = edit.select("#field-organizations option[selected]")
    assert [(o["value"], o.get_text(strip=True)) for o in selected] == [(county["id"], "东海县数据局")]


def _source(sysadmin, org, name, source_type, frequency="MANUAL"):
    return tk.get_action("harvest_source_create")({"user": sysadmin["name"]}, {
        "name": name, "title": name, "url": f"http://data.{name}.example/catalog.ttl",
        "source_type": source_type, "owner_org": org["id"], "frequency": frequency})


@pytest.mark.with_plugins("dcat_rdf_harvester")
def test_source_list_facets_name_harvesters_and_frequencies(app, sysadmin):
    """The source-type facet names each harvester by its title (not ``lyg_dcat_rdf``),
    the frequency facet by its word (not ``MANUAL``), in the list and in the applied
    filter; in Chinese and in English."""
    member = [{"name": sysadmin["name"], "capacity": "admin"}]
    org = factories.Organization(name="county-dh", title="东海县数据局", users=member)
    _source(sysadmin, org, "county-a", "lyg_dcat_rdf")
    _source(sysadmin, org, "county-b", "lyg_dcat_rdf", "WEEKLY")
    _source(sysadmin, org, "county-c", "dcat_rdf")

    def facet(soup, field):   # a label cut for width keeps its whole text as the tooltip
        return {a.get("data-bs-title") or a.select_one(".item-label").get_text(strip=True):
                a.select_one(".item-count").get_text(strip=True)
                for a in soup.select(f'a[href*="{field}="]') if a.select_one(".item-label")}

    soup = _page(app, sysadmin, "/harvest")
    types = facet(soup, "source_type")
    assert types == {"DCAT-AP RDF（含本平台目录字段）": "2", "通用 DCAT RDF 采集器": "1"}, types
    assert facet(soup, "frequency") == {"手动": "2", "每周": "1"}
    assert "lyg_dcat_rdf" not in " ".join(a.get_text(" ") for a in soup.select(".nav-facet a"))

    filtered = _page(app, sysadmin, "/harvest?source_type=lyg_dcat_rdf&frequency=WEEKLY")
    pills = [s.get_text(" ", strip=True) for s in filtered.select(".filtered.pill")]
    assert pills == ["DCAT-AP RDF（含本平台目录字段）", "每周"], pills

    english = _page(app, sysadmin, "/en/harvest")
    assert facet(english, "source_type") == {"DCAT-AP RDF, with this portal's catalog fields": "2",
                                             "Generic DCAT RDF Harvester": "1"}
    assert facet(english, "frequency") == {"Manual": "2", "Weekly": "1"}
