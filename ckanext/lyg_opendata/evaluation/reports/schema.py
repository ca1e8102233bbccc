"""The schemas of the evaluation report actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.evaluation import schema as base_schema
from ckanext.lyg_opendata.evaluation.reports.figures import MAX_SUGGESTION_LENGTH, MAX_SUGGESTIONS

_ = tk._


def _year(value, context):
    return base_schema._year(value, context)


def _suggestions(value, context):
    """A list of texts, or one text with a suggestion per line; blank lines dropped."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(_("Send the suggestions as a list of texts"))
    items = [v.strip() for v in value if v.strip()]
    if len(items) > MAX_SUGGESTIONS:
        raise tk.Invalid(_("At most %d suggestions") % MAX_SUGGESTIONS)
    for item in items:
        if len(item) > MAX_SUGGESTION_LENGTH:
            raise tk.Invalid(_("A suggestion may have at most %d characters")
                             % MAX_SUGGESTION_LENGTH)
        base_schema.no_blocked_words(item, context)
    return items


def _v(name: str):
    return tk.get_validator(name)


def generate_schema() -> dict:
    return {"year": [_v("not_empty"), _year],
            "title": [_v("ignore_missing"), _v("ignore_empty"), _v("unicode_safe"),
                      base_schema.min_length(4), base_schema.max_length(200),
                      base_schema.no_blocked_words]}


def update_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")],
            "title": [_v("ignore_missing"), _v("unicode_safe"), _v("not_empty"),
                      base_schema.min_length(4), base_schema.max_length(200),
                      base_schema.no_blocked_words],
            "commentary": [_v("ignore_missing"), _v("unicode_safe"),
                           base_schema.max_length(20000), base_schema.no_blocked_words],
            "suggestions": [_v("ignore_missing"), _suggestions]}


def id_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")],
            "text": [_v("ignore_missing"), _v("unicode_safe"), base_schema.max_length(2000)]}


def list_schema() -> dict:
    return {"year": [_v("ignore_missing"), _v("ignore_empty"), _year]}

