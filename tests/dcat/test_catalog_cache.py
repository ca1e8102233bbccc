"""The DCAT catalog pages kept in Redis per state of the search index (issue 19,
``dcat/catalog_cache.py``): a repeated page is not built again, and every change of a
dataset — new, edited, withdrawn, made conditional, deleted — shows on the next request;
restricted data never comes out of the cache."""
import pytest
from rdflib import Graph, URIRef

import ckan.plugins.toolkit as tk


from .conftest import API_URL, CSV_URL

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def page(app, path="/catalog.ttl"):
    response = app.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def titles(text):
    g = Graph().parse(data=text, format="turtle")
    return {str(o) for s in g.subjects(RDF_TYPE, DCAT_DATASET)
            for o in g.objects(s, URIRef("http://purl.org/dc/terms/title"))}


@pytest.fixture
def builds(monkeypatch):
    """How many catalog pages ckanext-dcat's serialiser built (the real one runs)."""
    from ckanext.dcat.processors import RDFSerializer
    calls = []
    real = RDFSerializer.serialize_catalog

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(RDFSerializer, "serialize_catalog", counted)
    return calls


def test_a_repeated_page_comes_from_the_cache(full_dataset, app, builds):
    full_dataset()
    first = page(app)
    assert len(builds) == 1
    again = page(app)
    assert again == first and "连云港市公共停车场信息" in titles(again)
    assert len(builds) == 1
    # another page, query or format is another entry
    page(app, "/catalog.ttl?q=停车")
    page(app, "/catalog.nt")
    assert len(builds) == 3
    page(app, "/catalog.nt")
    assert len(builds) == 3


def test_every_change_of_a_dataset_shows_on_the_next_request(full_dataset, app, sysadmin,
                                                              reviewer):
    admin = {"user": sysadmin["name"]}
    full_dataset()
    assert titles(page(app)) == {"连云港市公共停车场信息"}
    # a new dataset
    other = full_dataset(name="lyg-bus", title="公交线路数据", resource_code="LYG-JT/0002")
    assert titles(page(app)) == {"连云港市公共停车场信息", "公交线路数据"}
    # edited
    tk.get_action("package_patch")(admin, {"id": "lyg-bus", "title": "公交线路数据（新）"})
    assert titles(page(app)) == {"连云港市公共停车场信息", "公交线路数据（新）"}
    # withdrawn: private at once
    tk.get_action("lyg_opendata_review_withdraw")(
        {"user": reviewer["name"]}, {"id": "lyg-bus", "reason": "数据需要核实"})
    assert titles(page(app)) == {"连云港市公共停车场信息"}
    # deleted
    tk.get_action("package_delete")(admin, {"id": "lyg-parking"})
    assert titles(page(app)) == set()
    assert other["id"]


def test_a_dataset_made_conditional_leaves_no_address_in_a_cached_page(full_dataset, app,
                                                                        sysadmin):
    full_dataset()
    before = page(app)
    assert CSV_URL in before and API_URL in before and page(app) == before
    # less open takes effect at once (Art 6): the cached page with the addresses is gone
    tk.get_action("package_patch")({"user": sysadmin["name"]}, {
        "id": "lyg-parking", "open_type": "conditional", "open_conditions": "仅限研究用途。"})
    after = page(app)
    assert CSV_URL not in after and API_URL not in after
    assert "/dataset/lyg-parking/apply" in after


def test_a_configuration_change_is_another_page(full_dataset, app, monkeypatch):
    full_dataset()
    first = page(app)
    monkeypatch.setitem(tk.config, "ckan.site_title", "另一个门户")
    assert page(app) != first


@pytest.mark.ckan_config("ckanext.lyg_opendata.dcat.catalog_cache_seconds", "0")
def test_zero_seconds_turns_the_cache_off(full_dataset, app, builds):
    full_dataset()
    assert page(app) == page(app)
    assert len(builds) == 2
