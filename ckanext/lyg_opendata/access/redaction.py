"""Redaction of conditional data (有条件开放, Art 10, 17, 19, 21), in one place, in the data layer.

The metadata of a conditional dataset is public; its data is not. Who may use which data
(``rights.rights``): sysadmins and the members of the dataset's data-opening body use all of it;
a user with a valid grant (``access.grants``: not revoked, within its term) uses the granted
resources only; everyone else, supervisors included, gets the catalog metadata only. Those
who may not use a resource get it without its data address: its ``url`` is the dataset's
application page (``/dataset/<name>/apply``, or the source's for a harvested copy) and its
other address fields are empty.

Where it happens (each surface reads one of these):

- ``package_show`` / ``resource_show`` output, per user and per resource
  (``after_dataset_show``); ``package_show`` of a conditional dataset never answers from the
  index cache (``enforcement.action.package_show``), so the cache can be stored redacted;
- the search index: no ``res_url``/``urls``/``download_url`` field, and the stored
  ``data_dict``/``validated_data_dict`` JSON redacted (``before_dataset_index``), so ``q``,
  ``fq`` and ``fl`` find and return no address; ``package_search`` results are redacted
  for everybody (``after_dataset_search``);
- the DCAT dataset endpoint is a public export, redacted whoever asks (``dcat_dataset_show``);
- activity snapshots, ``resource_search``, followee lists, DataStore auth: ``enforcement.action``
  and ``enforcement.auth``;
- the download, preview, proxy, DataStore dump and file routes (``guard.guard_request``, run
  before every request): 403 with the reason, or — for a grantee — served and written to the
  access log (``audit.record_access``).

Nobody adds redaction in a template or a DCAT profile."""
from __future__ import annotations

import copy
import json
from typing import Any


import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.access.rights import (application_url, is_conditional, rights,
                                                rights_for_package)

_ = tk._


# address fields of a resource (url is replaced by the application page)
REDACTED_FIELDS = ("url", "download_url", "access_url")
# search-index fields that hold resource addresses
INDEX_URL_FIELDS = ("res_url", "urls", "download_url", "res_extras_download_url",
                    "res_extras_access_url")


CONDITIONAL_DATA_MESSAGE = N_(
    "This is conditional data (Art 10): apply for it on the dataset page; it can be used "
    "once the application is approved.")


# --- redacting dicts ---------------------------------------------------------------------

def redact_resources(pkg_dict: dict[str, Any], keep: Any = ()) -> dict[str, Any]:
    """Remove the data addresses of the dataset's resources, but those in ``keep``."""
    apply = application_url(pkg_dict)
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
# read-for-update in ``catalog.review``, the activity snapshot in ``enforcement.action``).
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
