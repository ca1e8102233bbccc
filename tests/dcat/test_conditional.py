"""Conditional data (有条件开放) leaves through DCAT with the application page only: no
download or data URL, whoever asks, whatever the catalog query."""
from importlib.metadata import entry_points

import pytest
from rdflib import Graph, URIRef

from ckanext.dcat.profiles.base import DCAT

from .conftest import API_URL, CSV_URL

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ALL_PROFILES = sorted(e.name for e in entry_points(group="ckan.rdf.profiles"))
# Every installed profile: the access domain's data-layer redaction
# (ckanext/lyg_opendata/access/redaction.py) removes the data addresses before any profile
# reads the dataset; the lyg_opendata profile also drops them itself.
REDACTED_PROFILES = ALL_PROFILES
# describes no dataset alone (it adds scheming fields to euro_dcat_ap*): tested with its base too
ADD_ON_PROFILES = {"euro_dcat_ap_scheming"}
CATALOG_PROFILES = REDACTED_PROFILES + ["euro_dcat_ap_2,euro_dcat_ap_scheming"]


def dataset_endpoint_case(profile, who):
    """Every profile, whoever asks: the dataset endpoint is a public export (the redaction
    chains dcat_dataset_show), so even those who may use the data get no address there."""
    return pytest.param(profile, who)

QUERIES = [{}, {"q": "公交"}, {"q": "*:*"}, {"fq": "open_type:conditional"},
           {"q": "title:公交", "fq": "organization:lyg-jtj-test"}]


@pytest.fixture
def conditional(full_dataset):
    return full_dataset(name="lyg-bus", title="公交线路实时数据", open_type="conditional",
                        open_conditions="仅限经批准的研究用途。")


def headers_for(user):
    return {"Authorization": user["token"]} if user else {}


def test_every_installed_profile_is_known():
    assert set(REDACTED_PROFILES) == set(ALL_PROFILES) and ADD_ON_PROFILES <= set(ALL_PROFILES)
    assert "lyg_opendata" in ALL_PROFILES and "euro_dcat_ap_3" in ALL_PROFILES


def test_conditional_distributions_point_at_the_application_page(conditional, app):
    text = app.get("/catalog.ttl").get_data(as_text=True)
    g = Graph().parse(data=text, format="turtle")
    apply = URIRef("http://test.lyg-opendata.invalid/dataset/lyg-bus/apply")
    distributions = list(g.subjects(DCAT.accessURL, apply))
    assert len(distributions) == 2
    assert (None, DCAT.downloadURL, None) not in g
    service = g.value(distributions[0], DCAT.accessService) or g.value(distributions[1], DCAT.accessService)
    assert (service, DCAT.endpointURL, apply) in g


@pytest.mark.parametrize("profile", CATALOG_PROFILES)
@pytest.mark.parametrize("who", ["anonymous", "sysadmin"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_no_data_url_of_conditional_data_in_the_catalog(conditional, app, sysadmin, profile, who, query):
    user = sysadmin if who == "sysadmin" else None
    for _format in ("ttl", "jsonld", "rdf"):
        response = app.get(f"/catalog.{_format}", query_string={"profiles": profile, **query},
                           headers=headers_for(user), status=200)
        text = response.get_data(as_text=True)
        assert "公交线路实时数据" in text or query.get("q") == "title:公交" \
            or profile in ADD_ON_PROFILES, (profile, query)
        assert CSV_URL not in text and API_URL not in text, (profile, _format, query)


@pytest.mark.parametrize("profile,who", [dataset_endpoint_case(p, w) for p in CATALOG_PROFILES
                                         for w in ("anonymous", "sysadmin")])
def test_no_data_url_of_conditional_data_in_the_dataset_endpoint(conditional, app, sysadmin, profile, who):
    user = sysadmin if who == "sysadmin" else None
    for _format in ("ttl", "jsonld", "rdf"):
        response = app.get(f"/dataset/lyg-bus.{_format}", query_string={"profiles": profile},
                           headers=headers_for(user), status=200)
        text = response.get_data(as_text=True)
        assert CSV_URL not in text and API_URL not in text, (profile, _format)


def test_unconditional_data_keeps_its_urls(full_dataset, app):
    full_dataset()
    text = app.get("/catalog.ttl").get_data(as_text=True)
    assert CSV_URL in text and API_URL in text
