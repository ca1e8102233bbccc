"""Template helpers that show stored values in the UI language at render time.

Registered through ``helpers.py`` (its ``__all__``):

- ``render_datetime`` chains CKAN's core helper of the same name: with hours, CKAN formats
  ``MMMM d, YYYY, HH:mm (z)`` (English word order, a week-based year); in Chinese this gives
  2026年11月26日 14:30 in the display timezone (``ckan.display_timezone``, Beijing). Every
  other call (a ``date_format``, the date alone, another language) goes to core unchanged.
- ``lyg_opendata_localised_license`` gives a dataset dict whose ``license_title`` comes from
  the licence register now: the title CKAN stores in the search index was translated in
  the language of the indexing request (English, outside any request).
"""
from __future__ import annotations

import datetime
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
import pytz
from flask_babel import format_date, format_time, get_locale

from ckan import model


def _chinese() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "zh"


def _to_display_timezone(value: Any) -> Optional[datetime.datetime]:
    if isinstance(value, str):
        try:
            value = tk.h.date_str_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if not isinstance(value, datetime.datetime):
        return None
    if value.tzinfo is None:               # CKAN stores UTC
        value = value.replace(tzinfo=pytz.utc)
    return value.astimezone(tk.h.get_display_timezone())


@tk.chained_helper
def render_datetime(next_helper: Callable[..., str], datetime_: Any,
                    date_format: Optional[str] = None, with_hours: bool = False,
                    with_seconds: bool = False) -> str:
    """CKAN's ``h.render_datetime``, with hours the Chinese way: 2026年11月26日 14:30."""
    if date_format or not (with_hours or with_seconds) or not _chinese():
        return next_helper(datetime_, date_format=date_format, with_hours=with_hours,
                           with_seconds=with_seconds)
    value = _to_display_timezone(datetime_)
    if value is None:
        return ""
    time_pattern = "HH:mm:ss" if with_seconds else "HH:mm"
    return f"{format_date(value, 'long', rebase=False)} " \
           f"{format_time(value, time_pattern, rebase=False)}"


def lyg_opendata_localised_license(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``pkg_dict`` with the licence title of the licence register in the UI language."""
    license_id = pkg_dict.get("license_id")
    license = model.Package.get_license_register().get(license_id) if license_id else None
    if license is None:
        return pkg_dict
    return dict(pkg_dict, license_title=license.title)
