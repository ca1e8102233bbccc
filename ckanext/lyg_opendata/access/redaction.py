"""Redaction of conditional data (有条件开放, Art 10, 17, 19, 21), in one place, in the data layer.

The metadata of a conditional dataset is public; its data is not. Who may use which data
(``rights``): sysadmins and the members of the dataset's data-opening body use all of it;
a user with a valid grant (``access.grants``: not revoked, within its term) uses the granted
resources only; everyone else, supervisors included, gets the catalog metadata only. Those
who may not use a resource get it without its data address: its ``url`` is the dataset's
application page (``/dataset/<name>/apply``, or the source's for a harvested copy) and its
other address fields are empty.

Where it happens (each surface reads one of these):

- ``package_show`` / ``resource_show`` output, per user and per resource
  (``after_dataset_show``); ``package_show`` of a conditional dataset never answers from the
  index cache (``enforce_action.package_show``), so the cache can be stored redacted;
- the search index: no ``res_url``/``urls``/``download_url`` field, and the stored
  ``data_dict``/``validated_data_dict`` JSON redacted (``before_dataset_index``), so ``q``,
  ``fq`` and ``fl`` find and return no address; ``package_search`` results are redacted
  for everybody (``after_dataset_search``);
- the DCAT dataset endpoint is a public export, redacted whoever asks (``dcat_dataset_show``);
- activity snapshots, ``resource_search``, followee lists, DataStore auth: ``enforce_action``
  and ``enforce_auth``;
- the download, preview, proxy, DataStore dump and file routes (``guard_request``, run
  before every request): 403 with the reason, or — for a grantee — served and written to the
  access log (``audit.record_access``).

Nobody adds redaction in a template or a DCAT profile.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import lazy_gettext

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._

# address fields of a resource (url is replaced by the application page)
REDACTED_FIELDS = ("url", "download_url", "access_url")
# search-index fields that hold resource addresses
INDEX_URL_FIELDS = ("res_url", "urls", "download_url", "res_extras_download_url",
                    "res_extras_access_url")


def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated when shown."""
    return msgid


CONDITIONAL_DATA_MESSAGE = N_(
    "This is conditional data (Art 10): apply for it on the dataset page; it can be used "
    "once the application is approved.")
DOWNLOAD_ENDPOINTS = {"resource.download", "dataset_resource.download"}
PREVIEW_ENDPOINTS = {"resource.view", "dataset_resource.view", "resource.views",
                     "dataset_resource.views", "resource_proxy.proxy_view"}
MANAGE_VIEWS_ENDPOINTS = {"resource.views", "dataset_resource.views"}
DATASTORE_ENDPOINTS = {"datastore.dump", "datatablesview.ajax", "datatablesview.filtered_download"}
FILE_ENDPOINTS = {"file.download", "file.trusted_download", "file.public_download"}
GUARDED_ENDPOINTS = DOWNLOAD_ENDPOINTS | PREVIEW_ENDPOINTS | DATASTORE_ENDPOINTS | FILE_ENDPOINTS
# pages of an old version that read the stored snapshot themselves, not through an action
HISTORY_ENDPOINTS = {"activity.package_history", "activity.resource_history"}


# --- who may use what ------------------------------------------------------------------

def is_conditional(pkg: dict[str, Any] | model.Package | None) -> bool:
    if pkg is None:
        return False
    if isinstance(pkg, model.Package):
        return (pkg.extras or {}).get("open_type") == "conditional"
    if pkg.get("open_type") == "conditional":
        return True
    # the unvalidated dict (search index ``data_dict``) keeps custom fields in extras
    return any(isinstance(e, dict) and e.get("key") == "open_type" and e.get("value") == "conditional"
               for e in pkg.get("extras") or [])


@dataclass
class Rights:
    """What a user may use of one dataset: everything (``all``: the data-opening body's
    members and sysadmins, whose use is not logged) or the resources of ``granted``
    ({resource id: grant id}), whose use is logged."""
    all: bool = False
    granted: dict[str, str] = field(default_factory=dict)

    def may_use(self, resource_id: Optional[str]) -> bool:
        return self.all or (resource_id is not None and resource_id in self.granted)


def rights(user: Any, package_id: Optional[str], owner_org: Optional[str]) -> Rights:
    obj = roles._user(user)
    if obj is None:
        return Rights()
    if obj.sysadmin or roles.agency_role(obj, owner_org) is not None:
        return Rights(all=True)
    from ckanext.lyg_opendata.access.grants import valid_grants
    granted: dict[str, str] = {}
    for grant in valid_grants(obj, package_id or ""):
        for rid in grant.resource_ids or []:
            granted.setdefault(rid, grant.id)
    return Rights(granted=granted)


def rights_for_package(user: Any, pkg: dict[str, Any] | model.Package) -> Rights:
    if isinstance(pkg, model.Package):
        return rights(user, pkg.id, pkg.owner_org)
    return rights(user, pkg.get("id"), pkg.get("owner_org"))


def may_use_data(user: Any, pkg: dict[str, Any] | model.Package,
                 resource_id: Optional[str] = None) -> bool:
    """Resource-granular: may ``user`` use the data of ``resource_id`` (or, without one,
    all of the dataset's data)? True for data that is not conditional."""
    if not is_conditional(pkg):
        return True
    r = rights_for_package(user, pkg)
    return r.all if resource_id is None else r.may_use(resource_id)


# --- redacting dicts ---------------------------------------------------------------------

def application_page(pkg_dict: dict[str, Any]) -> str:
    from ckanext.lyg_opendata.dcat.profile import application_url
    return application_url(pkg_dict)


def redact_resources(pkg_dict: dict[str, Any], keep: Any = ()) -> dict[str, Any]:
    """Remove the data addresses of the dataset's resources, but those in ``keep``."""
    apply = application_page(pkg_dict)
    redacted = False
    for res in pkg_dict.get("resources") or []:
        if not isinstance(res, dict) or res.get("id") in keep:
            continue
        for key in REDACTED_FIELDS:
            if key in res:
                res[key] = ""
        res["url"] = apply
        if res.get("url_type"):
            res["url_type"] = None
        res["lyg_redacted"] = True
        redacted = True
    if redacted:
        pkg_dict["lyg_data_redacted"] = True
    return pkg_dict


def redact_for(user: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Redact a dataset dict for ``user``: what they may not use loses its addresses."""
    if not is_conditional(pkg_dict):
        return pkg_dict
    r = rights_for_package(user, pkg_dict)
    if r.all:
        return pkg_dict
    return redact_resources(pkg_dict, keep=set(r.granted))


PUBLIC_EXPORT = "lyg_opendata_public_export"


@tk.chained_action
def dcat_dataset_show(next_, context, data_dict):
    """The DCAT dataset endpoint (every profile) is a public export: a harvester must not
    be a leak, so it never carries data addresses of conditional data, whoever asks."""
    context[PUBLIC_EXPORT] = True
    return next_(context, data_dict)


# The one context key that skips redaction: set only by this extension's own internal reads
# whose result is written back or stored, never returned to a caller (the review's
# read-for-update in ``catalog.review``, the activity snapshot in ``enforce_action``).
# Nothing else — not ``ignore_auth``, not ``for_update``, not a user in the context — makes
# ``package_show`` answer with the addresses to someone who may not use them.
FULL_DATA = "lyg_opendata_full_data_internal"


def full_data_context(**kwargs: Any) -> dict[str, Any]:
    """The context of an internal read that keeps every data address (see ``FULL_DATA``)."""
    return {"ignore_auth": True, FULL_DATA: True, "model": model, "session": model.Session,
            **kwargs}


def after_dataset_show(context: dict[str, Any], pkg_dict: dict[str, Any]) -> dict[str, Any]:
    if not is_conditional(pkg_dict):
        return pkg_dict
    if context.get(PUBLIC_EXPORT):
        return redact_resources(pkg_dict)
    if context.get(FULL_DATA) is True:
        return pkg_dict
    # everyone else — whatever the context says of auth — gets what they may use: the
    # agency's members and sysadmins (who are the only ones core lets update a dataset, so
    # core's own read-for-update keeps the addresses) everything, the others their grants
    return redact_for(context.get("user"), pkg_dict)


def _redact_json(raw: Any) -> Any:
    if isinstance(raw, str) and raw:
        stored = json.loads(raw)
        if isinstance(stored, dict) and is_conditional(stored):
            return json.dumps(redact_resources(stored))
    elif isinstance(raw, dict) and is_conditional(raw):
        redact_resources(raw)
    return raw


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """No field of the index holds a data address of a conditional dataset: not the
    searchable ``res_url``/``urls`` (nor ``text``, their copy), and not the stored JSON
    (``package_show`` of a conditional dataset does not read it; search results do)."""
    if pkg_dict.get("open_type") == "conditional":
        for key in INDEX_URL_FIELDS:
            pkg_dict.pop(key, None)
        for key in ("data_dict", "validated_data_dict"):
            if key in pkg_dict:
                pkg_dict[key] = _redact_json(pkg_dict[key])
    return pkg_dict


def after_dataset_search(search_results: dict[str, Any]) -> dict[str, Any]:
    """Search results serve everybody alike: conditional datasets come without data
    addresses, whoever searches (the dataset page shows them to those who may use them)."""
    for result in search_results.get("results") or []:
        if not isinstance(result, dict):
            continue
        if is_conditional(result) and "resources" in result:
            redact_resources(result)
        for key in ("data_dict", "validated_data_dict"):
            if key in result:
                result[key] = _redact_json(result[key])
        if result.get("open_type") == "conditional":
            for key in INDEX_URL_FIELDS:
                if key in result:
                    result[key] = []
    return search_results


def redact_activity(user: Any, activity: dict[str, Any], rights_cache: dict) -> dict[str, Any]:
    """An activity's snapshot of a dataset that is (or was, in the snapshot) conditional
    loses its data addresses for whoever is outside the dataset's agency; history is not
    served to grantees either (it may hold addresses the grant does not cover)."""
    data = activity.get("data")
    if not isinstance(data, dict):
        return activity
    pkg_dict = data.get("package")
    if not isinstance(pkg_dict, dict):
        return activity
    pkg_id = activity.get("object_id") or pkg_dict.get("id")
    if pkg_id not in rights_cache:
        current = model.Package.get(pkg_id) if pkg_id else None
        conditional = is_conditional(current) or is_conditional(pkg_dict)
        owner = current.owner_org if current is not None else pkg_dict.get("owner_org")
        rights_cache[pkg_id] = (conditional, rights(user, pkg_id, owner).all if conditional else True)
    conditional, full = rights_cache[pkg_id]
    if (conditional or is_conditional(pkg_dict)) and not full:
        # a copy: the dict may be the stored activity's own (never written back)
        data = dict(data)
        data["package"] = redact_resources(copy.deepcopy(pkg_dict))
        activity["data"] = data
    return activity


# --- the request guard --------------------------------------------------------------------

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
    """The old-version pages read ``Activity.data`` from the session: the snapshot is
    redacted in place in this request's session (the JSON column is not change-tracked, so
    nothing is written back), before the page reads the same object. (Tested in
    tests/access/test_leak_matrix.py: a page reading the stored snapshot afresh would fail.)"""
    from ckanext.activity.model import Activity
    activity = model.Session.get(Activity, (tk.request.view_args or {}).get("activity_id") or "")
    if activity is None or not isinstance(activity.data, dict):
        return None
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    wrapper = {"object_id": activity.object_id, "data": activity.data}
    redacted = redact_activity(user, wrapper, {})
    if redacted["data"] is not activity.data:
        activity.data["package"] = redacted["data"]["package"]
        # the session's identity map holds unchanged objects weakly: keep this one alive
        # for the request, or the page would load the stored snapshot afresh
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
