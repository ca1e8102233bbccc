"""Corrections (更正): the dataset changes an objection's answer links to, and what they
changed, told to the public without the activity stream's details (Art 20)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model


def activity_ids(package_id: str) -> set[str]:
    try:
        from ckanext.activity.model import Activity
    except ImportError:
        return set()
    return {r[0] for r in model.Session.query(Activity.id).filter(Activity.object_id == package_id)}


def dataset_changes(package_id: str, since=None, limit: int = 20) -> list[dict]:
    """Recent changes (activities) of a dataset, for the answer form's choice of the fix."""
    try:
        from ckanext.activity.model import Activity
    except ImportError:
        return []
    query = model.Session.query(Activity).filter(Activity.object_id == package_id,
                                                 Activity.activity_type == "changed package")
    if since is not None:
        query = query.filter(Activity.timestamp >= since)
    return [{"id": a.id, "timestamp": a.timestamp.isoformat()}
            for a in query.order_by(Activity.timestamp.desc()).limit(limit)]


# metadata shown in the public summary of a correction (no data addresses: conditional data)
_DIFF_FIELDS = ("title", "notes", "data_items", "resources", "update_frequency", "data_updated",
                "spatial_coverage", "temporal_start", "temporal_end")


def _diff_value(field: str, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if field == "data_items" and isinstance(value, list):
        return "；".join(f"{i.get('name_zh') or ''}（{i.get('code') or ''}）"
                        for i in value if isinstance(i, dict))
    if field == "resources" and isinstance(value, list):
        return "；".join(" ".join(filter(None, [r.get("name"), r.get("format"), r.get("description")]))
                        for r in value if isinstance(r, dict))
    return str(value)


def correction_diff(package_id: str, activity_id: Optional[str]) -> list[dict[str, str]]:
    """What the change linked to a "corrected" answer changed (metadata fields, before and
    after), so that the public can read the correction without the activity stream's
    details (which CKAN keeps for editors unless ``ckan.auth.public_activity_stream_detail``)."""
    if not activity_id:
        return []
    try:
        from ckanext.activity.model import Activity
    except ImportError:
        return []
    act = model.Session.get(Activity, activity_id)
    if act is None or act.object_id != package_id:
        return []
    prev = model.Session.query(Activity).filter(
        Activity.object_id == package_id, Activity.timestamp < act.timestamp).order_by(
        Activity.timestamp.desc()).first()
    after = ((act.data or {}).get("package") or {})
    before = ((prev.data or {}).get("package") or {}) if prev else {}
    out = []
    for field in _DIFF_FIELDS:
        old, new = _diff_value(field, before.get(field)), _diff_value(field, after.get(field))
        if old != new:
            out.append({"field": field, "before": old, "after": new})
    return out
