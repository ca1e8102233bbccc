"""What the search index holds for a catalog entry, and the catalog's search facets."""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.catalog import freshness

_ = tk._

# free-text fields kept out of the single-valued "*" string field of the Solr schema
_UNINDEXED = ("data_items", "open_conditions", "non_open_reason")

# facet field -> vocabulary whose labels replace the stored codes
FACET_VOCABULARIES = {
    "open_type": "open_type",
    "update_frequency": "update_frequency",
    "subject_areas": "subject_area",
    "data_grade": "data_grade",
}


def _as_list(value: Any) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return value if isinstance(value, list) else [value]


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict["subject_areas"] = [str(v) for v in _as_list(pkg_dict.get("subject_areas"))]
    items = [i for i in _as_list(pkg_dict.get("data_items")) if isinstance(i, dict)]
    pkg_dict["data_item_codes"] = [i["code"] for i in items if i.get("code")]
    pkg_dict["data_item_names"] = [i["name_zh"] for i in items if i.get("name_zh")]
    for key in _UNINDEXED:
        pkg_dict.pop(key, None)
    validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    due = freshness.due_date(validated or pkg_dict)
    if due is not None:
        pkg_dict["update_due_date"] = due.strftime("%Y-%m-%dT%H:%M:%SZ")
    return pkg_dict


def dataset_facets(facets: "OrderedDict[str, Any]") -> "OrderedDict[str, Any]":
    ordered = OrderedDict()
    ordered["organization"] = _("Data-opening bodies")
    ordered["open_type"] = _("Open type")
    ordered["update_frequency"] = _("Update frequency")
    ordered["subject_areas"] = _("Subject areas")
    ordered["res_format"] = _("Formats")
    ordered["data_grade"] = _("Data grade")
    ordered["tags"] = facets.get("tags", _("Tags"))
    return ordered


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show the labels of coded facet values in the UI language."""
    facets = search_results.get("search_facets") or {}
    for field, vocabulary in FACET_VOCABULARIES.items():
        for item in (facets.get(field) or {}).get("items", []):
            item["display_name"] = vocab.label(vocabulary, item["name"])
    return search_results
