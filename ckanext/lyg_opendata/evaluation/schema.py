"""navl schemas of rectification notices."""
from __future__ import annotations


import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.evaluation import workflow
from ckanext.lyg_opendata.objections.schema import max_length, min_length, no_blocked_words
from ckanext.lyg_opendata.validation import one_of, whole_number
from ckanext.lyg_opendata.validation import validate  # noqa: F401  (schema.validate)

_ = tk._


def v(name: str):
    return tk.get_validator(name)


def text(required: bool = True, maximum: int = 10000) -> list:
    first = [v("not_empty")] if required else [v("ignore_missing")]
    checks = [min_length(2)] if required else []
    return first + [v("unicode_safe")] + checks + [max_length(maximum), no_blocked_words]


_ground = one_of(workflow.GROUNDS)
_status = one_of(("open", "all", *workflow.STATUSES))


_days = whole_number(
    1, workflow.MAX_DEADLINE_DAYS,
    lambda: _("Please enter a whole number of working days"),
    lambda: _("Please enter between 1 and %d working days") % workflow.MAX_DEADLINE_DAYS)


def issue_schema() -> dict:
    return {
        "organization": [v("not_empty"), v("unicode_safe")],
        "ground": [v("not_empty"), v("unicode_safe"), _ground],
        "findings": text(),
        "requirement": text(),
        "deadline_days": [v("default")(workflow.DEFAULT_DEADLINE_DAYS), _days],
    }


def prefill_schema() -> dict:
    return {"organization": [v("not_empty"), v("unicode_safe")],
            "ground": [v("not_empty"), v("unicode_safe"), _ground]}


def transition_schema() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")], "text": text()}


def list_schema() -> dict:
    return {"organization": [v("ignore_missing"), v("unicode_safe")],
            "status": [v("default")("open"), v("unicode_safe"), _status],
            "overdue": [v("default")(False), v("boolean_validator")]}


_year = whole_number(2000, 2100, lambda: _("Please enter a year such as 2026"))


def scorecard_schema() -> dict:
    return {"year": [v("ignore_missing"), v("ignore_empty"), _year]}


