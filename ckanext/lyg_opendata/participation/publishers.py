"""Publishers beyond government (社会数据开放主体, Art 27): supervisors mark an organisation as
an enterprise, association or research body opening its own data. Its datasets carry the
社会数据 badge and the search facet ``social_data`` (index field, re-indexed when the mark
changes); they go through the same review before publication as every dataset."""
from __future__ import annotations

import json
import logging
from collections import OrderedDict
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.participation import schema
from ckanext.lyg_opendata.participation.model import SocialPublisher
from ckanext.lyg_opendata.validation import one_of
from ckanext.lyg_opendata.vocab import Term

log = logging.getLogger(__name__)
_ = tk._

TYPES = [
    Term("enterprise", "企业", "Enterprise"),
    Term("association", "社会团体", "Association"),
    Term("research", "科研机构", "Research body"),
]
MARK = Term("social_publisher", "社会数据开放主体", "Non-government data publisher")
BADGE = Term("social_data", "社会数据", "Social data")
FIELD = "social_data"

__all__ = [
    "lyg_opendata_publisher_mark",
    "lyg_opendata_publisher_unmark",
    "lyg_opendata_publisher_list",
]


def type_label(code: Optional[str]) -> str:
    for t in TYPES:
        if t.code == code:
            return t.label()
    return code or ""


def _org(id_or_name) -> model.Group:
    org = model.Group.get(id_or_name) if isinstance(id_or_name, str) and id_or_name else None
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(_("Organization not found"))
    return org


def marker(org_id: Optional[str]) -> Optional[dict[str, Any]]:
    """``{"type", "type_label", "label"}`` when the organisation is marked, else None."""
    row = model.Session.get(SocialPublisher, org_id) if org_id else None
    if row is None:
        return None
    return {"type": row.type, "type_label": type_label(row.type), "label": MARK.label(),
            "badge": BADGE.label()}


def _reindex_org(org_id: str) -> None:
    from ckan.logic import index_update_package
    ids = [r[0] for r in model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org_id, model.Package.state == "active")]
    for pid in ids:
        try:
            index_update_package({"model": model, "ignore_auth": True, "validate": False,
                                  "use_cache": False}, pid)
        except Exception:
            log.exception("could not re-index dataset %s after the publisher mark changed", pid)


def lyg_opendata_publisher_mark(context, data_dict):
    """Mark an organisation 社会数据开放主体 (supervisors); again: changes the type.

    :param id: the organisation (name or id)
    :param type: ``enterprise``, ``association`` or ``research``
    """
    data = schema.validate(data_dict, {"id": [schema.v("not_empty"), schema.is_text,
                                              schema.v("unicode_safe")],
                                       "type": [schema.v("not_empty"), schema.is_text,
                                                schema.v("unicode_safe"), _one_type]})
    org = _org(data["id"])
    tk.check_access("lyg_opendata_publisher_mark", context, {"id": org.id})
    supervisor_org = roles.supervisor_org()
    if supervisor_org is not None and supervisor_org.id == org.id:
        raise tk.ValidationError({"id": [_("The supervising body is not a non-government publisher")]})
    row = model.Session.get(SocialPublisher, org.id)
    if row is None:
        row = SocialPublisher(organization_id=org.id)
        model.Session.add(row)
    row.type = data["type"]
    row.marked_by = shared.actor_id(context.get("user"))
    shared.commit(context)
    _reindex_org(org.id)
    return {"id": org.id, "name": org.name, **marker(org.id)}


def lyg_opendata_publisher_unmark(context, data_dict):
    """Remove the 社会数据开放主体 mark (supervisors).

    :param id: the organisation (name or id)
    """
    data = schema.validate(data_dict, schema.id_schema())
    org = _org(data["id"])
    tk.check_access("lyg_opendata_publisher_unmark", context, {"id": org.id})
    row = model.Session.get(SocialPublisher, org.id)
    if row is None:
        raise tk.ValidationError({"id": [_("This organisation is not marked")]})
    model.Session.delete(row)
    shared.commit(context)
    _reindex_org(org.id)
    return {"id": org.id, "name": org.name}


@tk.side_effect_free
def lyg_opendata_publisher_list(context, data_dict):
    """The organisations marked 社会数据开放主体 (public facts: name, type)."""
    tk.check_access("lyg_opendata_publisher_list", context, data_dict)
    rows = model.Session.query(SocialPublisher, model.Group).join(
        model.Group, model.Group.id == SocialPublisher.organization_id).filter(
        model.Group.state == "active").order_by(model.Group.title)
    return [{"id": g.id, "name": g.name, "title": g.title or g.name, "type": p.type,
             "type_label": type_label(p.type)} for p, g in rows]


_one_type = one_of([t.code for t in TYPES])


# --- search --------------------------------------------------------------------------------

def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict.pop(FIELD, None)
    mark = marker(pkg_dict.get("owner_org"))
    if mark:
        pkg_dict[FIELD] = "true"
    for key in ("data_dict", "validated_data_dict"):
        raw = pkg_dict.get(key)
        if isinstance(raw, str) and raw:
            stored = json.loads(raw)
            if isinstance(stored, dict):
                stored[FIELD] = bool(mark)
                pkg_dict[key] = json.dumps(stored)
    return pkg_dict


def without_field(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict.pop(FIELD, None)
    return pkg_dict


def dataset_facets(facets: "OrderedDict[str, Any]") -> "OrderedDict[str, Any]":
    facets[FIELD] = MARK.label()
    return facets


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    facets = search_results.get("search_facets") or {}
    if FIELD in facets:
        facets[FIELD]["title"] = MARK.label()
        for item in facets[FIELD].get("items", []):
            if item.get("name") == "true":
                item["display_name"] = BADGE.label()
    return search_results
