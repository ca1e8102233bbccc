"""Fixes, in our layer, of ckanext-dcat 2.4.4's catalog endpoint (``/catalog.<format>``),
which answers these with a 500 or an HTML 409 (to report upstream; docs/dcat.md):

- ``?q=停车 场`` (any character that needs escaping in a URL): the paging links are built
  from the unencoded query and are no IRIs; here the links are encoded.
- ``?modified_since=2026-11-01T00:00:00+08:00`` or ``…Z``: dcat appends a ``Z`` to the
  zoned date and Solr fails; here the date is turned into UTC first. A date without a zone
  is Beijing time, as the portal shows times.
- ``page=0``, ``page=abc``, a date that is no date: a plain-text 400 with the reason, not an
  HTML 409.
- ``/catalog.nt``: the N-Triples answer.

A ``before_app_request`` hook answers the catalog requests itself through the
``dcat_catalog_show`` action, each page kept in Redis until the search index changes
(``catalog_cache``); everything else goes on to ckanext-dcat.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from dateutil.parser import parse as parse_date
from flask import Blueprint, make_response, request
from werkzeug.datastructures import ImmutableMultiDict

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.dcat import catalog_cache

endpoints = Blueprint("lyg_dcat_endpoints", __name__)

BEIJING = dt.timezone(dt.timedelta(hours=8))
FORMATS = {"xml": "application/rdf+xml", "rdf": "application/rdf+xml", "ttl": "text/turtle",
           "n3": "text/n3", "jsonld": "application/ld+json", "nt": "application/n-triples"}
SERIALIZE = {"nt": "nt"}
PAGING_ARGS = ("modified_since", "profiles", "q", "fq")


def _plain(message: str, status: int):
    response = make_response(message + "\n", status)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    return response


def utc_since(value: str) -> str:
    """An ISO date or date-time in UTC without zone (dcat appends the ``Z``); a value
    without zone is Beijing time. Raises ValueError."""
    parsed = parse_date(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BEIJING)
    return parsed.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()


@endpoints.before_app_request
def catalog_request():
    if request.endpoint != "dcat.read_catalog":
        return None
    fmt = (request.view_args or {}).get("_format")
    if not fmt:
        return None   # content negotiation and the HTML index: ckanext-dcat's own
    if fmt not in FORMATS:
        return _plain(tk._("Unknown catalog format: %(format)s") % {"format": fmt}, 404)
    args = request.args
    page = args.get("page")
    if page is not None and not re.fullmatch(r"[1-9][0-9]{0,6}", page.strip()):
        return _plain(tk._("%(param)s must be a whole number from 1") % {"param": "page"}, 400)
    since = args.get("modified_since")
    if since:
        try:
            since = utc_since(since)
        except (ValueError, OverflowError):
            return _plain(tk._("%(param)s must be a date, e.g. %(example)s")
                          % {"param": "modified_since",
                             "example": "2026-11-01, 2026-11-01T08:00:00+08:00"}, 400)
    profiles = args.get("profiles")
    data_dict = {"page": page, "modified_since": since or None, "q": args.get("q"),
                 "fq": args.get("fq"), "format": SERIALIZE.get(fmt, fmt),
                 "profiles": profiles.split(",") if profiles else None}
    # the paging links are built from request.args: give them encoded values
    original = request.args
    encoded = [(k, quote(utc_since(v) if k == "modified_since" else v, safe=""))
               for k, v in original.items(multi=True) if k in PAGING_ARGS]
    request.__dict__["args"] = ImmutableMultiDict(encoded + [
        (k, v) for k, v in original.items(multi=True) if k not in PAGING_ARGS])
    try:
        # the page is kept per index state (catalog_cache): built once after each change
        body = catalog_cache.cached(
            request.url, fmt, tk.h.lang(),
            lambda: tk.get_action("dcat_catalog_show")({}, data_dict))
    except tk.ValidationError as e:
        return _plain(" ".join(str(m) for m in _messages(e)), 400)
    finally:
        request.__dict__["args"] = original
    response = make_response(body)
    response.headers["Content-Type"] = FORMATS[fmt] + "; charset=utf-8"
    return response


def _messages(error):
    summary = getattr(error, "error_dict", None) or {}
    if isinstance(summary, dict) and summary:
        return [m for value in summary.values()
                for m in (value if isinstance(value, list) else [value])]
    return [str(error)]


__all__ = ["endpoints"]
