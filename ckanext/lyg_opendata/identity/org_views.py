"""Pages of verified organisations: my organisations (claim with a letter, withdraw), the
supervisors' queue (verify / refuse with a reason, the letter), an organisation's verified
members; the letter download (claimant and supervisors, as an attachment)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms, roles
from ckanext.lyg_opendata.identity import organisations as orgs

orgs_blueprint = Blueprint("lyg_opendata_orgs", __name__)

__all__ = ["orgs_blueprint"]


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user and not tk.current_user.is_anonymous else "",
            "model": model}


def _signed_in() -> bool:
    return bool(tk.current_user) and not tk.current_user.is_anonymous


@orgs_blueprint.route("/user/organisations", methods=["GET", "POST"])
def mine():
    if not _signed_in():
        return forms.login_first()
    context = _context()
    errors: dict = {}
    data: dict = {}
    if tk.request.method == "POST":
        form = tk.request.form
        try:
            if form.get("withdraw"):
                tk.get_action("lyg_opendata_org_link_withdraw")(context, {"id": form["withdraw"]})
                tk.h.flash_success(tk._("The organisation link is withdrawn."))
            else:
                data = {"org_name": form.get("org_name", ""), "credit_code": form.get("credit_code", "")}
                tk.get_action("lyg_opendata_org_link_create")(
                    context, dict(data, letter=tk.request.files.get("letter")))
                tk.h.flash_success(tk._("Your claim is sent to the supervisors for verification."))
            return tk.redirect_to("lyg_opendata_orgs.mine")
        except tk.ValidationError as e:
            errors = forms.field_errors(e)
        except (tk.NotAuthorized, tk.ObjectNotFound) as e:
            return tk.abort(403, str(e))
    links = tk.get_action("lyg_opendata_org_link_list")(context, {"limit": 100})
    return tk.render("identity/organisations.html", {
        "links": links["results"], "errors": errors, "data": data,
        "real_name": orgs.real_name(tk.current_user.id),
    })


@orgs_blueprint.route("/opendata/org-links", methods=["GET", "POST"])
def queue():
    if not _signed_in():
        return forms.login_first()
    if not roles.is_supervisor(tk.current_user.name):
        return tk.abort(403, tk._("Only supervisors may do this"))
    context = _context()
    errors: dict = {}
    if tk.request.method == "POST":
        form = tk.request.form
        verb = form.get("verb")
        if verb not in ("verify", "refuse"):
            return tk.abort(400, tk._("Unknown action"))
        try:
            tk.get_action(f"lyg_opendata_org_link_{verb}")(
                context, {"id": form.get("id", ""), "reason": form.get("reason", "")})
            tk.h.flash_success(tk._("The organisation link is %s.") % orgs.status_label(
                "verified" if verb == "verify" else "refused"))
            return tk.redirect_to("lyg_opendata_orgs.queue", status=tk.request.args.get("status", "submitted"))
        except tk.ValidationError as e:
            errors = {form.get("id", ""): forms.error_text(e)}
        except tk.ObjectNotFound as e:
            return tk.abort(404, str(e))
    status = tk.request.args.get("status", "submitted")
    if status not in orgs.STATUS_LABELS:
        status = "submitted"
    links = tk.get_action("lyg_opendata_org_link_list")(
        context, {"mine": False, "status": status, "limit": 100})
    return tk.render("identity/org_queue.html", {
        "links": links["results"], "count": links["count"], "status": status,
        "statuses": [(code, orgs.status_label(code)) for code in orgs.STATUS_LABELS],
        "errors": errors,
    })


@orgs_blueprint.route("/opendata/org-links/members/<credit_code>")
def members(credit_code: str):
    if not _signed_in():
        return forms.login_first()
    try:
        result = tk.get_action("lyg_opendata_org_member_list")(_context(), {"credit_code": credit_code})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only supervisors may do this"))
    except tk.ValidationError as e:
        return tk.abort(404, forms.error_text(e))
    return tk.render("identity/org_members.html", {"result": result})


@orgs_blueprint.route("/opendata/org-links/<id>/letter")
def letter(id: str):
    try:
        tk.get_action("lyg_opendata_org_link_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation link not found"))
    except tk.NotAuthorized:
        if not _signed_in():
            return forms.login_first()
        return tk.abort(403, tk._("Not authorised to see this organisation link"))
    link = orgs.get(id)
    response = Response(orgs.letter_content(link), mimetype=link.letter_type)
    response.headers["Content-Disposition"] = (
        "attachment; filename*=UTF-8''" + quote(link.letter_name))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
