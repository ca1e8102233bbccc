"""Search tuning: the configured minimum-match, and the clock-dependent "overdue" filter.

The analysis itself (CJK bigrams, folding) lives in the Solr schema (``solr/configset/conf``);
here we adjust the query parameters CKAN sends to Solr and fill the title's pinyin.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.query import QUERY_FIELDS

from ckanext.lyg_opendata.catalog import freshness
from ckanext.lyg_opendata.validation import max_length

_ = tk._

# /dataset/?overdue=true becomes fq overdue:"true"; the index holds the due date instead
_OVERDUE = re.compile(r'\+?overdue:"?(true|1)"?')


PACKAGES_ONLY = "+entity_type:package"


def adjust_search_params(search_params: dict[str, Any]) -> dict[str, Any]:
    """Apply the configured ``mm`` and turn the overdue filter into a range on the due date
    (so "overdue" follows the clock, not the last edit)."""
    mm = tk.config.get("ckanext.lyg_opendata.search.mm")
    if mm and "mm" not in search_params:
        search_params["mm"] = mm
    if "qf" not in search_params:
        search_params["qf"] = f"{QUERY_FIELDS} {PINYIN_QF}"
    # datasets only: the index also holds other documents (data requests, participation/
    # search.py), and a caller's own "+state:" filter takes CKAN's state filter away. A
    # separate filter query: appended to ``fq`` a required clause would make the caller's
    # optional clauses optional
    fq_list = search_params.get("fq_list") or []
    if isinstance(fq_list, str):
        fq_list = [fq_list]
    if PACKAGES_ONLY not in fq_list:
        search_params["fq_list"] = [*fq_list, PACKAGES_ONLY]
    fq = search_params.get("fq") or ""
    if _OVERDUE.search(fq):
        search_params["fq"] = _OVERDUE.sub("+" + freshness.overdue_fq(), fq)
    return search_params


# --- pinyin -------------------------------------------------------------------------------
# Query fields: CKAN's defaults plus the title's pinyin at a low weight (docs/search.md: measured not to change the results of English queries).
PINYIN_QF = "title_pinyin^0.5"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_MAX_SYLLABLES = 8


def title_pinyin(title: str) -> list[str]:
    """The values of the ``title_pinyin`` field: every run of two to eight syllables of the
    title's Han text, as full pinyin and as initials (停车场 → tingche, tingchechang,
    chechang, tc, tcc, cc). A query matches a value whole, so it has to start and end at a
    syllable boundary: ``tingchechang`` and ``tcc`` find 停车场, ``bus`` does not find 步深."""
    from pypinyin import Style, lazy_pinyin

    values: list[str] = []
    for run in _HAN_RUN.findall(title or ""):
        syllables = [s for s in lazy_pinyin(run, style=Style.NORMAL) if s.isascii() and s.isalpha()]
        for i in range(len(syllables)):
            for j in range(i + 2, min(i + _MAX_SYLLABLES, len(syllables)) + 1):
                values.append("".join(syllables[i:j]))
                values.append("".join(s[0] for s in syllables[i:j]))
    return list(dict.fromkeys(values))


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict["title_pinyin"] = title_pinyin(pkg_dict.get("title") or "")
    return pkg_dict


# --- suggestions as you type, "did you mean" -----------------------------------------------
SUGGEST_MAX_Q = 100
SUGGEST_QF = f"title^4 title_ngram^2 {PINYIN_QF}"


def _suggest_schema() -> dict[str, Any]:
    not_empty = tk.get_validator("not_empty")
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    int_validator = tk.get_validator("int_validator")
    return {"q": [not_empty, unicode_safe, max_length(SUGGEST_MAX_Q)],
            "limit": [ignore_missing, int_validator, _between(1, 20)]}


def _between(low: int, high: int):
    def validator(value: Any) -> Any:
        if isinstance(value, int) and not low <= value <= high:
            raise tk.Invalid(tk._("Must be between {low} and {high}").format(low=low, high=high))
        return value
    return validator


@tk.side_effect_free
def lyg_opendata_search_suggest(context: dict, data_dict: dict) -> dict[str, Any]:
    """Title completions for a search box: the datasets (the caller may see) whose title
    contains what was typed — Chinese substrings, numbers, Latin words, traditional forms,
    title pinyin and initials, partial Latin words through CKAN's ``title_ngram``.

    :param q: what was typed (1–100 characters)
    :param limit: how many (1–20, default 8)
    :returns: ``{"suggestions": [{"name": …, "title": …}, …]}``
    """
    data, errors = tk.navl_validate(data_dict, _suggest_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("lyg_opendata_search_suggest", context, data)
    q = " ".join(data["q"].split())
    if not q:
        return {"suggestions": []}
    result = tk.get_action("package_search")(
        {**context, "ignore_auth": False},
        {"q": q, "qf": SUGGEST_QF, "fl": "name,title", "rows": data.get("limit") or 8,
         "include_private": True, "facet": "false"})
    return {"suggestions": [{"name": r["name"], "title": r["title"]}
                            for r in result["results"]]}


_WORD = re.compile(r"[A-Za-z]+|\d+")


def relaxed_query(q: str) -> str | None:
    """The query of "did you mean": the bigrams of the Han text (停车厂 → 停车 车厂), the
    numbers and Latin words, as separate terms of which 60 % must match (mm)."""
    terms: list[str] = []
    for run in _HAN_RUN.findall(q):
        terms += [run[i:i + 2] for i in range(len(run) - 1)] or [run]
    terms += _WORD.findall(q)
    return " ".join(dict.fromkeys(terms)) if len(terms) > 1 else None


def did_you_mean(q: str) -> str | None:
    """For a search with no result: the title of the best match of a relaxed query (most of
    the query's bigrams and words), or None. The caller's permissions apply (package_search)."""
    q = " ".join((q or "").split())[:SUGGEST_MAX_Q]
    relaxed = relaxed_query(q) if q and ":" not in q else None
    if not relaxed:
        return None
    result = tk.get_action("package_search")({}, {
        "q": relaxed, "mm": "60%", "qf": "title", "fl": "name,title", "rows": 1,
        "include_private": True, "facet": "false"})
    if not result["results"]:
        return None
    title = result["results"][0]["title"]
    return None if title == q else title


@tk.auth_allow_anonymous_access
def lyg_opendata_search_suggest_auth(context: dict, data_dict: dict) -> dict[str, bool]:
    """Whoever may search may get suggestions (package_search's rule); what is suggested is
    limited to the datasets the caller may see."""
    return tk.check_access("package_search", context, data_dict) and {"success": True}


# --- the "overdue" filter of the dataset search page ---------------------------------------

def _search_fq_from_request() -> str:
    """The filter query CKAN's dataset search builds from the page's parameters."""
    fq = ""
    for param, value in tk.request.args.items(multi=True):
        if param in ("q", "page", "sort", "overdue") or not value or param.startswith(("_", "ext_")):
            continue
        fq += ' %s:"%s"' % (param, value)
    return fq + " +dataset_type:dataset"


def _count_overdue(q: str, fq: str, include_private: bool) -> int:
    """How many datasets of the page's search are overdue: one row-less count in Solr, with
    the searcher's permission labels. Not a second ``package_search``: the page's search is
    the only one, so every extension's search hooks run once per page."""
    from ckan.lib import search as ckan_search
    from ckan.lib.plugins import get_permission_labels

    user = model.User.get(tk.current_user.name) if tk.current_user.is_authenticated else None
    labels = None if user is not None and user.sysadmin else \
        get_permission_labels().get_user_dataset_labels(user)
    params = adjust_search_params({"q": q, "fq": f"{fq} +overdue:true".strip()})
    if not tk.asbool(include_private):
        params["fq"] = "+capacity:public " + params["fq"]
    query = ckan_search.query_for(model.Package)
    query.run(dict(params, rows=0, fl="id", facet="false"), permission_labels=labels)
    return query.count


def overdue_filter(search_facets: Optional[dict], facet_titles: Optional[dict],
                   item_count: Optional[int]) -> dict[str, Any]:
    """The "已逾期未更新" block of the search sidebar: the count of overdue datasets within
    the current search, whether the filter is on, and the facets with the filter's title
    and label added (for the pill of the active filter)."""
    cached = getattr(tk.g, "_lyg_overdue_filter", None)
    if cached is not None:
        return cached
    active = tk.request.args.get("overdue") in ("true", "1")
    title = _("Freshness")
    label = _("Overdue, not yet updated")
    if active:
        count = item_count or 0
    else:
        try:
            count = _count_overdue(tk.request.args.get("q", ""), _search_fq_from_request(),
                                   tk.config.get("ckan.search.default_include_private"))
        except Exception:  # a query Solr rejects: the search page shows its own error
            count = 0
    items = [{"name": "true", "display_name": label, "count": count, "active": active}]
    facets = dict(search_facets or {})
    facets["overdue"] = {"title": title, "items": items}
    titles = dict(facet_titles or {})
    titles["overdue"] = title
    result = {"title": title, "facet_items": items, "count": count, "active": active,
              "search_facets": facets, "facet_titles": titles}
    tk.g._lyg_overdue_filter = result
    return result
