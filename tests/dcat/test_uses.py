"""Showcase entries (dct:isReferencedBy) and data requests (dct:relation), each also as a
dcat:qualifiedRelation, on the datasets they cite — through the DCAT endpoints; only
published entries and requests neither withdrawn nor hidden; valid DCAT-AP 3."""
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckanext.dcat.profiles.base import DCAT, DCT

from ckanext.lyg_opendata.dcat import mapping as m
from ckanext.lyg_opendata.dcat.profile import uses
from ckanext.lyg_opendata.dcat.validation import validate
from ckanext.lyg_opendata.participation.model import DataRequest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SITE = "http://test.lyg-opendata.invalid"


def act(name, user, **data):
    return tk.get_action(name)({"user": user["name"] if user else "", "model": model}, data)


@pytest.fixture
def world(people, agency, full_dataset, published_dataset):
    parking = full_dataset()
    bus = published_dataset(name="lyg-bus", title="公交线路")
    company = factories.UserWithToken(fullname="港城数据科技联系人")
    entry = act("lyg_opendata_showcase_create", company, title="停车诱导小程序",
                description="根据停车场信息和公交线路推荐停车与换乘方案。", type="app",
                organization_name="港城数据科技有限公司", url="https://example.cn/parking",
                datasets=f"{parking['name']} {bus['name']}")
    act("lyg_opendata_showcase_publish", people["supervisor"], id=entry["id"])
    waiting = act("lyg_opendata_showcase_create", company, title="尚未审核的应用",
                  description="还在等待监管人员审核的应用说明。", type="report",
                  organization_name="港城数据科技有限公司", datasets=bus["name"])

    def request(title, status=None):
        req = act("lyg_opendata_data_request_create", people["registered"], title=title,
                  description="希望开放这项数据，用于出行服务。", contact="13912345678")
        act("lyg_opendata_data_request_route", people["supervisor"], id=req["id"],
            organization=agency["name"])
        act("lyg_opendata_data_request_answer", people["agency_editor"], id=req["id"],
            answer="opened", datasets=parking["name"])
        if status:
            model.Session.get(DataRequest, req["id"]).status = status
            model.repo.commit()
        return req
    opened = request("公共停车场信息")
    hidden = request("被屏蔽的需求", "hidden")
    withdrawn = request("已撤回的需求", "withdrawn")
    return {"parking": parking, "bus": bus, "entry": entry, "waiting": waiting,
            "opened": opened, "hidden": hidden, "withdrawn": withdrawn}


def graph(app, path):
    body = app.get(path, status=200).get_data(as_text=True)
    return Graph().parse(data=body, format="turtle"), body


def dataset_ref(g, name):
    pkg_id = model.Package.get(name).id
    return next(s for s in g.subjects(RDF.type, DCAT.Dataset) if str(s).endswith(pkg_id))


def relations(g, ds, role):
    return {str(o) for rel in g.objects(ds, DCAT.qualifiedRelation)
            if (rel, DCAT.hadRole, role) in g for o in g.objects(rel, DCT.relation)}


def test_dataset_endpoint_lists_published_uses_and_public_requests(app, world):
    entry_page = f"{SITE}/opendata/showcase/{world['entry']['id']}"
    request_page = f"{SITE}/opendata/data-requests/{world['opened']['id']}"
    g, body = graph(app, "/dataset/lyg-parking.ttl")
    ds = dataset_ref(g, "lyg-parking")
    assert {str(o) for o in g.objects(ds, DCT.isReferencedBy)} == {entry_page}
    assert {str(o) for o in g.objects(ds, DCT.relation)} == {request_page}
    assert relations(g, ds, m.LYG.showcaseUse) == {entry_page}
    assert relations(g, ds, m.LYG.dataRequest) == {request_page}
    assert (URIRef(entry_page), DCT.title, Literal("停车诱导小程序", lang="zh")) in g
    assert (URIRef(entry_page), m.LYG.useType, Literal("app")) in g
    assert (URIRef(request_page), DCT.title, Literal("公共停车场信息", lang="zh")) in g
    for private in ("被屏蔽的需求", "已撤回的需求", "尚未审核的应用", "13912345678", "注册用户",
                    "港城数据科技联系人", world["hidden"]["id"], world["waiting"]["id"]):
        assert private not in body
    bus, _ = graph(app, "/dataset/lyg-bus.ttl")
    bus_ref = dataset_ref(bus, "lyg-bus")
    assert {str(o) for o in bus.objects(bus_ref, DCT.isReferencedBy)} == {entry_page}
    assert list(bus.objects(bus_ref, DCT.relation)) == []
    report = validate(g)
    assert report.violations == [], "\n".join(report.violations)


def test_withdrawn_entries_leave_the_catalog(app, people, world):
    g, _ = graph(app, "/catalog.ttl")
    assert len(list(g.objects(dataset_ref(g, "lyg-bus"), DCT.isReferencedBy))) == 1
    act("lyg_opendata_showcase_withdraw", people["supervisor"], id=world["entry"]["id"],
        reason="应用已下线。")
    act("lyg_opendata_data_request_hide", people["supervisor"], id=world["opened"]["id"],
        reason="含有个人信息。")
    g, _ = graph(app, "/catalog.ttl")
    for name in ("lyg-parking", "lyg-bus"):
        ds = dataset_ref(g, name)
        assert list(g.objects(ds, DCT.isReferencedBy)) == []
        assert list(g.objects(ds, DCT.relation)) == []
        assert list(g.objects(ds, DCAT.qualifiedRelation)) == []


def test_catalog_reads_the_links_once_per_request(app, world, monkeypatch):
    calls = []
    load = uses._load
    monkeypatch.setattr(uses, "_load", lambda: calls.append(1) or load())
    g, _ = graph(app, "/catalog.ttl")
    assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 2
    assert len(list(g.subjects(DCT.isReferencedBy, None))) == 2
    assert calls == [1]
