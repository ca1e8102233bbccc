"""The search side of objections: the index field ``under_objection`` ("true" while an
accepted objection is open; the dataset is indexed again at every change of that) and the
facet "有异议，核实中" in the dataset search sidebar (/dataset/?under_objection=true); each search
result carries ``under_objection`` (the badge in the dataset list)."""
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
    """The facet's label in the UI language, and ``under_objection`` (true/false) on each
    result (the stored JSON of a result is the dataset as validated, without index fields):
    the badge of the dataset list. Read from the database, in one query."""
    facets = search_results.get("search_facets") or {}
    for item in (facets.get(FIELD) or {}).get("items", []):
        if item.get("name") == "true":
            item["display_name"] = codes.MARKER.label()
    mark_results(search_results.get("results") or [])
    return search_results


def mark_results(results: list[Any]) -> None:
    from ckanext.lyg_opendata.objections import workflow
    from ckanext.lyg_opendata.objections.model import Objection
    ids = [r["id"] for r in results if isinstance(r, dict) and r.get("id")]
    if not ids:
        return
    marked = {row[0] for row in model.Session.query(Objection.package_id).filter(
        Objection.package_id.in_(ids), Objection.status.in_(workflow.MARKER_STATES)).distinct()}
    for result in results:
        if isinstance(result, dict) and result.get("id"):
            result[FIELD] = result["id"] in marked
