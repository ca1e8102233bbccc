"""The download guard: the download, preview, proxy, DataStore dump and file routes of a
conditional dataset's data (run before every request: ``guard_blueprint``): 403 with the reason,
or — for a grantee — served and written to the access log (``audit.record_access``, once
per request and resource). Also the redaction of the stored snapshot the old-version pages
read."""
from __future__ import annotations

from typing import Any, Optional

from flask import Blueprint
from flask_babel import lazy_gettext

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.redaction import CONDITIONAL_DATA_MESSAGE
from ckanext.lyg_opendata.access.rights import is_conditional, rights_for_package

_ = tk._


DOWNLOAD_ENDPOINTS = {"resource.download", "dataset_resource.download"}
PREVIEW_ENDPOINTS = {"resource.view", "dataset_resource.view", "resource.views",
                     "dataset_resource.views", "resource_proxy.proxy_view"}
MANAGE_VIEWS_ENDPOINTS = {"resource.views", "dataset_resource.views"}
DATASTORE_ENDPOINTS = {"datastore.dump", "datatablesview.ajax", "datatablesview.filtered_download"}
FILE_ENDPOINTS = {"file.download", "file.trusted_download", "file.public_download"}
GUARDED_ENDPOINTS = DOWNLOAD_ENDPOINTS | PREVIEW_ENDPOINTS | DATASTORE_ENDPOINTS | FILE_ENDPOINTS
# pages of an old version that read the stored snapshot themselves, not through an action
HISTORY_ENDPOINTS = {"activity.package_history", "activity.resource_history"}


# --- the request guard --------------------------------------------------------------------

guard_blueprint = Blueprint("lyg_opendata_guard", __name__)


def _resource_of_file_location(storage_name: str, location: str) -> Optional[model.Resource]:
    """A resource's uploaded file lives at ``<id[:3]>/<id[3:6]>/<id[6:]>`` in the resource
    storage."""
    if storage_name != tk.config.get("ckan.files.default_storages.resource"):
        return None
    parts = [p for p in location.split("/") if p]
    if len(parts) < 3:
        return None
    return model.Resource.get("".join(parts[-3:]))


def _file_target(file_obj: Optional[model.File]) -> tuple[Optional[model.Package], Optional[str]]:
    if file_obj is None:
        return None, None
    owner = file_obj.owner
    if owner is not None and owner.owner_type == "resource":
        res = model.Resource.get(owner.owner_id)
        return (res.package, res.id) if res else (None, None)
    if owner is not None and owner.owner_type == "package":
        return model.Package.get(owner.owner_id), None
    res = _resource_of_file_location(file_obj.storage, file_obj.location)
    return (res.package, res.id) if res else (None, None)


def _target() -> tuple[Optional[model.Package], Optional[str]]:
    """The dataset and resource a guarded request serves."""
    endpoint = tk.request.endpoint or ""
    args = tk.request.view_args or {}
    if endpoint in DOWNLOAD_ENDPOINTS or endpoint in PREVIEW_ENDPOINTS:
        res = model.Resource.get(args.get("resource_id") or "")
        if res is not None:
            return res.package, res.id
        return model.Package.get(args.get("id") or ""), None
    if endpoint in DATASTORE_ENDPOINTS:
        rid = args.get("resource_id") or ""
        if args.get("resource_view_id"):
            view = model.ResourceView.get(args["resource_view_id"])
            rid = view.resource_id if view is not None else ""
        res = model.Resource.get(rid)
        if res is None:
            try:
                from ckanext.datastore.backend import DatastoreBackend
                exists, real_id = DatastoreBackend.get_active_backend().resource_id_from_alias(rid)
                res = model.Resource.get(real_id) if exists and real_id else None
            except Exception:  # noqa: BLE001 - no DataStore: nothing to guard here
                res = None
        return (res.package, res.id) if res else (None, None)
    if endpoint == "file.download":
        return _file_target(model.Session.get(model.File, args.get("id") or ""))
    if endpoint == "file.trusted_download":
        from ckan.lib import api_token
        try:
            data = api_token.decode_token(args.get("token") or "", audience="trusted_download")
        except Exception:  # noqa: BLE001 - CKAN's view answers 404 for a bad token
            return None, None
        if "sub" in data:
            return _file_target(model.Session.get(model.File, data["sub"]))
        if "location" in data and "storage" in data:
            item = model.Session.scalar(model.File.by_location(data["location"], data["storage"]))
            if item is not None:
                return _file_target(item)
            res = _resource_of_file_location(data["storage"], data["location"])
            return (res.package, res.id) if res else (None, None)
        return None, None
    if endpoint == "file.public_download":
        res = _resource_of_file_location(args.get("storage_name") or "", args.get("location") or "")
        return (res.package, res.id) if res else (None, None)
    return None, None


def channel_of_request(default: str = "ui") -> str:
    """``api`` when the request carried an API token, else ``default``."""
    header = tk.config.get("apitoken_header_name") or "Authorization"
    if tk.request.headers.get(header) or tk.request.headers.get("Authorization"):
        return "api"
    return default


def record(user: Any, pkg: model.Package, resource_id: Optional[str], channel: str,
           grant_id: Optional[str]) -> None:
    from ckanext.lyg_opendata import audit
    obj = roles._user(user)
    audit.record_access(user=obj.id if obj is not None else None, package_id=pkg.id,
                        resource_id=resource_id, channel=channel, grant_id=grant_id)


@guard_blueprint.before_app_request
def guard_request():
    """Before every request: the download, preview, proxy, DataStore dump and file routes
    of a conditional dataset answer 403 with the reason to whoever may not use the
    resource's data; a grantee's use is written to the access log before it is served.
    Link resources are downloaded through ``resource.download``, which redirects to the
    external address only after this check."""
    endpoint = tk.request.endpoint or ""
    if endpoint in HISTORY_ENDPOINTS:
        return _redact_history_snapshot()
    if endpoint not in GUARDED_ENDPOINTS:
        return None
    pkg, resource_id = _target()
    if pkg is None or not is_conditional(pkg):
        return None
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    r = rights_for_package(user, pkg)
    if r.all:
        return None
    if resource_id is not None and r.may_use(resource_id):
        if endpoint in MANAGE_VIEWS_ENDPOINTS:
            return None  # the views' editing page: CKAN lets editors only, nothing served
        if endpoint in DOWNLOAD_ENDPOINTS or endpoint in FILE_ENDPOINTS:
            channel = channel_of_request("ui")
        elif endpoint in DATASTORE_ENDPOINTS:
            channel = "datastore"
        else:
            channel = "preview"
        _mark_recorded(pkg.id, resource_id)
        record(user, pkg, resource_id, channel, r.granted.get(resource_id))
        return None
    # lazy: this runs before CKAN has set the request's language; the error page renders
    # the message in it
    return tk.abort(403, lazy_gettext(CONDITIONAL_DATA_MESSAGE))


def _redact_history_snapshot() -> None:
    """The old-version pages (core's views) read the ``Activity`` row from the session: it
    is given the snapshot the visitor may see for this request (``enforcement.activity.
    redact_loaded``), before the page reads the same row. (Tested in
    tests/access/test_leak_matrix.py: a page reading the stored snapshot afresh would fail.)"""
    from ckanext.activity.model import Activity
    from ckanext.lyg_opendata.access.enforcement.activity import redact_loaded
    activity = model.Session.get(Activity, (tk.request.view_args or {}).get("activity_id") or "")
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    if redact_loaded(user, [activity]):
        # the session's identity map holds unchanged rows weakly: keep this one for the
        # request (the session ends with it), or the page would load the stored snapshot
        from flask import g
        g.lyg_redacted_activity = activity
    return None


def _mark_recorded(package_id: str, resource_id: Optional[str]) -> None:
    from flask import g
    done = g.setdefault("lyg_access_recorded", set())
    done.add((package_id, resource_id))


def already_recorded(package_id: str, resource_id: Optional[str]) -> bool:
    """Whether this request already wrote the access log for the resource (a DataStore dump
    runs many searches; a download reads the resource once more). Outside a request — the
    rows of ``/datastore/dump`` are streamed after its view returned, which the guard
    logged before — there is nothing more to log."""
    try:
        from flask import g
        return (package_id, resource_id) in g.get("lyg_access_recorded", set())
    except RuntimeError:
        return True


def mark_recorded(package_id: str, resource_id: Optional[str]) -> None:
    try:
        _mark_recorded(package_id, resource_id)
    except RuntimeError:
        pass
