"""How much each dataset is used: page views, downloads and API calls, counted per Beijing
day (Art 37 figures, the dataset page's 浏览/下载/调用 counts). Aggregate numbers only:
who used what is the access log's business (conditional data, Art 21), not this table's.

Counted after the response, for successful answers only:

- ``view``: the dataset page (``dataset.read``), and its resources' pages;
- ``download``: CKAN's resource download and file routes, the DataStore dump;
- ``api``: ``datastore_search`` through the action API.

A count is one upsert in its own short transaction (``INSERT … ON CONFLICT DO UPDATE``):
parallel requests and several web workers add up, and a failing count never fails or
delays the answer it counts (logged and dropped).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.workdays import today_beijing

log = logging.getLogger(__name__)

CHANNELS = ("view", "download", "api")


class Usage(tk.BaseModel):
    __tablename__ = "lyg_opendata_usage"

    package_id = sa.Column(sa.UnicodeText, primary_key=True)
    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    day = sa.Column(sa.Date, primary_key=True)
    channel = sa.Column(sa.UnicodeText, primary_key=True)
    count = sa.Column(sa.BigInteger, nullable=False)


VIEW_ENDPOINTS = {"dataset.read", "resource.read", "dataset_resource.read"}
DOWNLOAD_ENDPOINTS = {"resource.download", "dataset_resource.download", "datastore.dump",
                      "file.download", "file.trusted_download", "file.public_download"}
API_ACTIONS = {"datastore_search"}


def add(package_id: str, resource_id: Optional[str], channel: str, n: int = 1,
        day: Optional[dt.date] = None) -> None:
    """Count ``n`` uses (today in Beijing unless ``day``); in its own transaction, never
    raising."""
    table = Usage.__table__
    stmt = insert(table).values(package_id=package_id, resource_id=resource_id or "",
                                day=day or today_beijing(), channel=channel, count=n)
    stmt = stmt.on_conflict_do_update(index_elements=["package_id", "resource_id", "day", "channel"],
                                      set_={"count": table.c.count + stmt.excluded.count})
    try:
        with model.meta.engine.begin() as conn:
            conn.execute(stmt)
    except Exception:  # a counter never stands between a user and the data
        log.exception("could not count a %s of %s", channel, package_id)


def dataset_totals(package_id: str) -> dict[str, int]:
    """``{"view": n, "download": n, "api": n}`` for a dataset, all days."""
    rows = model.Session.query(Usage.channel, sa.func.sum(Usage.count)).filter(
        Usage.package_id == package_id).group_by(Usage.channel).all()
    totals = {channel: 0 for channel in CHANNELS}
    totals.update({channel: int(n) for channel, n in rows})
    return totals


def resource_totals(resource_id: str) -> dict[str, int]:
    """``{"view": n, "download": n, "api": n}`` for one resource, all days."""
    rows = model.Session.query(Usage.channel, sa.func.sum(Usage.count)).filter(
        Usage.resource_id == resource_id).group_by(Usage.channel).all()
    totals = {channel: 0 for channel in CHANNELS}
    totals.update({channel: int(n) for channel, n in rows})
    return totals


def _target(endpoint: str, view_args: dict[str, Any]) -> tuple[Optional[str], Optional[str]]:
    """(package id, resource id) of a counted request, or (None, None)."""
    if endpoint == "dataset.read":
        pkg = model.Package.get(view_args.get("id") or "")
        return (pkg.id, None) if pkg is not None and pkg.state == "active" else (None, None)
    if endpoint in ("resource.read", "dataset_resource.read", "resource.download",
                    "dataset_resource.download"):
        res = model.Resource.get(view_args.get("resource_id") or "")
        return (res.package_id, res.id) if res is not None else (None, None)
    if endpoint == "datastore.dump":
        res = model.Resource.get(view_args.get("resource_id") or "")
        return (res.package_id, res.id) if res is not None else (None, None)
    if endpoint.startswith("file."):
        from ckanext.lyg_opendata.access.enforcement.guard import _target as file_target
        pkg, resource_id = file_target()
        return (pkg.id, resource_id) if pkg is not None else (None, None)
    return None, None


def _api_target() -> tuple[Optional[str], Optional[str]]:
    args = tk.request.args.to_dict()
    if not args.get("resource_id"):
        body = tk.request.get_json(silent=True)
        if isinstance(body, dict):
            args = body
    rid = args.get("resource_id")
    res = model.Resource.get(rid) if isinstance(rid, str) and rid else None
    return (res.package_id, res.id) if res is not None else (None, None)


def count_response(response):
    """``after_app_request``: count the answered request, return the response unchanged."""
    try:
        if tk.request.method not in ("GET", "POST") or response.status_code >= 400:
            return response
        endpoint = tk.request.endpoint or ""
        view_args = tk.request.view_args or {}
        if endpoint == "api.action":
            if view_args.get("logic_function") not in API_ACTIONS:
                return response
            pkg_id, res_id = _api_target()
            channel = "api"
        elif endpoint in VIEW_ENDPOINTS:
            if tk.request.method != "GET":
                return response
            pkg_id, res_id = _target(endpoint, view_args)
            channel = "view"
        elif endpoint in DOWNLOAD_ENDPOINTS:
            pkg_id, res_id = _target(endpoint, view_args)
            channel = "download"
        else:
            return response
        if pkg_id:
            add(pkg_id, res_id, channel)
    except Exception:  # never in the way of the answer
        log.exception("usage count failed")
    return response
