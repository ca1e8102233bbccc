"""No window before the scan (Art 14, 26): a file of an open dataset is not served to the
public until the personal-data scan of that very file has finished without open personal
findings.

A resource is *held* while

- it is an upload and no scan of its current file (``scan.file_marker``) has finished —
  the new file of a published dataset included, from the moment it is saved (the scan row
  is written in the same request, the marker check covers the moment before);
- a scan of it (file or DataStore table) is waiting or running; or
- it has open personal findings (until the agency replaces the file or marks each a false
  positive; a published dataset is withdrawn at once besides, ``scan._act_on_findings``).

While held, the download and file routes, the previews, ``/datastore/dump``, the data
table's rows and the action API's ``datastore_search``/``datastore_info`` answer 403 with
the reason to everybody but the dataset's agency, the supervisors and sysadmins (who
review the file). Conditional datasets are outside this rule: their files reach only the
agency and grantees (access/enforcement/guard.py). A scan that failed keeps the file held; the
agency sees the error on the resource page and scans again.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.data.model import Finding, Scan

HELD_MESSAGE = N_("This file is being checked for personal data (Art 14, 26 of the "
                "regulation); it can be downloaded and queried once the check has found none.")

API_ACTIONS = {"datastore_search", "datastore_info"}


def _marker(res: model.Resource) -> str:
    """``scan.file_marker`` of the resource as its dict gives it (ISO timestamps)."""
    when = res.last_modified or res.created
    return when.isoformat() if when is not None else ""


def _latest(res_id: str, source: str) -> Optional[Scan]:
    return model.Session.query(Scan).filter(
        Scan.resource_id == res_id, Scan.source == source).order_by(Scan.created.desc()).first()


def held(res: Optional[model.Resource]) -> bool:
    if res is None or res.state != "active":
        return False
    latest_file = _latest(res.id, "file")
    if res.url_type == "upload" and (latest_file is None or latest_file.marker != _marker(res)):
        return True  # this file has not been scanned (yet)
    # the latest scan of each source decides (an old failed scan followed by a finished one
    # does not hold the file)
    for latest in (latest_file, _latest(res.id, "datastore")):
        if latest is not None and latest.status != "done":
            return True
    return model.Session.query(Finding.id).filter(
        Finding.resource_id == res.id, Finding.status == "open",
        Finding.personal.is_(True)).first() is not None


def applies(res: Optional[model.Resource], user: Any) -> bool:
    """Whether ``user`` is refused ``res``'s data now."""
    if res is None:
        return False
    pkg = res.package
    if pkg is None or pkg.private:
        return False  # only the agency sees a private dataset anyway
    from ckanext.lyg_opendata.access import rights
    if rights.is_conditional(pkg):
        return False
    if user is not None and (roles.is_supervisor(user) or roles.agency_role(user, pkg.owner_org)):
        return False
    return held(res)


def _api_resource() -> Optional[model.Resource]:
    from ckanext.lyg_opendata.access.enforcement.auth import resource_of_datastore_name
    data: dict[str, Any] = {}
    data.update(tk.request.args.to_dict())
    data.update(tk.request.form.to_dict())
    body = tk.request.get_json(silent=True)
    if isinstance(body, dict):
        data.update(body)
    for key in ("resource_id", "id"):
        res = resource_of_datastore_name(data.get(key))
        if res is not None:
            return res
    return None


def check():
    """``before_app_request``: None to go on, or the 403 answer."""
    from ckanext.lyg_opendata.access.enforcement import guard
    endpoint = tk.request.endpoint or ""
    api = endpoint == "api.action" and \
        (tk.request.view_args or {}).get("logic_function") in API_ACTIONS
    if not api and (endpoint not in guard.GUARDED_ENDPOINTS
                    or endpoint in guard.MANAGE_VIEWS_ENDPOINTS):
        return None
    if api:
        res = _api_resource()
    else:
        _pkg, resource_id = guard._target()
        res = model.Resource.get(resource_id) if resource_id else None
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    if not applies(res, user):
        return None
    if api:
        from flask import jsonify, make_response
        return make_response(jsonify({"success": False, "error": {
            "__type": "Authorization Error", "message": tk._(HELD_MESSAGE)}}), 403)
    from flask_babel import lazy_gettext
    return tk.abort(403, lazy_gettext(HELD_MESSAGE))
