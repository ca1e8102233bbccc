"""The search side of objections: the index field ``under_objection`` ("true" while an
accepted objection is open; the dataset is indexed again at every change of that) and the
facet "有异议，核实中" in the dataset search sidebar (/dataset/?under_objection=true)."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections import codes

FIELD = "under_objection"


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    from ckanext.lyg_opendata.objections import workflow
    from ckanext.lyg_opendata.objections.model import Objection
    pkg_dict.pop(FIELD, None)
    open_ = model.Session.query(Objection.id).filter(
        Objection.package_id == pkg_dict.get("id"),
        Objection.status.in_(workflow.MARKER_STATES)).first()
    if open_ is not None:
        pkg_dict[FIELD] = "true"
    return pkg_dict


def dataset_facets(facets: "OrderedDict[str, Any]") -> "OrderedDict[str, Any]":
    facets[FIELD] = tk._("Objections")
    return facets


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    facets = search_results.get("search_facets") or {}
    for item in (facets.get(FIELD) or {}).get("items", []):
        if item.get("name") == "true":
            item["display_name"] = codes.MARKER.label()
    return search_results
