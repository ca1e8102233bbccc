"""``lyg_opendata_quality_history``: a dataset's quality score each time it changed
(evaluation/quality.py ``changes``) and its monthly scores. Whoever may see the dataset may
see its history (``package_show``: a draft only its agency and sysadmins); the answer holds scores only — never a resource or its address, whatever the
dataset's open type."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.evaluation import quality

_ = tk._


def _dataset(data_dict: dict[str, Any]) -> model.Package:
    key = data_dict.get("id")
    if not key or not isinstance(key, str):
        raise tk.ValidationError({"id": [_("Missing value")]})
    pkg = model.Package.get(key)
    if pkg is None or pkg.state == "deleted" or pkg.type != "dataset":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return pkg


@tk.side_effect_free
def lyg_opendata_quality_history(context, data_dict):
    """A dataset's quality score history.

    :param id: the dataset's id or name
    :returns: ``{"package_id", "changes": [{"computed_at", "day", "score", "rating",
        "rating_label"}, …] (oldest first), "months": [{"month", "score"}, …]}``
    """
    pkg = _dataset(data_dict)
    tk.check_access("lyg_opendata_quality_history", context, {"id": pkg.id})
    return {"package_id": pkg.id, "changes": quality.changes(pkg.id),
            "months": quality.history(pkg.id)}


@tk.auth_allow_anonymous_access
def auth_history(context, data_dict):
    """Whoever may see the dataset (core's ``package_show``); without a dataset named the
    action answers a field error."""
    key = (data_dict or {}).get("id")
    if not key or not isinstance(key, str):
        return {"success": True}
    try:
        tk.check_access("package_show", dict(context), {"id": key})
    except tk.NotAuthorized:
        return {"success": False, "msg": _("Not authorized to see this dataset")}
    return {"success": True}
