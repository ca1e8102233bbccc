"""Search tuning for Chinese queries.

The analysis itself (CJK bigrams) lives in the Solr schema (``solr/configset/conf``);
here we only adjust the query parameters CKAN sends to Solr.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def adjust_search_params(search_params: dict[str, Any]) -> dict[str, Any]:
    """Apply the configured minimum-match for free-text queries.

    CKAN's default ``mm`` (``2<-1 5<80%``) counts whitespace-separated query terms; each
    Chinese term is already an exact phrase of bigrams (``autoGeneratePhraseQueries``),
    so the default works. The option lets an operator tune it without code.
    """
    mm = tk.config.get("ckanext.lyg_opendata.search.mm")
    if mm and "mm" not in search_params:
        search_params["mm"] = mm
    return search_params
