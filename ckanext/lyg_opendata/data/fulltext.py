"""Chinese ``q`` in ``datastore_search`` (IDatastore).

The DataStore's full-text search (``_full_text @@ plainto_tsquery(lang, q)``) uses
PostgreSQL's parser, which does not split Chinese: a cell 苏宁广场地下停车场 is one lexeme, and
``q=停车场`` finds nothing. No Chinese parser (zhparser, pg_jieba) is available here, and
the project adds no PostgreSQL extension. So a ``q`` holding Chinese characters is answered
as a substring search of the row instead: every whitespace-separated term must occur in
the row — a term with Chinese characters as a substring of one of the row's text columns
(``"col" LIKE '%term%' OR …``, ILIKE when the term has Latin letters, LIKE's wildcards
escaped; only text columns can hold Chinese characters), any other term through the usual ``plainto_tsquery``. It reads the whole table
(no index helps a substring): docs/data.md has the figures at 100,000 rows. The rows come in ``_id``
order (there is no rank; ``sort`` applies as usual). ``q`` without Chinese characters and ``q`` given per column
(a dict), with ``full_text`` or with ``plain: false`` (tsquery syntax, e.g. the prefix
search ``停车场:*``) are the DataStore's own.

Measured in bench/data_load.py (``datastore_search`` p95 with ``q``, 100,000 rows).
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _clauses(q: str, lang: str, text_columns: list[str]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for i, term in enumerate(q.split()[:10]):
        name = f"lyg_q_{i}"
        if CJK.search(term):
            # LIKE is about 3x faster than ILIKE; case matters only for Latin letters
            op = "ILIKE" if re.search(r"[A-Za-z]", term) else "LIKE"
            cells = " OR ".join(f"{_q(c)} {op} :{name}" for c in text_columns)
            out.append((f"({cells or 'false'})", {name: _like(term)}))
        else:
            out.append((f"_full_text @@ plainto_tsquery(:{name}_lang, :{name})",
                        {name: term, f"{name}_lang": lang}))
    return out


def _q(name: str) -> str:
    return '"%s"' % name.replace('"', '""')


def datastore_search(context, data_dict: dict[str, Any], fields_types: dict[str, str],
                     query_dict: dict[str, Any]) -> dict[str, Any]:
    """Runs after the DataStore's own hook (``viewplugins.LygChartView``): its full-text
    clause, rank and ``ts_query`` for the Chinese ``q`` are replaced by ``_clauses``."""
    q = data_dict.get("q")
    if not isinstance(q, str) or data_dict.get("full_text") or not CJK.search(q) \
            or data_dict.get("plain", True) is False:  # tsquery syntax: the DataStore's own
        return query_dict
    lang = data_dict.get("language") or tk.config.get("ckan.datastore.default_fts_lang") \
        or "english"
    own = '_full_text @@ "query"'
    query_dict["where"] = [c for c in query_dict.get("where", []) if c[0] != own]
    query_dict["ts_query"] = ""
    query_dict["select"] = [s for s in query_dict.get("select", []) if '"query"' not in s]
    query_dict["sort"] = [s for s in query_dict.get("sort", []) if '"query"' not in s]
    fields_types.pop("rank", None)
    # only text columns hold Chinese characters
    text_columns = [c for c, t in fields_types.items() if t == "text" and not c.startswith("_")]
    query_dict.setdefault("where", []).extend(_clauses(q, lang, text_columns))
    return query_dict
