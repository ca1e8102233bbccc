"""The organisation's bulk page (``/organization/bulk_process/<id>``) answers a refused bulk
change with its reason.

``bulk_update_public`` refuses datasets whose review has not approved them and
``bulk_update_private`` refuses published ones (catalog/guard.py, Art 12). Core's bulk view
only catches ``NotAuthorized``: the refusal, a ``ValidationError``, became a 500 page. An
error handler of the Flask app (registered through ``IMiddleware``) shows it as a flash
message on the bulk page instead; a ``ValidationError`` anywhere else is left to CKAN.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

BULK_ENDPOINT = "bulk_process"


def _message(error: tk.ValidationError) -> str:
    parts = []
    for value in (error.error_dict or {}).values():
        parts.extend(str(v) for v in (value if isinstance(value, list) else [value]))
    return " ".join(parts) or str(error)


def on_validation_error(error: tk.ValidationError):
    from flask import request
    endpoint = request.endpoint or ""
    view = endpoint.rpartition(".")[2]
    if view != BULK_ENDPOINT or request.method != "POST" or not request.view_args:
        raise error
    tk.h.flash_error(_message(error))
    return tk.h.redirect_to(endpoint, id=request.view_args.get("id"))


def install(app) -> None:
    app.register_error_handler(tk.ValidationError, on_validation_error)
