"""Pages of account security: the sysadmins' audit list (``/ckan-admin/security-events``)."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata.identity.security import audit

_ = tk._

__all__ = ["identity_security_blueprint"]

identity_security_blueprint = Blueprint("lyg_identity_security", __name__)

PAGE = 50


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


@identity_security_blueprint.route("/ckan-admin/security-events")
def events():
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    ctx = _context()
    try:
        tk.check_access("lyg_opendata_security_event_list", ctx, {})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    args = tk.request.args
    try:
        page = max(1, int(args.get("page", 1)))
    except ValueError:
        page = 1
    filters = {k: args.get(k, "") for k in ("kind", "user") if args.get(k)}
    errors: dict[str, list[str]] = {}
    try:
        result = tk.get_action("lyg_opendata_security_event_list")(
            ctx, {**filters, "limit": PAGE, "offset": (page - 1) * PAGE})
    except tk.ValidationError as e:
        errors = forms.field_errors(e)
        result = {"count": 0, "results": []}
    except tk.ObjectNotFound as e:
        errors = {"user": [str(e)]}
        result = {"count": 0, "results": []}
    return tk.render("identity/security_events.html", {
        "result": result, "filters": filters, "errors": errors, "page": page, "per_page": PAGE,
        "kinds": [(k, audit.kind_label(k)) for k in audit.KINDS]})
