"""Data requests in the Solr index: Chinese search of the public list (数据需求).

No schema change: a request is a document of its own ``entity_type`` (``data_request``) in
the portal's core, beside the datasets, with fields the schema already has — ``title`` and
``notes`` (the ``text`` type: Chinese per character, traditional folded to simplified,
synonyms), ``title_pinyin`` (as for datasets) and ``metadata_created``. The documents carry
no ``state`` and no ``permission_labels``, so no dataset search (``+state:active``, CKAN's
``PackageSearchQuery``) ever returns them.

What is indexed is what the public reads: the title, the details and the purpose. Never the
requester, the contact, the supervisors' reasons or the timeline. A withdrawn or hidden
request is removed from the index (the list still finds those for whoever may see them, by a
plain SQL match, ``UNINDEXED``). Solr only says which requests match and in what order; the
list action filters and authorises on the database rows.

Written after each action of a request (``@workflow.after`` receiver: a failure is logged,
the action stands; ``ckan lyg-opendata data-requests reindex`` repairs), and all at once by
that command (``reindex``), which also drops documents of requests that are gone.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Callable, Iterable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

from ckanext.lyg_opendata import search as dataset_search
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.participation.model import DataRequest

log = logging.getLogger(__name__)

ENTITY_TYPE = "data_request"
UNINDEXED = frozenset({"withdrawn", "hidden"})
QF = f"title^4 notes {dataset_search.PINYIN_QF}"
MAX_HITS = 2000          # ids asked of Solr for one search (the list pages them itself)
BATCH = 200              # documents per request to Solr when reindexing


def _site() -> str:
    return tk.config.get("ckan.site_id")


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _scope() -> str:
    return f"+entity_type:{ENTITY_TYPE} +site_id:{_literal(_site())}"


def _commit() -> bool:
    return bool(tk.config.get("ckan.search.solr_commit"))


def document(req: DataRequest) -> dict[str, Any]:
    """The Solr document of a request: public text only."""
    notes = "\n\n".join(t for t in (req.description, req.purpose) if t)
    return {
        "id": req.id,
        "index_id": hashlib.md5(f"{ENTITY_TYPE}{req.id}{_site()}".encode()).hexdigest(),
        "site_id": _site(),
        "entity_type": ENTITY_TYPE,
        "title": req.title,
        "notes": notes,
        "title_pinyin": dataset_search.title_pinyin(req.title or ""),
        "metadata_created": req.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def indexable(req: DataRequest) -> bool:
    return req.status not in UNINDEXED


def sync(req: DataRequest) -> None:
    """Index the request, or remove it when it is withdrawn or hidden."""
    conn = make_connection(decode_dates=False)
    if indexable(req):
        conn.add([document(req)], commit=_commit())
    else:
        conn.delete(q=f"{_scope()} +id:{_literal(req.id)}", commit=_commit())


@shared.after(*(f"lyg_opendata_data_request_{verb}" for verb in (
    "create", "route", "claim", "answer", "supplement", "withdraw", "hide")))
def after_write(context, data_dict, result) -> None:
    rid = result.get("id") if isinstance(result, dict) else None
    req = model.Session.get(DataRequest, rid) if rid else None
    if req is not None:
        sync(req)


def matching_ids(q: str, rows: int = MAX_HITS) -> list[str]:
    """Ids of the indexed requests matching ``q``, best first (Solr's ``dismax``, with the
    dataset search's minimum-match: no field syntax, no local parameters from the user)."""
    params: dict[str, Any] = {
        "defType": "dismax", "qf": QF, "tie": "0.1", "q.op": "AND",
        "mm": tk.config.get("ckanext.lyg_opendata.search.mm") or "2<-1 5<80%",
        "fq": _scope(), "fl": "id", "rows": rows, "wt": "json",
    }
    result = make_connection(decode_dates=False).search(q, **params)
    return [doc["id"] for doc in result.docs]


def indexed_ids() -> set[str]:
    """Ids of every data request in the index (tests, reindex reports)."""
    result = make_connection(decode_dates=False).search(
        "*:*", fq=_scope(), fl="id", rows=1_000_000, wt="json")
    return {doc["id"] for doc in result.docs}


def reindex(progress: Optional[Callable[[int, int], None]] = None) -> dict[str, int]:
    """Index every request that may be indexed, in batches, then remove the documents of
    requests withdrawn, hidden or deleted since (every document not written by this run).
    ``progress(done, total)`` after each batch. Returns ``{"indexed", "removed"}``."""
    conn = make_connection(decode_dates=False)
    ids = [r[0] for r in model.Session.query(DataRequest.id).filter(
        DataRequest.status.notin_(UNINDEXED)).order_by(DataRequest.created, DataRequest.id)]
    total = len(ids)
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        chunk = ids[start:start + BATCH]
        rows = model.Session.query(DataRequest).filter(DataRequest.id.in_(chunk)).all()
        conn.add([document(r) for r in rows], commit=False)
        if progress:
            progress(min(start + BATCH, total), total)
    conn.commit()
    keep = set(ids)
    stale = [i for i in indexed_ids() if i not in keep]
    for chunk in _chunks(stale, BATCH):
        conn.delete(q=f"{_scope()} +id:({' OR '.join(_literal(i) for i in chunk)})",
                    commit=False)
    conn.commit()
    return {"indexed": total, "removed": len(stale)}


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
