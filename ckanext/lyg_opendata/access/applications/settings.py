"""The settings of applications (``ckanext.lyg_opendata.applications.*``, declared in
config_declaration.yaml): the answer deadline and the reminder before it, the longest term,
the minimum lengths of the form's texts, the privacy notice's version."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

CONFIG = "ckanext.lyg_opendata.applications."


def deadline_workdays() -> int:
    return int(tk.config.get(CONFIG + "deadline_workdays"))


def reminder_workdays() -> int:
    return int(tk.config.get(CONFIG + "reminder_workdays"))


def max_term_years() -> int:
    return int(tk.config.get(CONFIG + "max_term_years"))


def min_length(field: str) -> int:
    return int(tk.config.get(CONFIG + f"{field}_min_length"))


def privacy_notice_version() -> str:
    return tk.config.get(CONFIG + "privacy_notice_version")


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
