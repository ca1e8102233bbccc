"""Freshness (Art 15, 39): when a dataset's next update falls due, and which are overdue.

The due date is indexed; "overdue" is decided at query time against the clock
(``update_due_date:[* TO NOW]``), so it changes with time, not with edits.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import vocab

OVERDUE_FQ = "update_due_date:[* TO NOW]"


def _parse(value: Any) -> Optional[dt.datetime]:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", ""))
    except ValueError:
        return None


def effective_data_updated(pkg: dict[str, Any]) -> Optional[dt.datetime]:
    """数据更新时间: the declared date, else the last change of a data resource, else
    the dataset's creation."""
    declared = _parse(pkg.get("data_updated"))
    if declared:
        return declared
    stamps = [_parse(r.get("last_modified") or r.get("created")) for r in pkg.get("resources") or []]
    stamps = [s for s in stamps if s]
    if stamps:
        return max(stamps)
    return _parse(pkg.get("metadata_created"))


def due_date(pkg: dict[str, Any]) -> Optional[dt.datetime]:
    """When the next update falls due (UTC), or None for 不定期 / 不更新 / unknown."""
    period = vocab.FREQUENCY_PERIOD.get(pkg.get("update_frequency") or "")
    updated = effective_data_updated(pkg)
    if period is None or updated is None:
        return None
    due = updated + period
    if pkg.get("update_frequency") in ("realtime", "daily"):
        due += dt.timedelta(hours=tk.config.get("ckanext.lyg_opendata.freshness.grace_hours"))
    return due


def is_overdue(pkg: dict[str, Any], now: Optional[dt.datetime] = None) -> bool:
    due = due_date(pkg)
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return due is not None and due <= now
