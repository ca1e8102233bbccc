"""The paged DCAT catalog (``/catalog.<format>``), kept in Redis per page and per state of
the search index (issue 19: the page cost 2.2× vanilla's, most of it building and
serialising the graph of 100 datasets).

A page is built from the search index (``dcat_catalog_show`` → ``package_search`` of the
public datasets, redacted for everybody: no user makes it differ) plus the configuration.
So a stored page is valid as long as

- the index is in the same state: its **stamp** is the number of documents and the highest
  ``_version_`` (Solr gives every added or replaced document a higher one, a deletion
  lowers the count), read from Solr *before* the page is built, with one small query that
  spans every shard of a SolrCloud collection. Any write to the index — a dataset created,
  changed, made private, withdrawn, turned conditional, deleted, reindexed — changes the
  stamp, so the next request builds the page anew: there is nothing to invalidate by hand,
  and web instances share the pages through Redis without talking to each other;
- the configuration (its hash) and the request (URL with its query, format, UI language)
  are the same;
- at most ``ckanext.lyg_opendata.dcat.catalog_cache_seconds`` old (the supervising body's
  name comes from the database: a renamed organisation shows within that time). ``0``
  turns the cache off.

Redis or Solr unreachable: the page is built as without the cache."""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Callable, Optional

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

PREFIX = "lyg_opendata:dcat:catalog:"


def seconds() -> int:
    return tk.asint(tk.config.get("ckanext.lyg_opendata.dcat.catalog_cache_seconds"))


def index_stamp() -> Optional[str]:
    """The index's state: document count and highest ``_version_`` (None: Solr unreachable)."""
    from ckan.lib.search.common import make_connection
    try:
        found = make_connection().search(q="*:*", rows=1, fl="_version_", sort="_version_ desc")
    except Exception:  # the page is built without the cache
        log.warning("DCAT catalog cache: no index stamp", exc_info=True)
        return None
    top = found.docs[0].get("_version_") if found.docs else ""
    return f"{found.hits}:{top}"


def _config_hash() -> str:
    items = sorted((str(k), str(v)) for k, v in tk.config.items())
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:16]


def key(url: str, fmt: str, lang: str) -> Optional[str]:
    stamp = index_stamp()
    if stamp is None:
        return None
    raw = json.dumps([url, fmt, lang, stamp, _config_hash()])
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cached(url: str, fmt: str, lang: str, build: Callable[[], str]) -> str:
    """The page from Redis, or ``build()`` stored for the next request."""
    ttl = seconds()
    if ttl <= 0:
        return build()
    from ckan.lib.redis import connect_to_redis
    k = key(url, fmt, lang)
    if k is None:
        return build()
    redis = connect_to_redis()
    try:
        hit = redis.get(k)
    except Exception:
        log.warning("DCAT catalog cache: Redis unreachable", exc_info=True)
        return build()
    if hit is not None:
        return hit.decode("utf-8")
    body = build()
    try:
        redis.set(k, body.encode("utf-8") if isinstance(body, str) else body, ex=ttl)
    except Exception:
        log.warning("DCAT catalog cache: Redis unreachable", exc_info=True)
    return body
