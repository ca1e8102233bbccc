"""Per-client limits of the row API (datastore_search, datastore_info, /datastore/dump),
counted in Redis in fixed one-minute windows. A client is the user (an API token's or the
session's), else the IP address. Over the limit: 429 with Retry-After and a translated
message (JSON for the action API)."""
from __future__ import annotations

import time

from flask import jsonify, make_response

import ckan.plugins.toolkit as tk

_ = tk._

API_ACTIONS = {"datastore_search", "datastore_info"}
WINDOW = 60


def _client() -> str:
    try:
        if tk.current_user.is_authenticated:
            return "user:" + tk.current_user.name
    except Exception:  # noqa: BLE001 - no user loaded (a static file)
        pass
    # the connection's address, never a client-supplied X-Forwarded-For (anyone could send a
    # new one per call and never be limited); behind a reverse proxy the WSGI server sets
    # REMOTE_ADDR from the proxy's header (README, row API: gunicorn --forwarded-allow-ips)
    return "ip:" + (tk.request.remote_addr or "-")


def _kind() -> str | None:
    endpoint = tk.request.endpoint or ""
    if endpoint == "api.action" and (tk.request.view_args or {}).get("logic_function") in API_ACTIONS:
        return "api"
    if endpoint == "datastore.dump":
        return "dump"
    return None


def check():
    """``before_app_request``: None to go on, or the 429 response."""
    kind = _kind()
    if kind is None:
        return None
    limit = tk.config.get("ckanext.lyg_opendata.row_api." + (
        "per_minute" if kind == "api" else "dumps_per_minute"))
    if not limit:
        return None
    from ckan.lib.redis import connect_to_redis
    window = int(time.time() // WINDOW)
    key = f"{tk.config.get('ckan.site_id')}:lyg_rowapi:{kind}:{_client()}:{window}"
    try:
        redis = connect_to_redis()
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW + 5)
        count = pipe.execute()[0]
    except Exception:  # noqa: BLE001 - without Redis the API stays open rather than down
        return None
    if int(count) <= int(limit):
        return None
    retry = WINDOW - int(time.time()) % WINDOW
    message = _("Too many requests: at most %(n)s per minute for each client. Try again in "
                "%(s)s seconds.") % {"n": limit, "s": retry}
    if kind == "api":
        resp = make_response(jsonify({"success": False, "error": {
            "__type": "Rate Limit Exceeded", "message": message}}), 429)
    else:
        resp = make_response(message, 429)
    resp.headers["Retry-After"] = str(retry)
    return resp
