"""The lyg_opendata DCAT profile: every catalog field goes out with the EU vocabularies or
this project's namespace, and comes back through the parser."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.dcat.profiles.base import DCAT, DCT, FOAF

from ckanext.lyg_opendata.dcat import mapping as m

from .conftest import API_URL, CSV_URL, FULL_ITEMS

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CATALOG_FIELDS = ("open_type", "update_frequency", "data_items", "subject_areas", "data_grade",
                  "open_conditions", "data_updated", "temporal_start", "temporal_end",
                  "spatial_coverage", "resource_code", "maintainer", "maintainer_email",
                  "title", "notes", "url", "license_id")


def catalog_graph(app, path="/catalog.ttl", **params):
    response = app.get(path, query_string=params, status=200)
    g = Graph()
    g.parse(data=response.get_data(as_text=True), format="turtle")
    return g


def dataset_ref(g, ds):
    return URIRef(f"http://test.lyg-opendata.invalid/dataset/{ds['id']}")


def test_profile_is_the_configured_default(full_dataset, app):
    ds = full_dataset()
    g = catalog_graph(app)
    assert (dataset_ref(g, ds), DCT.accessRights, m.ACCESS_RIGHT.PUBLIC) in g


@pytest.mark.parametrize("code, iri", [
    ("realtime", "UPDATE_CONT"), ("daily", "DAILY"), ("weekly", "WEEKLY"), ("monthly", "MONTHLY"),
    ("quarterly", "QUARTERLY"), ("semiannual", "ANNUAL_2"), ("annual", "ANNUAL"),
    ("irregular", "IRREG"), ("never", "NEVER")])
def test_update_frequency_maps_to_the_eu_frequency_vocabulary(code, iri):
    assert m.FREQUENCY_IRI[code] == m.FREQUENCY[iri]
    assert m.FREQUENCY_CODE[str(m.FREQUENCY[iri])] == code


def test_every_eu_code_used_is_in_the_vendored_vocabulary():
    from ckanext.lyg_opendata.dcat.validation import vocabulary_graph
    g = vocabulary_graph()
    used = {("access-right", iri) for iri in m.OPEN_TYPE_ACCESS_RIGHT.values()}
    used |= {("frequency", URIRef(iri)) for iri in m.FREQUENCY_CODE}
    used |= {("data-theme", m.DATA_THEME[t]) for ts in m.SUBJECT_AREA_THEMES.values() for t in ts}
    used |= {("data-theme", m.DATA_THEME[t]) for t in m.THEME_SUBJECT_AREA}
    used |= {("file-type", m.FILE_TYPE[ft]) for ft, _ in m.FORMATS.values()}
    used.add(("language", m.LANGUAGE.ZHO))
    for table, iri in used:
        assert (iri, SKOS.inScheme, URIRef(m.EU + table)) in g, iri


def test_dataset_goes_out_with_every_catalog_field(full_dataset, app):
    ds = full_dataset()
    g = catalog_graph(app)
    ref = dataset_ref(g, ds)
    assert (ref, DCT.title, Literal("连云港市公共停车场信息", lang="zh")) in g
    assert (ref, DCT.description, Literal("全市公共停车场的位置、泊位和收费标准。", lang="zh")) in g
    assert (ref, DCT.language, m.LANGUAGE.ZHO) in g
    assert (ref, DCT.accrualPeriodicity, m.FREQUENCY.ANNUAL_2) in g
    assert (ref, DCAT.theme, m.DATA_THEME.TRAN) in g
    assert (ref, DCAT.theme, m.SUBJECT_AREA.transport) in g
    assert (m.SUBJECT_AREA.transport, SKOS.prefLabel, Literal("道路交通", lang="zh")) in g
    assert (ref, DCAT.theme, m.SUBJECT_AREA.daily_life) in g
    assert (ref, m.LYG.dataGrade, Literal("grade2")) in g
    publisher = g.value(ref, DCT.publisher)
    assert (publisher, FOAF.name, Literal("市交通运输局", lang="zh")) in g
    schema = g.value(ref, DCT.conformsTo)
    assert (schema, RDF.type, m.CSVW.Schema) in g
    distributions = {g.value(d, DCT.title).value: d for d in g.objects(ref, DCAT.distribution)}
    csv = distributions["2025年停车场名录"]
    assert (csv, DCT["format"], m.FILE_TYPE.CSV) in g
    assert (csv, DCAT.mediaType, URIRef(m.IANA + "text/csv")) in g
    assert (csv, DCAT.accessURL, URIRef(CSV_URL)) in g
    api = distributions["停车场实时泊位接口"]
    service = g.value(api, DCAT.accessService)
    assert (service, RDF.type, DCAT.DataService) in g
    assert (service, DCAT.endpointURL, URIRef(API_URL)) in g
    assert (api, DCT["format"], None) not in g


def test_catalog_states_language_publisher_and_chinese_title(full_dataset, app):
    full_dataset()
    g = catalog_graph(app)
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    assert (catalog, DCT.language, m.LANGUAGE.ZHO) in g
    assert (catalog, DCT.title, Literal("连云港市公共数据开放平台", lang="zh")) in g
    assert g.value(catalog, DCT.publisher) is not None


def test_parser_reads_every_catalog_field_back(full_dataset, app):
    ds = full_dataset(open_type="conditional", open_conditions="仅限交通研究机构申请使用。")
    parser = RDFParser()
    parser.parse(app.get("/catalog.ttl").get_data(as_text=True), _format="turtle")
    parsed = list(parser.datasets())
    assert len(parsed) == 1
    got = parsed[0]
    for field in CATALOG_FIELDS:
        assert got.get(field) == ds.get(field), field
    assert got["data_items"] == FULL_ITEMS
    assert "issued" not in got and "review_status" not in got
    formats = sorted(r["format"] for r in got["resources"])
    assert formats == ["API", "CSV"]


def test_non_open_mapping_parses_back(create_dataset, sysadmin):
    ds = create_dataset(**{"name": "lyg-secret", "open_type": "non_open", "non_open_basis": "privacy_trade_secret",
                           "non_open_reason": "含个人隐私"})
    ttl = RDFSerializer().serialize_dataset(ds, _format="turtle")
    g = Graph().parse(data=ttl, format="turtle")
    assert (None, DCT.accessRights, m.ACCESS_RIGHT.NON_PUBLIC) in g
    parser = RDFParser()
    parser.parse(ttl, _format="turtle")
    got = next(parser.datasets())
    assert (got["open_type"], got["non_open_basis"], got["non_open_reason"]) == (
        "non_open", "privacy_trade_secret", "含个人隐私")


def test_foreign_catalog_gets_sensible_defaults():
    ttl = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <http://other.invalid/dataset/1> a dcat:Dataset ; dct:title "Bus stops"@en ;
      dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/CONT> ;
      dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;
      dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ;
      dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://other.invalid/apply> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
    """
    parser = RDFParser()
    parser.parse(ttl, _format="turtle")
    got = next(parser.datasets())
    assert got["update_frequency"] == "realtime"
    assert got["subject_areas"] == ["transport"]
    assert got["open_type"] == "conditional" and got["open_conditions"]
    assert got["notes"] == "Bus stops"
    assert [i["code"] for i in got["data_items"]] == ["source_unspecified"]
    assert got["resources"][0]["format"] == "CSV"
    assert got["resources"][0]["url"] == "http://other.invalid/apply"
