"""navl schemas of participation; texts go through the objections' word filter and limits
(shared, not copied: ``objections.schema``)."""
from __future__ import annotations

from urllib.parse import urlparse

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections.schema import max_length, min_length, no_blocked_words, v
from ckanext.lyg_opendata.participation import codes
from ckanext.lyg_opendata.validation import boolean, iso_date, whole_number
from ckanext.lyg_opendata.validation import validate  # noqa: F401  (schema.validate)

_ = tk._


def is_text(value, context):
    """Text only: a list or a number is refused, not turned into its repr."""
    if value is not None and not isinstance(value, str):
        raise tk.Invalid(_("Give text"))
    return value


def text(required: bool = True, minimum: int | None = 2, maximum: int = 5000) -> list:
    first = [v("not_empty")] if required else [v("ignore_missing")]
    checks = [min_length(minimum)] if required else []
    return first + [is_text, v("unicode_safe")] + checks + [max_length(maximum), no_blocked_words]


one_of = codes.one_of


a_date = iso_date


def web_url(value, context):
    if value is not None and not isinstance(value, str):
        raise tk.Invalid(_("Give a web address starting with http:// or https://"))
    value = (value or "").strip()
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(value) > 500:
        raise tk.Invalid(_("Give a web address starting with http:// or https://"))
    return value


def id_list(value, context):
    """Dataset ids or names: a list, or one text with commas or spaces between them."""
    if isinstance(value, str):
        value = [p for p in value.replace(",", " ").split() if p]
    if not isinstance(value, (list, tuple)) or not all(isinstance(p, str) for p in value) \
            or len(value) > 20:
        raise tk.Invalid(_("Give at most 20 datasets by name or id"))
    return list(value)


score = whole_number(1, 5, lambda: _("Give a whole number from 1 to 5"))


def id_schema() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def create_schema() -> dict:
    return {
        "title": text(minimum=4, maximum=200),
        "description": text(minimum=None),
        "purpose": text(required=False, maximum=2000),
        "data_format": [v("ignore_missing"), is_text, v("unicode_safe"), one_of("format")],
        "frequency": [v("ignore_missing"), is_text, v("unicode_safe"), one_of("frequency")],
        "organization": [v("ignore_missing"), is_text, v("unicode_safe")],
        "show_name": [v("ignore_missing"), boolean],
        "contact": [v("ignore_missing"), is_text, v("unicode_safe"), max_length(200),
                    no_blocked_words],
    }


def route_schema() -> dict:
    return {**id_schema(), "organization": [v("not_empty"), v("unicode_safe")],
            "comment": text(required=False, maximum=2000)}


def claim_schema() -> dict:
    return {**id_schema(), "organization": [v("ignore_missing"), is_text, v("unicode_safe")]}


def answer_schema() -> dict:
    return {
        **id_schema(),
        "answer": [v("not_empty"), is_text, v("unicode_safe"), one_of("answer")],
        "text": text(required=False, maximum=5000),
        "planned_date": [v("ignore_missing"), a_date],
        "datasets": [v("ignore_missing"), id_list],
        "application_url": [v("ignore_missing"), web_url],
        "legal_basis": [v("ignore_missing"), is_text, v("unicode_safe"), one_of("legal_basis")],
    }


def reason_schema(field: str = "reason") -> dict:
    return {**id_schema(), field: text()}


def list_schema() -> dict:
    return {
        "status": [v("ignore_missing"), v("unicode_safe")],
        "organization": [v("ignore_missing"), is_text, v("unicode_safe")],
        "package_id": [v("ignore_missing"), v("unicode_safe")],
        "q": [v("ignore_missing"), v("unicode_safe"), max_length(200)],
        "sort": [v("ignore_missing"), v("unicode_safe"), one_of("sort")],
        "overdue": [v("ignore_missing"), boolean],
        "mine": [v("ignore_missing"), boolean],
        "limit": [v("ignore_missing"), v("natural_number_validator")],
        "offset": [v("ignore_missing"), v("natural_number_validator")],
    }


def rating_schema() -> dict:
    return {
        "package_id": [v("not_empty"), is_text, v("unicode_safe")],
        "quality": [v("not_empty"), score],
        "timeliness": [v("not_empty"), score],
        "usability": [v("not_empty"), score],
        "comment": text(required=False, maximum=2000),
    }
