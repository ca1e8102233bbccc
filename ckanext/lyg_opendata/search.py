"""Search tuning: the configured minimum-match, and the clock-dependent "overdue" filter.

The analysis itself (CJK bigrams) lives in the Solr schema (``solr/configset/conf``);
here we only adjust the query parameters CKAN sends to Solr.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.catalog import freshness

# /dataset/?overdue=true becomes fq overdue:"true"; the index holds the due date instead
_OVERDUE = re.compile(r'\+?overdue:"?(true|1)"?')


def adjust_search_params(search_params: dict[str, Any]) -> dict[str, Any]:
    """Apply the configured ``mm`` and turn the overdue filter into a range on the due date
    (so "overdue" follows the clock, not the last edit)."""
    mm = tk.config.get("ckanext.lyg_opendata.search.mm")
    if mm and "mm" not in search_params:
        search_params["mm"] = mm
    fq = search_params.get("fq") or ""
    if _OVERDUE.search(fq):
        search_params["fq"] = _OVERDUE.sub("+" + freshness.overdue_fq(), fq)
    return search_params
