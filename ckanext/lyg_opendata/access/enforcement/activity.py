"""The activity stream of conditional data (Art 17): the chained lists, ``activity_show``,
``activity_data_show`` and ``activity_diff`` redact the snapshots of conditional datasets —
including those taken before the dataset became conditional — for whoever is outside the
agency. ``activity_create`` stores the snapshot with the real addresses, as in vanilla CKAN
(registered while the activity plugin is loaded): redaction happens when it is read
(docs/architecture.md, "Redaction": the decision). Where core reads the stored rows itself
(``activity_diff``, the old-version pages), the rows it will read are first given, in this
session only, the snapshot the reader may see (``redact_loaded``)."""
from __future__ import annotations

import json
from typing import Any, Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access import redaction

__all__ = [
    "package_activity_list",
    "user_activity_list",
    "group_activity_list",
    "organization_activity_list",
    "recently_changed_packages_activity_list",
    "dashboard_activity_list",
    "activity_show",
    "activity_data_show",
    "activity_diff",
    "activity_create",
]


# --- the activity stream ------------------------------------------------------------------

def _redact_activities(context, activities):
    cache: dict = {}
    for activity in activities or []:
        if isinstance(activity, dict):
            redaction.redact_activity(context.get("user"), activity, cache)
    return activities


def _list_chain(name):
    @tk.chained_action
    @tk.side_effect_free
    def chained(next_, context, data_dict):
        return _redact_activities(context, next_(context, data_dict))
    chained.__name__ = name
    chained.__doc__ = f"``{name}`` with conditional data redacted from the snapshots."
    return chained


package_activity_list = _list_chain("package_activity_list")
user_activity_list = _list_chain("user_activity_list")
group_activity_list = _list_chain("group_activity_list")
organization_activity_list = _list_chain("organization_activity_list")
recently_changed_packages_activity_list = _list_chain("recently_changed_packages_activity_list")
dashboard_activity_list = _list_chain("dashboard_activity_list")


@tk.chained_action
@tk.side_effect_free
def activity_show(next_, context, data_dict):
    if isinstance(data_dict, dict) and "include_data" not in data_dict:
        # core's auth function reads the key (without it: KeyError, a 500 found by the
        # fuzzer); the answer holds the activity's data, so it is decided as a request for it
        data_dict = {**data_dict, "include_data": True}
    activity = next_(context, data_dict)
    _redact_activities(context, [activity])
    return activity


def _activity_record(activity_id: str) -> dict[str, Any]:
    """The stored activity, as a copy (its snapshot is redacted, never written back)."""
    from ckanext.activity.model import Activity
    obj = model.Session.get(Activity, activity_id)
    if obj is None:
        raise tk.ObjectNotFound()
    return {"object_id": obj.object_id, "data": json.loads(json.dumps(obj.data or {}))}


@tk.chained_action
@tk.side_effect_free
def activity_data_show(next_, context, data_dict):
    data = next_(context, data_dict)
    record = _activity_record(tk.get_or_bust(data_dict, "id"))
    object_type = data_dict.get("object_type")
    wrapper = {"object_id": record["object_id"],
               "data": {object_type: data} if object_type else data}
    redaction.redact_activity(context.get("user"), wrapper, {})
    return wrapper["data"][object_type] if object_type else wrapper["data"]


def redact_loaded(user: Any, activities: Iterable[Any]) -> list[Any]:
    """Give each loaded ``Activity`` row, in this session only, the snapshot ``user`` may
    see (``set_committed_value``: a loaded value, not a change, never written back); the
    rows replaced are returned. Core code that reads the rows through the session then reads
    the redacted snapshot; the caller keeps the rows referenced while it does (the session
    holds unchanged rows weakly) and expires them when it is done, if the session goes on."""
    from sqlalchemy.orm.attributes import set_committed_value
    replaced = []
    cache: dict = {}
    for activity in activities:
        if activity is None or not isinstance(activity.data, dict):
            continue
        wrapper = {"object_id": activity.object_id, "data": activity.data}
        if redaction.redact_activity(user, wrapper, cache)["data"] is not activity.data:
            set_committed_value(activity, "data", wrapper["data"])
            replaced.append(activity)
    return replaced


@tk.chained_action
@tk.side_effect_free
def activity_diff(next_, context, data_dict):
    """Core diffs the stored snapshots it loads itself: for whoever may not see a
    conditional dataset's addresses, the two rows are given their redacted snapshots in this
    session and core diffs again, over those."""
    from ckanext.activity.model import Activity
    result = next_(context, data_dict)
    rows = [model.Session.get(Activity, a["id"]) for a in result.get("activities") or []]
    replaced = redact_loaded(context.get("user"), rows)
    if replaced:
        try:
            result = next_(context, data_dict)
        finally:
            for row in replaced:
                model.Session.expire(row, ["data"])
    return result


@tk.chained_action
def activity_create(next_, context, data_dict):
    """The stored snapshot keeps the real data addresses, as in vanilla CKAN: the activity
    plugin takes it with ``package_show`` as nobody, which redacts it; for whoever may create
    activities (core: sysadmins and the internal signal handlers) the dataset is read again
    with the extension's full-data key. Redaction happens when an activity is read (the
    chained readers above and ``guard._redact_history_snapshot``)."""
    data = data_dict.get("data") if isinstance(data_dict, dict) else None
    pkg = data.get("package") if isinstance(data, dict) else None
    if isinstance(pkg, dict) and pkg.get("lyg_data_redacted") and str(
            data_dict.get("activity_type") or "").endswith("package"):
        tk.check_access("activity_create", context, data_dict)
        try:
            data["package"] = tk.get_action("package_show")(
                redaction.full_data_context(for_view=False),
                {"id": data_dict.get("object_id") or pkg.get("id"), "include_tracking": False})
        except tk.ObjectNotFound:
            pass
    return next_(context, data_dict)
