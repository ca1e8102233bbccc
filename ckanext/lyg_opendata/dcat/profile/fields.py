"""The dataset-dict keys this profile reads and writes beside the scheming schema, and the
small readers of dataset dicts shared by its export and its parsing."""
from __future__ import annotations

import json
from typing import Any, Optional

from rdflib import BNode

LANG = "zh"
# the data item of a harvested copy whose source states none (the reviewer replaces it)
PLACEHOLDER_ITEM_CODE = "source_unspecified"
# a harvested copy: the source's IRI of the dataset (of a distribution: a resource field)
SOURCE_URI = "source_uri"
# the languages of a harvested copy's title and description: {"title": {"en": …}, …,
# "lang": {"title": "en", "notes": "en"}}
TRANSLATIONS = "translations"
# what the reviewer must look at in a harvested copy, e.g. "no_access_rights"
HARVEST_FLAGS = "harvest_flags"
NO_ACCESS_RIGHTS = "no_access_rights"


def extra(dataset_dict: dict[str, Any], key: str) -> Any:
    """A field of the dataset dict, or else of its extras."""
    if dataset_dict.get(key):
        return dataset_dict[key]
    for item in dataset_dict.get("extras") or []:
        if item.get("key") == key:
            return item.get("value")
    return None


def is_conditional(dataset_dict: dict[str, Any]) -> bool:
    return dataset_dict.get("open_type") == "conditional"


def as_dict(value: Any) -> dict:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [v.strip() for v in value.split(",") if v.strip()]
    return value if isinstance(value, list) else []


def xsd_to_type(datatype) -> str:
    reverse = {"string": "string", "integer": "integer", "decimal": "decimal", "date": "date",
               "dateTime": "datetime", "boolean": "boolean", "base64Binary": "binary"}
    name = str(datatype or "").rsplit("#", 1)[-1]
    return reverse.get(name, "string")


def bnode_or_none(value: Optional[str]):
    return BNode(value) if value else None
