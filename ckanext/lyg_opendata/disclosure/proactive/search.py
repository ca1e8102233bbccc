"""The proactive disclosure catalog in the Solr index: Chinese search of /opendata/govinfo.

Documents of their own ``entity_type`` (``govinfo``) in the portal's core, beside the
datasets (the shared shape: ``search_documents.py``, as data requests).

Only published entries are indexed — the public text: title, 文号, summary, body. Drafts and
withdrawn entries are not (the list still finds them for the agency's staff and supervisors
by a plain SQL match, ``workflow.text_filter``). Solr only says which entries match; the
search action filters and authorises on the database rows.

Written after each action on an entry (``@workflow.after`` receiver: a failure is logged, the
action stands; ``ckan lyg-opendata disclosure reindex-catalog`` repairs), and all at once by
that command, which also drops documents of entries gone or unpublished since.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo
from ckanext.lyg_opendata.search_documents import QF, PortalDocuments

ENTITY_TYPE = "govinfo"
INDEXED = "published"
MAX_HITS = 5000          # ids asked of Solr for one search (the list pages them itself)

__all__ = ["ENTITY_TYPE", "INDEXED", "MAX_HITS", "QF", "DOCUMENTS", "document", "sync",
           "matching_ids", "matching_scores", "indexed_ids", "reindex"]


def _text(row: GovInfo) -> tuple[str, str]:
    """The public text of an entry: its title; the 文号, the summary and the body."""
    return row.title, "\n\n".join(t for t in (row.doc_number, row.summary, row.body) if t)


DOCUMENTS = PortalDocuments(ENTITY_TYPE, GovInfo, text=_text, indexed=(INDEXED,),
                            max_hits=MAX_HITS)


def document(row: GovInfo) -> dict[str, Any]:
    """The Solr document of an entry: its public text only."""
    return DOCUMENTS.document(row)


def sync(row: GovInfo) -> None:
    """Index the entry when it is published, remove it otherwise."""
    DOCUMENTS.sync(row)


@shared.after(*(f"lyg_opendata_govinfo_{verb}" for verb in (
    "create", "update", "publish", "withdraw")))
def after_write(context, data_dict, result) -> None:
    DOCUMENTS.sync_result(result)


def matching_ids(q: str, rows: int = MAX_HITS) -> list[str]:
    """Ids of the published entries matching ``q``, best first."""
    return DOCUMENTS.matching_ids(q, rows)


def matching_scores(q: str, rows: int = MAX_HITS) -> dict[str, float]:
    """The published entries matching ``q`` with their Solr scores (the list's relevance)."""
    return dict(DOCUMENTS.scored_ids(q, rows))


def indexed_ids() -> set[str]:
    return DOCUMENTS.indexed_ids()


def reindex(progress: Optional[Callable[[int, int], None]] = None) -> dict[str, int]:
    """Index every published entry in batches, then remove every other document of this
    type. Returns ``{"indexed", "removed"}``."""
    return DOCUMENTS.reindex(progress)
