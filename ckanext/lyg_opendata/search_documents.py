"""Portal documents kept in the dataset Solr core: one shape for every searchable list.

No schema change: each kind of portal record (data requests, the proactive disclosure
catalog…) is a document of its own ``entity_type`` in the portal's core, beside the
datasets, with fields the schema already has — ``title`` and ``notes`` (the ``text`` type:
Chinese per character, traditional folded to simplified, synonyms), ``title_pinyin`` (as for
datasets) and ``metadata_created``. The documents carry no ``state`` and no
``permission_labels``, so no dataset search (``+state:active``, CKAN's ``PackageSearchQuery``)
ever returns them.

A :class:`PortalDocuments` is parameterised by the entity type, the model, which statuses
are indexed (one rule, rendered as a SQL clause for ``reindex`` and as a test of a row for
``sync``) and the function giving a row's public ``(title, notes)``. Solr only says which
rows match and in what order; the domain's list action filters and authorises on the
database rows.
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Iterable, Iterator, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

from ckanext.lyg_opendata import search as dataset_search

QF = f"title^4 notes {dataset_search.PINYIN_QF}"
BATCH = 200              # documents per request to Solr when reindexing


def literal(value: str) -> str:
    """A Solr phrase literal of ``value`` (quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _site() -> str:
    return tk.config.get("ckan.site_id")


def _commit() -> bool:
    return bool(tk.config.get("ckan.search.solr_commit"))


class PortalDocuments:
    """The documents of one ``entity_type``, written from rows of ``model``.

    Exactly one of ``indexed`` (the statuses that are indexed) or ``unindexed`` (the
    statuses that are not) says which rows are in the index; ``text(row)`` gives the
    public ``(title, notes)`` of a row — nothing else of the row is ever sent to Solr.
    """

    def __init__(self, entity_type: str, model_class: Any, *,
                 text: Callable[[Any], tuple[Optional[str], str]],
                 indexed: Optional[Iterable[str]] = None,
                 unindexed: Optional[Iterable[str]] = None,
                 max_hits: int) -> None:
        if (indexed is None) == (unindexed is None):
            raise ValueError("give exactly one of indexed, unindexed")
        self.entity_type = entity_type
        self.model = model_class
        self.text = text
        self.max_hits = max_hits
        self._statuses = frozenset(indexed if indexed is not None else unindexed or ())
        self._negate = unindexed is not None

    # which rows are indexed
    def indexable(self, row: Any) -> bool:
        return (row.status in self._statuses) != self._negate

    def indexed_clause(self) -> Any:
        status = self.model.status
        return status.notin_(self._statuses) if self._negate else status.in_(self._statuses)

    def scope(self) -> str:
        return f"+entity_type:{self.entity_type} +site_id:{literal(_site())}"

    def document(self, row: Any) -> dict[str, Any]:
        """The Solr document of a row: its public text only."""
        title, notes = self.text(row)
        return {
            "id": row.id,
            "index_id": hashlib.md5(
                f"{self.entity_type}{row.id}{_site()}".encode()).hexdigest(),
            "site_id": _site(),
            "entity_type": self.entity_type,
            "title": title,
            "notes": notes,
            "title_pinyin": dataset_search.title_pinyin(title or ""),
            "metadata_created": row.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def sync(self, row: Any) -> None:
        """Index the row, or remove it when it is not (or no longer) indexable."""
        conn = make_connection(decode_dates=False)
        if self.indexable(row):
            conn.add([self.document(row)], commit=_commit())
        else:
            conn.delete(q=f"{self.scope()} +id:{literal(row.id)}", commit=_commit())

    def sync_result(self, result: Any) -> None:
        """``@workflow.after`` receiver body: sync the row the action returned."""
        rid = result.get("id") if isinstance(result, dict) else None
        row = model.Session.get(self.model, rid) if rid else None
        if row is not None:
            self.sync(row)

    def matching_ids(self, q: str, rows: Optional[int] = None) -> list[str]:
        """Ids of the indexed rows matching ``q``, best first (Solr's ``dismax``, with the
        dataset search's minimum-match: no field syntax, no local parameters from the user)."""
        return [rid for rid, _score in self.scored_ids(q, rows)]

    def scored_ids(self, q: str, rows: Optional[int] = None) -> list[tuple[str, float]]:
        """``matching_ids`` with each row's Solr score (to order by score, then a date)."""
        params: dict[str, Any] = {
            "defType": "dismax", "qf": QF, "tie": "0.1", "q.op": "AND",
            "mm": tk.config.get("ckanext.lyg_opendata.search.mm") or "2<-1 5<80%",
            "fq": self.scope(), "fl": "id,score", "rows": self.max_hits if rows is None else rows,
            "wt": "json",
        }
        result = make_connection(decode_dates=False).search(q, **params)
        return [(doc["id"], float(doc.get("score") or 0)) for doc in result.docs]

    def indexed_ids(self) -> set[str]:
        """Ids of every document of this type in the index (tests, reindex reports)."""
        result = make_connection(decode_dates=False).search(
            "*:*", fq=self.scope(), fl="id", rows=1_000_000, wt="json")
        return {doc["id"] for doc in result.docs}

    def reindex(self, progress: Optional[Callable[[int, int], None]] = None) -> dict[str, int]:
        """Index every indexable row in batches, then remove the documents of rows no longer
        indexable or deleted since (every document not written by this run).
        ``progress(done, total)`` after each batch. Returns ``{"indexed", "removed"}``."""
        conn = make_connection(decode_dates=False)
        cls = self.model
        ids = [r[0] for r in model.Session.query(cls.id).filter(
            self.indexed_clause()).order_by(cls.created, cls.id)]
        total = len(ids)
        if progress:
            progress(0, total)
        for start in range(0, total, BATCH):
            chunk = ids[start:start + BATCH]
            rows = model.Session.query(cls).filter(cls.id.in_(chunk)).all()
            conn.add([self.document(r) for r in rows], commit=False)
            if progress:
                progress(min(start + BATCH, total), total)
        conn.commit()
        keep = set(ids)
        stale = [i for i in self.indexed_ids() if i not in keep]
        for part in chunks(stale, BATCH):
            conn.delete(q=f"{self.scope()} +id:({' OR '.join(literal(i) for i in part)})",
                        commit=False)
        conn.commit()
        return {"indexed": total, "removed": len(stale)}
