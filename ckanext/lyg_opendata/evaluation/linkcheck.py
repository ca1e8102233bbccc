"""The link checker (the accessibility of the quality score): does each resource's address
answer? HEAD first (GET, streamed and not read, when a server refuses HEAD), a timeout per
request, at most one request per host every ``per_host_interval`` seconds (a host's pages
are checked one after the other, never in a burst), redirects followed. Uploaded files are
served by the portal and not checked. The harvester's guarded connections are used
(``dcat/fetch.py``): an address on a loopback, private or reserved network — or a name
resolving to one, checked on the connected socket — is not requested unless
``ckanext.lyg_opendata.harvest.allow_private_targets`` is on, so a resource address cannot
make the checker probe the portal's own network. The latest answer of each resource is stored in
``lyg_opendata_link_check``; the quality score reads it.

Run by ``ckan lyg-opendata quality check-links`` (cron), never in a web request.
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Any, Callable, Iterable, Optional
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from ckanext.lyg_opendata.dcat.fetch import FetchError, guarded_session

USER_AGENT = "lyg-opendata-linkcheck/1.0"


class HostLimiter:
    """At most one request per host every ``interval`` seconds."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            left = self.interval - (self.clock() - last)
            if left > 0:
                self.sleep(left)
        self._last[host] = self.clock()


def check(url: str, timeout: float, session: Optional[requests.Session] = None) -> dict[str, Any]:
    """``{"ok", "status", "error"}`` for one address."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return {"ok": False, "status": None, "error": "not an http(s) address"}
    http = session or guarded_session()
    headers = {"User-Agent": USER_AGENT}
    try:
        resp = http.head(url, timeout=timeout, allow_redirects=True, headers=headers)
        if resp.status_code in (405, 501):
            resp = http.get(url, timeout=timeout, allow_redirects=True, headers=headers,
                            stream=True)
            resp.close()
        return {"ok": resp.status_code < 400, "status": resp.status_code, "error": None}
    except FetchError:
        return {"ok": False, "status": None, "error": "refused: not a public address"}
    except requests.Timeout:
        return {"ok": False, "status": None, "error": "timeout"}
    except requests.RequestException as e:
        return {"ok": False, "status": None, "error": type(e).__name__}


def check_all(targets: Iterable[tuple[str, str]], timeout: float = 10.0,
              per_host_interval: float = 1.0,
              progress: Optional[Callable[[int], None]] = None,
              limiter: Optional[HostLimiter] = None) -> dict[str, dict[str, Any]]:
    """``{resource id: answer}`` for ``(resource id, url)`` pairs."""
    limiter = limiter or HostLimiter(per_host_interval)
    out: dict[str, dict[str, Any]] = {}
    with guarded_session() as session:
        for i, (resource_id, url) in enumerate(targets, 1):
            host = (urlsplit(url or "").hostname or "").lower()
            if host:
                limiter.wait(host)
            out[resource_id] = {"url": url, **check(url, timeout, session)}
            if progress:
                progress(i)
    return out


def targets() -> list[tuple[str, str]]:
    """The addresses to check: active resources (not uploads) of active, published datasets,
    ordered by host so that the per-host limit spreads over the run."""
    p, r = model.package_table, model.resource_table
    rows = model.Session.execute(sa.select(r.c.id, r.c.url).select_from(
        r.join(p, r.c.package_id == p.c.id)).where(
        r.c.state == "active", p.c.state == "active",
        p.c.extras["review_status"].astext == "published",
        sa.func.coalesce(r.c.url_type, "") != "upload", r.c.url != "")).all()
    return sorted(((rid, url) for rid, url in rows),
                  key=lambda t: ((urlsplit(t[1]).hostname or ""), t[0]))


def store(results: dict[str, dict[str, Any]]) -> int:
    from ckanext.lyg_opendata.evaluation.model import LinkCheck
    if not results:
        return 0
    now = dt.datetime.utcnow()
    rows = [{"resource_id": rid, "url": a["url"], "ok": a["ok"], "status": a["status"],
             "error": a["error"], "checked_at": now} for rid, a in results.items()]
    stmt = insert(LinkCheck.__table__).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=["resource_id"], set_={
        k: stmt.excluded[k] for k in ("url", "ok", "status", "error", "checked_at")})
    model.Session.execute(stmt)
    model.Session.commit()
    return len(rows)
