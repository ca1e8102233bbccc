"""The harvest source pages in the UI language: ckanext-harvest's facet titles and core's
result sentence for the "harvest" type are English words outside any catalog."""
import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk

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
