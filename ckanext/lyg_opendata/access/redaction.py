"""Redaction of conditional data (有条件开放, Art 10, 17), in one place, in the data layer.

The metadata of a conditional dataset is public; its data is not. Whoever may not use the
data (everyone but sysadmins and the members of the dataset's data-opening body, until
the access workflow grants more) gets the dataset without the addresses of its data:

- ``package_show`` / ``resource_show`` output (``after_dataset_show``), which the dataset
  and resource pages, the API and activity snapshots read; the DCAT dataset endpoint is a
  public export and is redacted whoever asks (``dcat_dataset_show`` is chained);
- ``package_search`` results, for everybody (``after_dataset_search``: the result dicts,
  and the raw ``data_dict``/``validated_data_dict`` of ``fl=`` queries); the index keeps
  the full stored dict (``package_show`` reads it as a cache, then redacts per user) but
  not the ``res_url``/``urls`` search fields, so no query can probe an address;
- the download and preview routes and CKAN's file download (``guard_request``).

Nobody adds redaction in a template or a DCAT profile.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from flask_babel import lazy_gettext

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._

REDACTED_FIELDS = ("url", "download_url", "access_url")


def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated when shown."""
    return msgid


CONDITIONAL_DATA_MESSAGE = N_(
    "This is conditional data (Art 10): apply for it on the dataset page; it can be used "
    "once the application is approved.")
GUARDED_ENDPOINTS = {
    "resource.download", "dataset_resource.download",
    "resource.view", "dataset_resource.view", "resource.views", "dataset_resource.views",
}


def is_conditional(pkg: dict[str, Any] | model.Package) -> bool:
    if isinstance(pkg, model.Package):
        return pkg.extras.get("open_type") == "conditional"
    if pkg.get("open_type") == "conditional":
        return True
    # the unvalidated dict (search index ``data_dict``) keeps custom fields in extras
    return any(isinstance(e, dict) and e.get("key") == "open_type" and e.get("value") == "conditional"
               for e in pkg.get("extras") or [])


def may_use_data(user: Any, owner_org: Optional[str]) -> bool:
    """Sysadmins and the members of the data-opening body; grants come with the access
    workflow (Art 19). Supervisors review metadata: no data through that role."""
    obj = roles._user(user)
    if obj is None:
        return False
    if obj.sysadmin:
        return True
    return roles.agency_role(obj, owner_org) is not None


def redact_resources(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    for res in pkg_dict.get("resources") or []:
        for field in REDACTED_FIELDS:
            if field in res:
                res[field] = ""
        if res.get("url_type") == "upload":
            res["url_type"] = None
        res["lyg_redacted"] = True
    pkg_dict["lyg_data_redacted"] = True
    return pkg_dict


PUBLIC_EXPORT = "lyg_opendata_public_export"


@tk.chained_action
def dcat_dataset_show(next_, context, data_dict):
    """The DCAT dataset endpoint (every profile) is a public export: a harvester must not
    be a leak, so it never carries data addresses of conditional data, whoever asks."""
    context[PUBLIC_EXPORT] = True
    return next_(context, data_dict)


def after_dataset_show(context: dict[str, Any], pkg_dict: dict[str, Any]) -> dict[str, Any]:
    if not is_conditional(pkg_dict):
        return pkg_dict
    if context.get(PUBLIC_EXPORT):
        return redact_resources(pkg_dict)
    # internal reads that feed an update (package_patch, package_update) keep the data
    # addresses, or saving would erase them; they run with ignore_auth on behalf of a user
    if context.get("for_update") or (context.get("ignore_auth") and context.get("user")):
        return pkg_dict
    if may_use_data(context.get("user"), pkg_dict.get("owner_org")):
        return pkg_dict
    return redact_resources(pkg_dict)


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """No searchable field of the index holds a data address of a conditional dataset."""
    if pkg_dict.get("open_type") == "conditional":
        for key in ("res_url", "urls", "download_url"):
            pkg_dict.pop(key, None)
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
            raw = result.get(key)
            if isinstance(raw, str) and raw:
                stored = json.loads(raw)
                if is_conditional(stored):
                    result[key] = json.dumps(redact_resources(stored))
            elif isinstance(raw, dict) and is_conditional(raw):
                redact_resources(raw)
        for key in ("res_url", "urls", "download_url"):
            if key in result and result.get("open_type") == "conditional":
                result[key] = []
    return search_results


def _package_for_request() -> Optional[model.Package]:
    endpoint = tk.request.endpoint or ""
    args = tk.request.view_args or {}
    if endpoint in GUARDED_ENDPOINTS:
        pkg = model.Package.get(args.get("id") or "")
        if pkg is None:
            res = model.Resource.get(args.get("resource_id") or "")
            pkg = res.package if res else None
        return pkg
    if endpoint == "file.download":
        owner = model.Session.get(model.FileOwner, args.get("id") or "")
        if owner and owner.owner_type == "resource":
            res = model.Resource.get(owner.owner_id)
            return res.package if res else None
        if owner and owner.owner_type == "package":
            return model.Package.get(owner.owner_id)
    return None


def guard_request():
    """Before every request: the download, preview and file routes of a conditional
    dataset answer 403 with the reason to whoever may not use its data."""
    endpoint = tk.request.endpoint or ""
    if endpoint not in GUARDED_ENDPOINTS and endpoint != "file.download":
        return None
    pkg = _package_for_request()
    if pkg is None or not is_conditional(pkg):
        return None
    user = tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else None
    if may_use_data(user, pkg.owner_org):
        return None
    # lazy: this runs before CKAN has set the request's language; the error page renders
    # the message in it
    return tk.abort(403, lazy_gettext(CONDITIONAL_DATA_MESSAGE))
