"""What refers to a dataset, in DCAT: the published showcase entries (数据应用, Art 29) that cite
it and the public data requests (数据需求, Art 18) it answers.

DCAT-AP 3 properties of the dataset: ``dct:isReferencedBy`` (a resource that cites or points to
the dataset) for a showcase entry, ``dct:relation`` for a data request, and for each a
``dcat:qualifiedRelation`` (a ``dcat:Relationship`` whose ``dcat:hadRole``, in this project's
namespace, says which: ``lyg:showcaseUse`` or ``lyg:dataRequest``). The entry's and the
request's pages are ``foaf:Document`` with their title (and the entry's type code,
``lyg:useType``: app, report, visualisation, research, service).

Only what the public sees: published entries, requests neither withdrawn nor hidden; never who
submitted or filed them. The links of the whole site are read once per HTTP request (two
queries, whatever the number of datasets on a catalog page).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import flask
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import FOAF, RDF

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles.base import DCAT, DCT

from ckanext.lyg_opendata.dcat import mapping as m
from ckanext.lyg_opendata.dcat.profile.fields import LANG

ROLE_SHOWCASE = m.LYG.showcaseUse
ROLE_REQUEST = m.LYG.dataRequest
HIDDEN_REQUESTS = ("withdrawn", "hidden")


def _load() -> dict[str, dict[str, list[tuple]]]:
    from ckanext.lyg_opendata.participation.model import DataRequest, DataRequestDataset
    from ckanext.lyg_opendata.showcase.model import Showcase, ShowcaseDataset

    out: dict[str, dict[str, list[tuple]]] = defaultdict(lambda: {"showcase": [], "request": []})
    entries = model.Session.query(ShowcaseDataset.package_id, Showcase.id, Showcase.title,
                                  Showcase.type).join(
        Showcase, Showcase.id == ShowcaseDataset.showcase_id).filter(
        Showcase.status == "published").order_by(Showcase.published_at, Showcase.id)
    for package_id, *entry in entries:
        out[package_id]["showcase"].append(tuple(entry))
    requests = model.Session.query(DataRequestDataset.package_id, DataRequest.id,
                                   DataRequest.title).join(
        DataRequest, DataRequest.id == DataRequestDataset.request_id).filter(
        DataRequest.status.notin_(HIDDEN_REQUESTS)).order_by(DataRequest.created, DataRequest.id)
    for package_id, *req in requests:
        out[package_id]["request"].append(tuple(req))
    return out


def links_of(package_id: str) -> dict[str, list[tuple]]:
    """``{"showcase": [(id, title, type)…], "request": [(id, title)…]}`` of a dataset."""
    if flask.has_request_context():
        cached = getattr(flask.g, "_lyg_dcat_uses", None)
        if cached is None:
            cached = flask.g._lyg_dcat_uses = _load()
        links = cached
    else:
        links = _load()
    return links.get(package_id) or {"showcase": [], "request": []}


class Uses:
    """Showcase entries and data requests of a dataset (a mixin of ``LygOpendataProfile``)."""

    def _add_uses(self, dataset_dict: dict[str, Any], dataset_ref) -> None:
        links = links_of(dataset_dict.get("id") or "")
        for entry_id, title, kind in links["showcase"]:
            page = self._use_page("lyg_opendata_showcase.read", entry_id, title)
            self.g.add((dataset_ref, DCT.isReferencedBy, page))
            self.g.add((page, m.LYG.useType, Literal(kind)))
            self._add_qualified(dataset_ref, page, ROLE_SHOWCASE)
        for request_id, title in links["request"]:
            page = self._use_page("lyg_opendata_participation.request_read", request_id, title)
            self.g.add((dataset_ref, DCT.relation, page))
            self._add_qualified(dataset_ref, page, ROLE_REQUEST)

    def _use_page(self, endpoint: str, row_id: str, title: str) -> URIRef:
        page = URIRef(tk.url_for(endpoint, id=row_id, _external=True))
        self.g.add((page, RDF.type, FOAF.Document))
        self.g.add((page, DCT.title, Literal(title, lang=LANG)))
        return page

    def _add_qualified(self, dataset_ref, page: URIRef, role: URIRef) -> None:
        relationship = BNode()
        self.g.add((dataset_ref, DCAT.qualifiedRelation, relationship))
        self.g.add((relationship, RDF.type, DCAT.Relationship))
        self.g.add((relationship, DCT.relation, page))
        self.g.add((relationship, DCAT.hadRole, role))
        self.g.add((role, RDF.type, DCAT.Role))
