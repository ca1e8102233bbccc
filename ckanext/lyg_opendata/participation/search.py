"""Data requests in the Solr index: Chinese search of the public list (数据需求).

Documents of their own ``entity_type`` (``data_request``) in the portal's core, beside the
datasets (the shared shape: ``search_documents.py``).

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

from typing import Any, Callable, Optional

from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.participation.model import DataRequest
from ckanext.lyg_opendata.search_documents import QF, PortalDocuments

ENTITY_TYPE = "data_request"
UNINDEXED = frozenset({"withdrawn", "hidden"})
MAX_HITS = 2000          # ids asked of Solr for one search (the list pages them itself)

__all__ = ["ENTITY_TYPE", "UNINDEXED", "MAX_HITS", "QF", "DOCUMENTS", "document",
           "indexable", "sync", "matching_ids", "indexed_ids", "reindex"]


def _text(req: DataRequest) -> tuple[str, str]:
    """The public text of a request: its title; the details and the purpose."""
    return req.title, "\n\n".join(t for t in (req.description, req.purpose) if t)


DOCUMENTS = PortalDocuments(ENTITY_TYPE, DataRequest, text=_text, unindexed=UNINDEXED,
                            max_hits=MAX_HITS)


def document(req: DataRequest) -> dict[str, Any]:
    """The Solr document of a request: public text only."""
    return DOCUMENTS.document(req)


def indexable(req: DataRequest) -> bool:
    return DOCUMENTS.indexable(req)


def sync(req: DataRequest) -> None:
    """Index the request, or remove it when it is withdrawn or hidden."""
    DOCUMENTS.sync(req)


@shared.after(*(f"lyg_opendata_data_request_{verb}" for verb in (
    "create", "route", "claim", "answer", "supplement", "withdraw", "hide")))
def after_write(context, data_dict, result) -> None:
    DOCUMENTS.sync_result(result)


def matching_ids(q: str, rows: int = MAX_HITS) -> list[str]:
    """Ids of the indexed requests matching ``q``, best first."""
    return DOCUMENTS.matching_ids(q, rows)


def indexed_ids() -> set[str]:
    """Ids of every data request in the index (tests, reindex reports)."""
    return DOCUMENTS.indexed_ids()


def reindex(progress: Optional[Callable[[int, int], None]] = None) -> dict[str, int]:
    """Index every request that may be indexed, then remove the documents of requests
    withdrawn, hidden or deleted since. Returns ``{"indexed", "removed"}``."""
    return DOCUMENTS.reindex(progress)
