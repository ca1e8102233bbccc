"""The schemas of the agreement, grant and usage-report actions: their limits, validators
and field-level errors."""
from __future__ import annotations

from typing import Any


import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.agreements import texts as agreement_texts
from ckanext.lyg_opendata.validation import one_of
from ckanext.lyg_opendata.validation import validate  # noqa: F401  (schema.validate)

_ = tk._


SCOPES = ("mine", "agency", "all")
MAX_TITLE = 200
MAX_BODY = 50000
MIN_REASON = 5
MAX_TEXT = 5000
# usage report fields: (minimum, maximum) characters
REPORT_LENGTHS = {"usage": (20, MAX_TEXT), "results": (10, MAX_TEXT), "incidents": (1, MAX_TEXT)}
GRANT_STATUSES = ("pending", "active", "expired", "revoked")
REPORT_STATUSES = ("upcoming", "due", "overdue", "submitted", "missing")


# --- validators ------------------------------------------------------------------------

def length(minimum: int, maximum: int):
    def check(value: Any, context) -> str:
        value = (value or "").strip() if isinstance(value, str) else value
        if not isinstance(value, str):
            raise tk.Invalid(_("Must be text"))
        if len(value) < minimum:
            raise tk.Invalid(_("At least %d characters") % minimum)
        if len(value) > maximum:
            raise tk.Invalid(_("At most %d characters") % maximum)
        return value
    return check


def template_body(value: str, context) -> str:
    errors = agreement_texts.template_errors(value)
    if errors:
        raise tk.Invalid("; ".join(errors))
    return value


def must_be_true(value: Any, context):
    if value is not True:
        raise tk.Invalid(_("Tick the box to accept the agreement"))
    return value


def id_schema() -> dict:
    v = tk.get_validator
    return {"id": [v("not_empty"), v("unicode_safe")]}


def list_schema(statuses) -> dict:
    v = tk.get_validator
    return {
        "scope": [v("default")("mine"), one_of(SCOPES)],
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "package_id": [v("ignore_missing"), v("unicode_safe")],
        "status": [v("ignore_missing"), one_of(statuses)],
        "limit": [v("default")(100), v("natural_number_validator"), v("int_validator")],
        "offset": [v("default")(0), v("natural_number_validator"), v("int_validator")],
    }


# --- model texts -----------------------------------------------------------------------

def template_schema() -> dict:
    v = tk.get_validator
    return {
        "title": [v("not_empty"), v("unicode_safe"), length(1, MAX_TITLE)],
        "body": [v("not_empty"), v("unicode_safe"), length(1, MAX_BODY), template_body],
        "note": [v("ignore_missing"), v("unicode_safe"), length(0, 1000)],
    }
