"""Harvesting catalogs no one here wrote (``data/third-party/``: the SEMICeu DCAT-AP 3
examples and ckanext-dcat's example catalogs) served over loopback through the real
gather, fetch and import stages into the real database and index; per file, the fields
that went wrong before: language, formats, frequency, licence, names, identity."""
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT, PROV

from ckan.tests import factories

from ckanext.dcat.profiles.base import DCAT

from . import third_party as tp
from .conftest import HARVEST_PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]


@pytest.fixture
def org(sysadmin):
    return factories.Organization(name="ext-agency", title="外部机构",
                                  users=[{"name": sysadmin["name"], "capacity": "admin"}])


def harvest_file(rdf_server, org, sysadmin, *paths, name="ext-source", **config):
    """Serves the vendored ``paths`` (the first at /catalog…) and harvests them."""
    base, documents = rdf_server
    for path in paths:
        tp.serve(documents, "/" + path.rsplit("/", 1)[-1], tp.read(path))
    src = tp.source(base + "/" + paths[0].rsplit("/", 1)[-1], org, sysadmin, name, **config)
    job_id, results = tp.run(src, sysadmin)
    return job_id, {guid: tp.show(r["dataset"]["id"]) for guid, r in results.items()
                    if r.get("dataset")}


def test_multilingual_turtle_keeps_every_language(rdf_server, org, sysadmin, app):
    job_id, copies = harvest_file(rdf_server, org, sysadmin, "ckanext-dcat/dataset_multilingual.ttl")
    assert tp.object_errors(job_id, sysadmin) == []
    iri = "https://example.org/dataset/0112cf32-bce0-4071-9504-923375f9f2ad"
    copy = copies[iri]
    # no Chinese: the configured fallback (en), not the first literal found (ca)
    assert copy["title"] == "Test DCAT dataset" and copy["notes"] == "Some description"
    translations = json.loads(tp.extra(copy, "translations"))
    assert translations["title"] == {"ca": "Conjunt de dades de prova DCAT", "en": "Test DCAT dataset",
                                     "es": "Conjunto de datos de prueba DCAT"}
    assert translations["lang"] == {"title": "en", "notes": "en"}
    assert copy["name"] == "test-dcat-dataset"        # readable: not the UUID
    assert [r["format"] for r in copy["resources"]] == ["CSV"]
    assert copy["resources"][0]["mimetype"] == "text/csv"
    assert tp.extra(copy, "source_uri") == iri
    assert copy["review_status"] == "pending"
    # the export: each literal with its true language, under this portal's URI
    g = Graph().parse(data=app.get(f"/dataset/{copy['name']}.ttl",
                                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True),
                      format="turtle")
    ref = next(g.subjects(PROV.wasDerivedFrom, URIRef(iri)))
    assert str(ref) != iri and str(ref).startswith("http://test.lyg-opendata.invalid/")
    assert set(g.objects(ref, DCT.title)) == {
        Literal("Test DCAT dataset", lang="en"), Literal("Conjunt de dades de prova DCAT", lang="ca"),
        Literal("Conjunto de datos de prueba DCAT", lang="es")}
    assert (ref, DCT.source, URIRef(iri)) in g
    assert not list(g.triples((URIRef(iri), None, None)))


def test_gov_de_formats_licence_and_rights(rdf_server, org, sysadmin, app):
    job_id, copies = harvest_file(rdf_server, org, sysadmin, "ckanext-dcat/dataset_gov_de.rdf")
    assert tp.object_errors(job_id, sysadmin) == []
    copy = copies["https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63"]
    assert copy["title"] == "Liefer- und Abholservices (Gastronomie)"
    formats = sorted(r["format"] for r in copy["resources"] if r["format"])
    assert formats == ["CSV", "GEOJSON", "GML", "KML", "WFS", "WMS", "XLSX"]
    assert len(copy["resources"]) == 9     # two distributions state no format
    mimetypes = {r["format"]: r.get("mimetype") for r in copy["resources"]}
    assert mimetypes["CSV"] == "text/csv" and mimetypes["GEOJSON"] == "application/geo+json"
    assert copy["license_id"] == "cc-zero"
    assert copy["name"] == "liefer-und-abholservices-gastronomie"


def test_gov_de_conditional_copy_exports_one_rights_per_distribution(rdf_server, org, sysadmin, app):
    """Item 10: the gov.de file, its dataset declared restricted: the harvested conditional
    copy states one dct:rights per distribution (its open conditions), not two."""
    base, documents = rdf_server
    body = tp.read("ckanext-dcat/dataset_gov_de.rdf").replace(
        b"<dct:title>Liefer- und Abholservices (Gastronomie)</dct:title>",
        b"<dct:title>Liefer- und Abholservices (Gastronomie)</dct:title><dct:accessRights "
        b"rdf:resource=\"http://publications.europa.eu/resource/authority/access-right/RESTRICTED\"/>", 1)
    tp.serve(documents, "/gov_de.rdf", body)
    _, results = tp.run(tp.source(base + "/gov_de.rdf", org, sysadmin, "gov-de"), sysadmin)
    (copy,) = [tp.show(r["dataset"]["id"]) for r in results.values()]
    assert copy["open_type"] == "conditional"
    g = Graph().parse(data=app.get(f"/dataset/{copy['name']}.ttl",
                                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True),
                      format="turtle")
    distributions = list(g.objects(None, DCAT.distribution))
    assert len(distributions) == 9
    assert [len(list(g.objects(d, DCT.rights))) for d in distributions] == [1] * 9


def test_sweden_daily_frequency_and_licence(rdf_server, org, sysadmin):
    job_id, copies = harvest_file(rdf_server, org, sysadmin, "ckanext-dcat/dataset_sweden.rdf")
    assert tp.object_errors(job_id, sysadmin) == []
    copy = copies["http://nobelprize.org/datasets/dcat#ds1"]
    assert copy["title"] == "Linked Nobel prizes"
    assert copy["update_frequency"] == "daily"          # purl.org/cld/freq/daily
    # the distributions' licence, creativecommons.org/licenses/by-nc/3.0 (the catalog's
    # CC0 is the catalog's own)
    assert copy["license_id"] == "cc-nc"


def test_gob_es_format_from_imt(rdf_server, org, sysadmin):
    job_id, copies = harvest_file(rdf_server, org, sysadmin, "ckanext-dcat/dataset_gob_es.ttl")
    assert tp.object_errors(job_id, sysadmin) == []
    (copy,) = copies.values()
    assert copy["title"].startswith("Estudio de Satisfacción")
    assert [(r["format"], r["mimetype"]) for r in copy["resources"]] == [
        ("XLS", "application/vnd.ms-excel")]
    assert json.loads(tp.extra(copy, "translations"))["lang"]["title"] == "es"


def test_paged_catalog_two_pages(rdf_server, org, sysadmin):
    base, documents = rdf_server
    for n in (1, 2):
        body = tp.read(f"ckanext-dcat/paging-page-{n}.rdf").replace(
            b"http://some.dcat.file.pagination.rdf/page/", (base + "/page/").encode())
        tp.serve(documents, f"/page/{n}", body, "application/rdf+xml")
    src = tp.source(base + "/page/1", org, sysadmin, "paged")
    job_id, results = tp.run(src, sysadmin)
    assert sorted(results) == [f"https://data.some.org/catalog/datasets/{n}" for n in (1, 2, 3, 4)]
    assert sorted(tp.show(r["dataset"]["id"])["name"] for r in results.values()) == [
        "example-dataset-1", "example-dataset-2", "example-dataset-3", "example-dataset-4"]


def test_catalog_with_datasets_list_rdf_xml(rdf_server, org, sysadmin):
    job_id, copies = harvest_file(rdf_server, org, sysadmin, "ckanext-dcat/catalog_datasets_list.rdf")
    assert tp.object_errors(job_id, sysadmin) == []
    first = copies["https://data.some.org/catalog/datasets/1"]
    assert first["title"] == "Example dataset 1"
    assert sorted(r["format"] for r in first["resources"] if r.get("format")) == ["CSV", "PDF"]
    assert first["name"] == "example-dataset-1"


def test_json_ld_with_at_graph(rdf_server, org, sysadmin):
    job_id, copies = harvest_file(rdf_server, org, sysadmin, "ckanext-dcat/catalog_with_at_graph.jsonld")
    assert tp.object_errors(job_id, sysadmin) == []
    assert len(copies) == 1


@pytest.mark.parametrize("path", ["semiceu-dcat-ap/example-bee-population-2022-2023.ttl",
                                  "semiceu-dcat-ap/example-bee-population-2022-2023.jsonld"],
                         ids=["turtle", "json-ld-remote-context"])
def test_dcat_ap_3_examples(rdf_server, org, sysadmin, path):
    """The JSON-LD form names its @context by a remote URL: the shipped copy is used, the
    network is never asked (the loopback server does not serve it either)."""
    job_id, copies = harvest_file(rdf_server, org, sysadmin, path)
    assert tp.gather_errors(job_id, sysadmin) == []
    assert {c["title"] for c in copies.values()} == {"Bee population 2022", "Bee population 2023"}
    assert sorted(copies) == ["https://data.gov.gr/id/dataset/BeePopulation2022",
                              "https://data.gov.gr/id/dataset/BeePopulation2023"]
    assert sorted(c["name"] for c in copies.values()) == ["bee-population-2022", "bee-population-2023"]
    for copy in copies.values():
        # no access rights stated: waits for review with a flag, not "unconditional, public"
        assert tp.extra(copy, "harvest_flags") == "no_access_rights"
        assert copy["private"] is True


def test_dataset_without_title_does_not_stop_the_others(rdf_server, org, sysadmin):
    """Item 5: the SEMICeu frequency example has no title; served with the bee population
    file, the two valid datasets are imported and the third has its own error."""
    base, documents = rdf_server
    body = tp.read("semiceu-dcat-ap/example-bee-population-2022-2023.ttl") + b"\n" + \
        tp.read("semiceu-dcat-ap/example-bee-population-dataset-frequency.ttl")
    tp.serve(documents, "/catalog.ttl", body)
    job_id, results = tp.run(tp.source(base + "/catalog.ttl", org, sysadmin, "bees"), sysadmin)
    assert sorted(r["dataset"]["title"] for r in results.values() if r.get("dataset")) == [
        "Bee population 2022", "Bee population 2023"]
    errors = tp.object_errors(job_id, sysadmin)
    assert errors == ["Dataset https://data.gov.gr/id/dataset/BeePopulation has no title "
                      "(dct:title): not imported; the other datasets of the source are."]


def test_chinese_over_english_and_each_exported_with_its_own_tag(rdf_server, org, sysadmin, app):
    """Item 3: the portal locale zh_Hans_CN matches ``@zh-CN`` (not the first literal
    found, English); the export tags each text with the language it came with, never the
    English one ``@zh``."""
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "<https://data.js.example.cn/dataset/bus-stops> a dcat:Dataset ;\n"
        '  dct:title "Bus stops"@en, "公交站点"@zh-CN ;\n'
        '  dct:description "Every bus stop."@en, "全部公交站点。"@zh-CN ;\n'
        "  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .\n"
    ).encode())
    job_id, results = tp.run(tp.source(base + "/catalog.ttl", org, sysadmin, "zh-en"), sysadmin)
    (copy,) = [tp.show(r["dataset"]["id"]) for r in results.values()]
    assert (copy["title"], copy["notes"]) == ("公交站点", "全部公交站点。")
    translations = json.loads(tp.extra(copy, "translations"))
    assert translations["title"] == {"en": "Bus stops", "zh-CN": "公交站点"}
    assert translations["lang"] == {"title": "zh-CN", "notes": "zh-CN"}
    g = Graph().parse(data=app.get(f"/dataset/{copy['name']}.ttl",
                                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True),
                      format="turtle")
    ref = next(g.subjects(PROV.wasDerivedFrom, URIRef("https://data.js.example.cn/dataset/bus-stops")))
    assert {(str(t), t.language.lower()) for t in g.objects(ref, DCT.title)} == {
        ("公交站点", "zh-cn"), ("Bus stops", "en")}
    assert {(str(t), t.language.lower()) for t in g.objects(ref, DCT.description)} == {
        ("全部公交站点。", "zh-cn"), ("Every bus stop.", "en")}


def test_chinese_titles_with_digits_get_readable_unique_names(rdf_server, org, sysadmin):
    """Item 9: titles such as 130 or 2025年… gave names like ``1_`` or ``130``; names come
    from the pinyin of the title (or the source's short identifier), unique and kept on
    the next sync."""
    base, documents = rdf_server
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> ."]
    for n, title in enumerate(["2025年公交线路", "2025年公交线路", "130", "1号线站点"], start=1):
        lines.append(f'<https://data.js.example.cn/dataset/{n}> a dcat:Dataset ; dct:title "{title}"@zh ; '
                     f"dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .")
    tp.serve(documents, "/catalog.ttl", "\n".join(lines).encode())
    src = tp.source(base + "/catalog.ttl", org, sysadmin, "digits")
    _, results = tp.run(src, sysadmin)
    names = {guid.rsplit("/", 1)[1]: tp.show(r["dataset"]["id"])["name"] for guid, r in results.items()}
    # "130" and the IRI's "3" are not names: the source's name, which the harvest source
    # itself holds, hence -2
    assert names == {"1": "2025-nian-gong-jiao-xian-lu", "2": "2025-nian-gong-jiao-xian-lu-2",
                     "3": "digits-2", "4": "1-hao-xian-zhan-dian"}
    _, again = tp.run(src, sysadmin)
    assert {guid.rsplit("/", 1)[1]: tp.show(r["dataset"]["id"])["name"]
            for guid, r in again.items()} == names
