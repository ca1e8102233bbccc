"""Template helpers of the whole plugin (registered with ``tk.blanket.helpers``)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from markupsafe import Markup, escape

from ckanext.lyg_opendata import roles, search, vocab
from ckanext.lyg_opendata.catalog import freshness
from ckanext.lyg_opendata.i18n.display import lyg_opendata_localised_license, render_datetime

__all__ = [
    "lyg_opendata_site_region",
    "lyg_opendata_choices",
    "lyg_opendata_label",
    "lyg_opendata_is_supervisor",
    "lyg_opendata_is_agency_editor",
    "lyg_opendata_is_overdue",
    "lyg_opendata_due_date",
    "lyg_opendata_update_status",
    "lyg_opendata_overdue_filter",
    "lyg_opendata_review_history",
    "lyg_opendata_pending_change",
    "lyg_opendata_field_label",
    "lyg_opendata_render_value",
    "lyg_opendata_dataset_title",
    # i18n/display.py: shown in the UI language at render time
    "render_datetime",
    "lyg_opendata_localised_license",
    "lyg_opendata_did_you_mean",
]


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else ""}


def lyg_opendata_site_region() -> str:
    """The name of the region this portal serves, from config."""
    return tk.config.get("ckanext.lyg_opendata.region_name")


def lyg_opendata_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming ``choices_helper``: the choices of the vocabulary the field names."""
    return [term.choice() for term in vocab.terms(field["vocabulary"])]


def lyg_opendata_label(vocabulary: str, code: str) -> str:
    """The label of a code in the UI language."""
    return vocab.label(vocabulary, code)


def lyg_opendata_is_supervisor() -> bool:
    return roles.is_supervisor(_context()["user"])


def lyg_opendata_is_agency_editor() -> bool:
    """Editor or admin of at least one data-opening body."""
    return bool(roles.editable_org_ids(_context()["user"]))


def lyg_opendata_is_overdue(pkg: dict[str, Any]) -> bool:
    return freshness.is_overdue(pkg)


def lyg_opendata_due_date(pkg: dict[str, Any]):
    return freshness.due_date(pkg)


def lyg_opendata_update_status(pkg: dict[str, Any]) -> dict[str, Any]:
    """Due instant, deadline day (Beijing), overdue or not, last update day (Art 15)."""
    return freshness.update_status(pkg)


def lyg_opendata_overdue_filter(search_facets, facet_titles, item_count) -> dict[str, Any]:
    """The "overdue" block of the dataset search sidebar (count, active, label)."""
    return search.overdue_filter(search_facets, facet_titles, item_count)


def lyg_opendata_review_history(package_id: str) -> list[dict]:
    try:
        return tk.get_action("lyg_opendata_review_history")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def lyg_opendata_pending_change(package_id: str) -> Optional[dict]:
    try:
        return tk.get_action("lyg_opendata_review_change_show")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def lyg_opendata_field_label(field_name: str) -> str:
    from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_language_text
    schema = scheming_get_dataset_schema("dataset")
    for field in schema["dataset_fields"]:
        if field["field_name"] == field_name:
            return scheming_language_text(field["label"])
    return field_name


_FIELD_VOCAB = {"open_type": "open_type", "non_open_basis": "non_open_basis",
                "update_frequency": "update_frequency", "data_grade": "data_grade"}


def lyg_opendata_render_value(field_name: str, value: Any) -> Markup:
    """A held or approved value for the review diff (escaped)."""
    if value in (None, "", []):
        return Markup("—")
    if field_name in _FIELD_VOCAB:
        return escape(vocab.label(_FIELD_VOCAB[field_name], value))
    if field_name == "data_items" and isinstance(value, list):
        rows = "".join(
            f"<li><code>{escape(i.get('code'))}</code> {escape(i.get('name_zh'))} "
            f"（{escape(vocab.label('data_type', i.get('type')))}）</li>" for i in value)
        return Markup(f"<ul class='list-unstyled mb-0'>{rows}</ul>")
    return escape(value)


def lyg_opendata_dataset_title(package_id: str) -> str:
    import ckan.model as model
    pkg = model.Package.get(package_id)
    return (pkg.title or pkg.name) if pkg else package_id

def lyg_opendata_did_you_mean(q: str) -> Optional[str]:
    """"Did you mean" for a search without result (search.did_you_mean)."""
    from ckanext.lyg_opendata import search
    return search.did_you_mean(q)
