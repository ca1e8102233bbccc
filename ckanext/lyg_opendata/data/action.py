"""Actions of the personal-data scan (Art 14, 26)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.data import scan
from ckanext.lyg_opendata.data.model import Finding

__all__ = ["lyg_opendata_scan_list", "lyg_opendata_scan_finding_dismiss",
           "lyg_opendata_scan_run"]

_ = tk._


def _package_id(data_dict: dict[str, Any]) -> str:
    if data_dict.get("resource_id"):
        res = model.Resource.get(data_dict["resource_id"])
        if res is None or res.state != "active":
            raise tk.ObjectNotFound(_("Resource not found"))
        return res.package_id
    pkg = model.Package.get(data_dict.get("package_id") or data_dict.get("id") or "")
    if pkg is None:
        raise tk.ObjectNotFound(_("Dataset not found"))
    return pkg.id


@tk.side_effect_free
def lyg_opendata_scan_list(context, data_dict):
    """The latest scans and current findings of a dataset (``package_id``) or one of its
    resources (``resource_id``): column, kind, count, masked samples, status, reason.

    Agency staff of the dataset and supervisors only."""
    package_id = _package_id(data_dict)
    tk.check_access("lyg_opendata_scan_list", context, {"package_id": package_id})
    return scan.findings_for(package_id, data_dict.get("resource_id"))


def lyg_opendata_scan_finding_dismiss(context, data_dict):
    """Mark a finding as a false positive (``id``, ``reason`` required). Recorded on the
    finding (who, when, why) and in the dataset's review timeline."""
    from ckanext.lyg_opendata.catalog import review
    finding_id = tk.get_or_bust(data_dict, "id")
    finding = model.Session.get(Finding, finding_id)
    if finding is None:
        raise tk.ObjectNotFound(_("Finding not found"))
    tk.check_access("lyg_opendata_scan_finding_dismiss", context, {"id": finding_id})
    reason = str(data_dict.get("reason") or "").strip()
    if len(reason) < 4:
        raise tk.ValidationError({"reason": [
            _("Say why this is not personal data (at least 4 characters)")]})
    finding = model.Session.query(Finding).filter(
        Finding.id == finding_id).with_for_update().one()
    if finding.status != "open":
        model.Session.rollback()
        raise tk.ValidationError({"id": [_("This finding is no longer open")]})
    user = model.User.get(context.get("user") or "")
    finding.status, finding.reason = "false_positive", reason
    finding.resolved_by = user.id if user else None
    finding.resolved_at = scan._utcnow()
    pkg = model.Package.get(finding.package_id)
    status = review.current_values(pkg)["review_status"]
    review.record(finding.package_id, context, "scan_false_positive", status, status,
                  reason=reason, data={"finding": finding.id, "column": finding.column,
                                       "kind": finding.kind, "resource_id": finding.resource_id})
    model.Session.commit()
    return scan.finding_dict(finding)


def lyg_opendata_scan_run(context, data_dict):
    """Scan a resource again (``resource_id``; its uploaded file and its DataStore table)."""
    res = model.Resource.get(tk.get_or_bust(data_dict, "resource_id"))
    if res is None or res.state != "active":
        raise tk.ObjectNotFound(_("Resource not found"))
    tk.check_access("lyg_opendata_scan_run", context, {"resource_id": res.id})
    queued = []
    if res.url_type == "upload":
        queued.append(scan.request_scan(res.id, "file", scan.file_marker(
            {"last_modified": res.last_modified, "created": res.created}), force=True))
    if res.extras.get("datastore_active") in (True, "True", "true"):
        queued.append(scan.request_scan(res.id, "datastore", "rescan", force=True))
    return {"queued": [q for q in queued if q]}
