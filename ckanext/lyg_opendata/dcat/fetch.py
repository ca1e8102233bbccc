"""Downloads of the DCAT harvester: one overall deadline, a size limit, no private targets.

- ``fetch(url)`` gives up after ``ckanext.lyg_opendata.harvest.timeout`` seconds in all
  (connect, headers and body together: a server that drips one byte every few seconds is cut
  off at the deadline), and after ``ckanext.dcat.max_file_size`` MB.
- Only ``http`` and ``https``; a host that resolves to a loopback, private, link-local or
  otherwise non-public address is refused unless
  ``ckanext.lyg_opendata.harvest.allow_private_targets`` is on (tests, a closed network).
  The address is checked twice: when the name is first resolved (a clear error before any
  connection) and on the socket actually connected (``GuardedAdapter``), so a name that
  resolves to a public address for the check and to an internal one for the connection
  (DNS rebinding) is refused before a byte is sent. Addresses of proxies taken from the
  environment are not checked: a proxy fetches the target itself.
- JSON-LD: remote ``@context`` documents are never fetched. The common ones are shipped in
  ``contexts/``; any other remote context is an error.
"""
from __future__ import annotations

import ipaddress
import json
import os
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.dcat.messages import Message
from ckanext.lyg_opendata.i18n import N_


class FetchError(Exception):
    """A download that was refused or failed; ``message`` (a ``messages.Message``, shown
    in the reader's language) names the reason, ``str()`` is its English text."""

    def __init__(self, msgid: str, **params: Any):
        self.message = Message(msgid, **params)
        super().__init__(str(self.message))


def _timed_out(url: str, limit_s: float) -> FetchError:
    return FetchError(N_("Reading %(url)s timed out after %(seconds)s s (the deadline of "
                         "ckanext.lyg_opendata.harvest.timeout)"), url=url, seconds=f"{limit_s:g}")


CONTEXT_DIR = os.path.join(os.path.dirname(__file__), "contexts")

# remote JSON-LD contexts served from this package instead of the network
LOCAL_CONTEXTS = {
    "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld":
        "dcat-ap-3.jsonld",
    "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.1/html/examples/context.jsonld":
        "dcat-ap-3.jsonld",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld": "dcat-ap-3.jsonld",
}


def deadline_seconds() -> float:
    return float(tk.config.get("ckanext.lyg_opendata.harvest.timeout"))


def max_bytes() -> int:
    return int(tk.config.get("ckanext.dcat.max_file_size")) * 1024 * 1024


def private_targets_allowed() -> bool:
    return tk.asbool(tk.config.get("ckanext.lyg_opendata.harvest.allow_private_targets"))


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the first check; a hook for tests)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def _refuse_non_public(address: str, url: str, host: str) -> None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if not ip.is_global:
        raise FetchError(
            N_("Refused %(url)s: %(host)s is a loopback, private or reserved address "
               "(%(address)s); see ckanext.lyg_opendata.harvest.allow_private_targets"),
            url=url, host=host, address=str(ip))


def check_target(url: str) -> None:
    """Refuses what is not http(s) and, unless allowed, non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(N_("Refused %(url)s: only http and https addresses are harvested"),
                         url=url)
    if private_targets_allowed():
        return
    try:
        addresses = resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as e:
        raise FetchError(N_("Could not resolve %(host)s: %(reason)s"),
                         host=parts.hostname, reason=str(e)) from e
    for address in addresses:
        _refuse_non_public(address, url, parts.hostname)


# --- the check on the connected socket (DNS rebinding) -------------------------------------

class _PeerCheck:
    """Checks the address of the socket urllib3 has just connected, before TLS or a request
    is sent on it."""

    def _new_conn(self):
        sock = super()._new_conn()
        if not private_targets_allowed():
            try:
                _refuse_non_public(sock.getpeername()[0], f"{self.host}:{self.port}",
                                   f"{self.host} (connected to)")
            except BaseException:
                sock.close()
                raise
        return sock


class _GuardedHTTPConnection(_PeerCheck, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_PeerCheck, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose direct connections are refused when the peer address is
    loopback, private or reserved (unless allowed)."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool,
                                                   "https": _GuardedHTTPSPool}


def guarded_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", GuardedAdapter())
    session.mount("https://", GuardedAdapter())
    return session


def fetch(url: str, session: requests.Session | None = None,
          accept: str | None = None) -> tuple[bytes, str]:
    """The body and the content type of ``url``, within the deadline and the size limit."""
    limit_s = deadline_seconds()
    limit_b = max_bytes()
    check_target(url)
    started = time.monotonic()
    session = session or guarded_session()
    state: dict[str, Any] = {"response": None, "expired": False}

    def expire():
        state["expired"] = True
        response = state["response"]
        sock = _socket_of(response) if response is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(limit_s, expire)
    timer.daemon = True
    timer.start()
    try:
        headers = {"Accept": accept} if accept else {}
        response = session.get(url, stream=True, timeout=(limit_s, limit_s), headers=headers,
                               allow_redirects=False)
        redirects = 0
        while response.is_redirect and redirects < 5:
            target = requests.compat.urljoin(url, response.headers["location"])
            response.close()
            check_target(target)
            url, redirects = target, redirects + 1
            response = session.get(url, stream=True, timeout=_left(started, limit_s, url),
                                   headers=headers, allow_redirects=False)
        state["response"] = response
        if state["expired"]:
            expire()
        response.raise_for_status()
        length = response.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit_b:
            raise _too_big(url)
        body = bytearray()
        raw = response.raw
        while True:
            if time.monotonic() - started > limit_s:
                raise _timed_out(url, limit_s)
            chunk = raw.read1(65536) if hasattr(raw, "read1") else raw.read(65536)
            if not chunk:
                break
            body += chunk
            if len(body) > limit_b:
                raise _too_big(url)
        if state["expired"] or time.monotonic() - started > limit_s:
            raise _timed_out(url, limit_s)
        return bytes(body), response.headers.get("content-type", "")
    except requests.RequestException as e:
        if isinstance(e, requests.ConnectTimeout):
            raise FetchError(N_("Connecting to %(url)s timed out after %(seconds)s s (the "
                                "deadline of ckanext.lyg_opendata.harvest.timeout)"),
                             url=url, seconds=f"{limit_s:g}") from e
        if state["expired"] or isinstance(e, requests.Timeout):
            raise _timed_out(url, limit_s) from e
        raise FetchError(N_("Could not get %(url)s: %(reason)s"), url=url, reason=str(e)) from e
    except Exception as e:  # the socket shut down under a read
        if state["expired"] and not isinstance(e, FetchError):
            raise _timed_out(url, limit_s) from e
        raise
    finally:
        timer.cancel()
        if state["response"] is not None:
            state["response"].close()


def _too_big(url: str) -> FetchError:
    return FetchError(N_("The document at %(url)s is larger than the harvest size limit of "
                         "%(limit)s MB (ckanext.dcat.max_file_size)"),
                      url=url, limit=tk.config.get("ckanext.dcat.max_file_size"))


def _left(started: float, limit_s: float, url: str) -> float:
    left = limit_s - (time.monotonic() - started)
    if left <= 0:
        raise _timed_out(url, limit_s)
    return left


def _socket_of(response):
    raw = getattr(response, "raw", None)
    for path in (("_connection", "sock"), ("_fp", "fp", "raw", "_sock")):
        obj = raw
        for attr in path:
            obj = getattr(obj, attr, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    return None


# --- JSON-LD ------------------------------------------------------------------------------

def _load_context(name: str) -> Any:
    with open(os.path.join(CONTEXT_DIR, name), encoding="utf-8") as f:
        return json.load(f)["@context"]


def localise_contexts(text: str) -> str:
    """The JSON-LD document with every remote ``@context`` replaced by its shipped copy;
    a remote context that is not shipped is refused (never fetched)."""
    try:
        document = json.loads(text)
    except ValueError as e:
        raise FetchError(N_("Not a JSON-LD document: %(reason)s"), reason=str(e)) from e

    def resolve(context):
        if isinstance(context, str):
            name = LOCAL_CONTEXTS.get(context) or LOCAL_CONTEXTS.get(context.rstrip("/"))
            if not name:
                raise FetchError(N_("Refused the remote JSON-LD %(keyword)s %(context)s: remote "
                                    "contexts are never fetched (shipped: %(shipped)s)"),
                                 keyword="@context", context=context,
                                 shipped=len(set(LOCAL_CONTEXTS.values())))
            return _load_context(name)
        if isinstance(context, list):
            return [resolve(c) for c in context]
        if isinstance(context, dict):
            if "@import" in context:
                raise FetchError(N_("Refused a JSON-LD %(keyword)s: remote contexts are never "
                                    "fetched"), keyword="@import")
            return context
        return context

    def walk(node):
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if key == "@context":
                    node[key] = resolve(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return json.dumps(document)
