"""The proactive disclosure catalog in the Solr index: Chinese search of /opendata/govinfo.

The pattern of data requests (``participation/search.py``), no schema change: an entry is a
document of its own ``entity_type`` (``govinfo``) in the portal's core, with fields the
schema already has — ``title`` and ``notes`` (the ``text`` type: Chinese per character,
traditional folded to simplified, synonyms), ``title_pinyin`` and ``metadata_created``. The
documents carry no ``state`` and no ``permission_labels``, so no dataset search
(``+state:active``, CKAN's ``PackageSearchQuery``) ever returns them.

Only published entries are indexed — the public text: title, 文号, summary, body. Drafts and
withdrawn entries are not (the list still finds them for the agency's staff and supervisors
by a plain SQL match, ``workflow.text_filter``). Solr only says which entries match; the
search action filters and authorises on the database rows.

Written after each action on an entry (``@workflow.after`` receiver: a failure is logged, the
action stands; ``ckan lyg-opendata disclosure reindex-catalog`` repairs), and all at once by
that command, which also drops documents of entries gone or unpublished since.
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

from ckanext.lyg_opendata import search as dataset_search
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo
from ckanext.lyg_opendata.participation.search import _chunks, _literal

ENTITY_TYPE = "govinfo"
INDEXED = "published"
QF = f"title^4 notes {dataset_search.PINYIN_QF}"
MAX_HITS = 5000          # ids asked of Solr for one search (the list pages them itself)
BATCH = 200


def _site() -> str:
    return tk.config.get("ckan.site_id")


def _scope() -> str:
    return f"+entity_type:{ENTITY_TYPE} +site_id:{_literal(_site())}"


def _commit() -> bool:
    return bool(tk.config.get("ckan.search.solr_commit"))


def document(row: GovInfo) -> dict[str, Any]:
    """The Solr document of an entry: its public text only."""
    return {
        "id": row.id,
        "index_id": hashlib.md5(f"{ENTITY_TYPE}{row.id}{_site()}".encode()).hexdigest(),
        "site_id": _site(),
        "entity_type": ENTITY_TYPE,
        "title": row.title,
        "notes": "\n\n".join(t for t in (row.doc_number, row.summary, row.body) if t),
        "title_pinyin": dataset_search.title_pinyin(row.title or ""),
        "metadata_created": row.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def sync(row: GovInfo) -> None:
    """Index the entry when it is published, remove it otherwise."""
    conn = make_connection(decode_dates=False)
    if row.status == INDEXED:
        conn.add([document(row)], commit=_commit())
    else:
        conn.delete(q=f"{_scope()} +id:{_literal(row.id)}", commit=_commit())


@shared.after(*(f"lyg_opendata_govinfo_{verb}" for verb in (
    "create", "update", "publish", "withdraw")))
def after_write(context, data_dict, result) -> None:
    gid = result.get("id") if isinstance(result, dict) else None
    row = model.Session.get(GovInfo, gid) if gid else None
    if row is not None:
        sync(row)


def matching_ids(q: str, rows: int = MAX_HITS) -> list[str]:
    """Ids of the published entries matching ``q``, best first (``dismax`` with the dataset
    search's minimum-match: no field syntax, no local parameters from the user)."""
    params: dict[str, Any] = {
        "defType": "dismax", "qf": QF, "tie": "0.1", "q.op": "AND",
        "mm": tk.config.get("ckanext.lyg_opendata.search.mm") or "2<-1 5<80%",
        "fq": _scope(), "fl": "id", "rows": rows, "wt": "json",
    }
    result = make_connection(decode_dates=False).search(q, **params)
    return [doc["id"] for doc in result.docs]


def indexed_ids() -> set[str]:
    result = make_connection(decode_dates=False).search(
        "*:*", fq=_scope(), fl="id", rows=1_000_000, wt="json")
    return {doc["id"] for doc in result.docs}


def reindex(progress: Optional[Callable[[int, int], None]] = None) -> dict[str, int]:
    """Index every published entry in batches, then remove every other document of this
    type. Returns ``{"indexed", "removed"}``."""
    conn = make_connection(decode_dates=False)
    ids = [r[0] for r in model.Session.query(GovInfo.id).filter(
        GovInfo.status == INDEXED).order_by(GovInfo.created, GovInfo.id)]
    total = len(ids)
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        chunk = ids[start:start + BATCH]
        rows = model.Session.query(GovInfo).filter(GovInfo.id.in_(chunk)).all()
        conn.add([document(r) for r in rows], commit=False)
        if progress:
            progress(min(start + BATCH, total), total)
    conn.commit()
    keep = set(ids)
    stale = [i for i in indexed_ids() if i not in keep]
    for part in _chunks(stale, BATCH):
        conn.delete(q=f"{_scope()} +id:({' OR '.join(_literal(i) for i in part)})", commit=False)
    conn.commit()
    return {"indexed": total, "removed": len(stale)}
