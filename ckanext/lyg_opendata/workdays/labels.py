"""Words for the calendar's days in the UI language (pages and CLI output)."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.workdays.model import HOLIDAY, WORKDAY

_ = tk._


def kind_label(kind: str) -> str:
    return {HOLIDAY: _("Statutory holiday"), WORKDAY: _("Makeup working day")}.get(kind, kind)


def weekday_label(day: dt.date) -> str:
    """The abbreviated weekday in the UI language (周四, Thu)."""
    try:
        import flask_babel
        return flask_babel.format_date(day, "EEE")
    except Exception:  # no app context: outside CKAN
        return day.strftime("%a")
