"""The search side of objections: the index field ``under_objection`` ("true" while an
accepted objection is open; the dataset is indexed again at every change of that, see
``workflow.reindex``) and the facet "有异议，核实中" in the dataset search sidebar
(/dataset/?under_objection=true). Each full search result carries ``under_objection``
(true/false, the badge in the dataset list): the index stores it in the result's JSON, so
a search reads no table for it, and a search with ``fl`` gets only the fields it asked for."""
from __future__ import annotations

import json
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
    # the stored JSON a full search result is made of carries the marker too
    for key in ("data_dict", "validated_data_dict"):
        raw = pkg_dict.get(key)
        if isinstance(raw, str) and raw:
            stored = json.loads(raw)
            if isinstance(stored, dict):
                stored[FIELD] = open_ is not None
                pkg_dict[key] = json.dumps(stored)
    return pkg_dict


def without_marker(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``package_show`` answered from the index cache: the marker is a search field, not
    part of the dataset (``package_show`` from the database has no such key either)."""
    pkg_dict.pop(FIELD, None)
    return pkg_dict


def dataset_facets(facets: "OrderedDict[str, Any]") -> "OrderedDict[str, Any]":
    facets[FIELD] = tk._("Objections")
    return facets


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """The facet's label in the UI language."""
    facets = search_results.get("search_facets") or {}
    for item in (facets.get(FIELD) or {}).get("items", []):
        if item.get("name") == "true":
            item["display_name"] = codes.MARKER.label()
    return search_results
