"""ckanext-dcat 2.4.4's catalog endpoint, fixed in our layer (issue 13, item 11): these
requests gave a 500 or an HTML 409."""
from urllib.parse import unquote

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import Namespace

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.fixture
def two_pages(full_dataset):
    full_dataset()
    full_dataset(name="lyg-bus", title="公交线路停车 场数据", resource_code="LYG-JT/0002")


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", 1)
def test_query_with_a_space_pages_with_encoded_links(two_pages, app):
    response = app.get("/catalog.ttl", query_string={"q": "停车 场", "page": "1"})
    assert response.status_code == 200
    g = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    links = [str(o) for o in g.objects(None, HYDRA.first)] + [str(o) for o in g.objects(None, HYDRA.last)]
    assert links and all(" " not in link for link in links)
    assert all("q=%E5%81%9C%E8%BD%A6%20%E5%9C%BA" in link for link in links), links
    assert unquote(links[0].split("q=")[1].split("&")[0]) == "停车 场"


@pytest.mark.parametrize("since", ["2099-11-01T00:00:00+08:00", "2020-01-01T00:00:00Z", "2020-01-01"])
def test_modified_since_with_and_without_zone(two_pages, app, since):
    response = app.get("/catalog.ttl", query_string={"modified_since": since})
    assert response.status_code == 200, response.get_data(as_text=True)
    g = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    datasets = set(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              URIRef("http://www.w3.org/ns/dcat#Dataset")))
    assert len(datasets) == (0 if since.startswith("2099") else 2)


def test_modified_since_without_zone_is_beijing_time():
    from ckanext.lyg_opendata.dcat.endpoints import utc_since
    assert utc_since("2026-11-01T08:00:00") == "2026-11-01T00:00:00"
    assert utc_since("2026-11-01T08:00:00Z") == "2026-11-01T08:00:00"
    assert utc_since("2026-11-01") == "2026-10-31T16:00:00"


def test_n_triples(two_pages, app):
    response = app.get("/catalog.nt")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/n-triples")
    g = Graph().parse(data=response.get_data(as_text=True), format="nt")
    assert len(set(g.subjects(None, URIRef("http://www.w3.org/ns/dcat#Dataset")))) == 2


@pytest.mark.parametrize("query", [{"page": "0"}, {"page": "abc"}, {"page": "-1"},
                                   {"modified_since": "yesterday-ish"}])
def test_bad_parameters_are_a_plain_400(app, query):
    response = app.get("/catalog.ttl", query_string=query)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "<html" not in response.get_data(as_text=True).lower()
