"""navl schemas and validators of objections and reports."""
from __future__ import annotations


import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections import codes, workflow
from ckanext.lyg_opendata import validation
from ckanext.lyg_opendata.validation import max_length  # noqa: F401  (schema.max_length)
from ckanext.lyg_opendata.validation import one_of as choice
from ckanext.lyg_opendata.validation import validate  # noqa: F401  (schema.validate)

_ = tk._


def v(name: str):
    return tk.get_validator(name)


def min_length(n: int | None = None):
    """At least ``n`` characters (default: the configured minimum for descriptions)."""
    return validation.min_length(
        n if n is not None else tk.config.get("ckanext.lyg_opendata.objections.min_length"))


def no_blocked_words(value, context):
    word = workflow.blocked_word(value)
    if word:
        raise tk.Invalid(_("The text contains a word that is not allowed: %s") % word)
    return value


one_of = codes.one_of


def text(required: bool = True, minimum: int | None = 2, maximum: int = 5000) -> list:
    first = [v("not_empty")] if required else [v("ignore_missing")]
    checks = [min_length(minimum)] if required else []
    return first + [v("unicode_safe")] + checks + [max_length(maximum), no_blocked_words]


def id_schema() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def create_schema() -> dict:
    return {
        "package_id": [v("not_empty"), v("unicode_safe")],
        "type": [v("not_empty"), v("unicode_safe"), one_of("type")],
        "description": text(minimum=None),
        "resource_id": [v("ignore_missing"), v("unicode_safe")],
        "data_item_code": [v("ignore_missing"), v("unicode_safe"), max_length(100)],
        "contact": [v("ignore_missing"), v("unicode_safe"), max_length(200), no_blocked_words],
        "evidence": [v("ignore_missing")],
    }


def reason_schema(required: bool = True) -> dict:
    return {**id_schema(), "reason": text(required=required)}


def answer_schema() -> dict:
    return {
        **id_schema(),
        "outcome": [v("not_empty"), v("unicode_safe"), one_of("outcome")],
        "explanation": text(),
        "activity_id": [v("ignore_missing"), v("unicode_safe")],
        "public": [v("default")(True), v("boolean_validator")],
    }


def dispute_schema() -> dict:
    return {**reason_schema(), "escalate": [v("default")(False), v("boolean_validator")]}


def merge_schema() -> dict:
    return {**reason_schema(required=False), "merge_into": [v("not_empty"), v("unicode_safe")]}


def reassign_schema() -> dict:
    return {**reason_schema(), "organization": [v("not_empty"), v("unicode_safe")]}


LIST_MAX = "ckanext.lyg_opendata.objections.list_max"


def page_schema() -> dict:
    """``limit`` (default and maximum: ``objections.list_max``) and ``offset`` of a list."""
    most = tk.config.get(LIST_MAX)
    return {"limit": [v("default")(most), v("natural_number_validator"),
                      v("limit_to_configured_maximum")(LIST_MAX, most)],
            "offset": [v("default")(0), v("natural_number_validator")]}


def queue_schema() -> dict:
    return {
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "status": [v("ignore_missing"), v("unicode_safe"), codes.one_of("status", "open", "all")],
        "overdue": [v("ignore_missing"), v("boolean_validator")],
        "package_id": [v("ignore_missing"), v("unicode_safe")],
        **page_schema(),
    }


def report_create_schema() -> dict:
    return {
        "package_id": [v("ignore_missing"), v("unicode_safe")],
        "reported_party": text(minimum=2, maximum=300),
        "description": text(minimum=None),
        "contact": [v("ignore_missing"), v("unicode_safe"), max_length(200), no_blocked_words],
    }


def report_update_schema() -> dict:
    return {**id_schema(),
            "action": [v("not_empty"), v("unicode_safe"), choice(("handle", "note", "close"))],
            "text": text()}


