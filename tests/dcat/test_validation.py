"""DCAT-AP 3 validation (pyshacl, the official 3.0.1 shapes with the vocabulary shapes) of
the catalog endpoints, paged, and of every dataset endpoint."""
import pytest
from rdflib import Graph

from ckanext.lyg_opendata.dcat.validation import validate

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def graph_of(app, path, _format, **params):
    response = app.get(path, query_string=params, status=200)
    return Graph().parse(data=response.get_data(as_text=True), format=FORMATS[_format])


def assert_valid(g):
    report = validate(g)
    assert report.violations == [], "\n".join(report.violations)


@pytest.fixture
def catalog(full_dataset, published_dataset):
    """A small catalog of each kind of entry: full, conditional with an API, minimal."""
    return [
        full_dataset(),
        full_dataset(name="lyg-bus", title="公交线路", resource_code="LYG-JT/0002",
                     open_type="conditional", open_conditions="仅限经批准的研究用途。",
                     update_frequency="realtime", subject_areas=["economy", "other"]),
        published_dataset(name="lyg-minimal", title="最简数据集"),
    ]


@pytest.mark.parametrize("_format", sorted(FORMATS))
def test_catalog_endpoint_validates_against_dcat_ap_3(catalog, app, _format):
    assert_valid(graph_of(app, f"/catalog.{_format}", _format))


def test_catalog_pages_validate(catalog, app, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.dcat.datasets_per_page", 2)
    for page in (1, 2):
        g = graph_of(app, "/catalog.ttl", "ttl", page=page)
        assert_valid(g)


@pytest.mark.parametrize("_format", sorted(FORMATS))
def test_every_dataset_endpoint_validates(catalog, app, _format):
    for ds in catalog:
        assert_valid(graph_of(app, f"/dataset/{ds['name']}.{_format}", _format))


def test_demo_catalog_validates(app):
    from ckanext.lyg_opendata.demo import loader
    counts = loader.load(progress=lambda _msg: None)
    assert counts["datasets"] > 0
    for _format in sorted(FORMATS):
        g = graph_of(app, f"/catalog.{_format}", _format)
        assert len(set(g.subjects(predicate=None, object=None))) > 0
        assert_valid(g)
