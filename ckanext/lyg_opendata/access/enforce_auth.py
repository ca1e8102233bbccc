"""Chained core auth functions that keep conditional data from leaking (Art 17).

- Files tracked by CKAN 2.12's file store (``/file/download``, ``file_show``) that belong to
  a conditional resource or dataset: only for those who may use that resource's data
  (``permission_read_file`` / ``permission_download_file``).
- DataStore (registered only when the ``datastore`` plugin is enabled, since a chained auth
  function needs its parent): ``datastore_search`` and ``datastore_info`` — and with them
  ``/datastore/dump``, the data tables view and its filtered download, which all call
  ``datastore_search`` as the requesting user — answer only to the dataset's agency,
  sysadmins and the resource's grantees; ``datastore_search_sql`` is refused to everybody,
  sysadmins included (SQL could reach any table).
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access import redaction
from ckanext.lyg_opendata.access.enforce_action import PluginAwareNames  # noqa: F401

__all__ = ["permission_read_file", "permission_download_file"]


def _refusal() -> dict[str, Any]:
    return {"success": False, "msg": tk._(redaction.CONDITIONAL_DATA_MESSAGE)}


def _may_use_file(context, file_id: str) -> bool:
    pkg, resource_id = redaction._file_target(model.Session.get(model.File, file_id or ""))
    if pkg is None or not redaction.is_conditional(pkg):
        return True
    r = redaction.rights_for_package(context.get("user"), pkg)
    return r.all or (resource_id is not None and r.may_use(resource_id))


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def permission_read_file(next_auth, context, data_dict):
    if not _may_use_file(context, data_dict.get("id")):
        return _refusal()
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def permission_download_file(next_auth, context, data_dict):
    if not _may_use_file(context, data_dict.get("id")):
        return _refusal()
    return next_auth(context, data_dict)


def _may_query(context, data_dict) -> bool:
    rid = data_dict.get("resource_id") or data_dict.get("id") or ""
    res = model.Resource.get(rid)
    if res is None or not redaction.is_conditional(res.package):
        return True
    return redaction.rights_for_package(context.get("user"), res.package).may_use(res.id)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth, context, data_dict):
    if not _may_query(context, data_dict):
        return _refusal()
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth, context, data_dict):
    if not _may_query(context, data_dict):
        return _refusal()
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check
def datastore_search_sql(next_auth, context, data_dict):
    return {"success": False,
            "msg": tk._("SQL queries of the DataStore are turned off on this portal.")}


# registered while the DataStore is loaded (enforce_action.PluginAwareNames)
__all__ += ["datastore_search", "datastore_info", "datastore_search_sql"]
