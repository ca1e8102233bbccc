"""Pages of verified organisations: my organisations (claim with a letter, withdraw), the
supervisors' queue (verify / refuse with a reason, the letter), an organisation's verified
members; the letter download (claimant and supervisors, as an attachment); the staff page of
real-name checks (look a person up, see the status, record a check)."""
from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
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


def _find_person(ref: str):
    """A user by name, id or email (staff type what the person tells them)."""
    ref = (ref or "").strip()
    if not ref or "\x00" in ref or len(ref) > 200:
        return None
    user = model.User.get(ref)
    if user is None and "@" in ref:
        found = model.Session.query(model.User).filter(
            sa.func.lower(model.User.email) == ref.lower(), model.User.state == "active").all()
        user = found[0] if len(found) == 1 else None
    return user if user is not None and user.state == "active" else None


@orgs_blueprint.route("/opendata/real-name", methods=["GET", "POST"])
def real_name():
    """Supervisors: look a person up (user name or email), see their real-name status, record
    how their real name was checked (lyg_opendata_real_name_verify)."""
    if not _signed_in():
        return forms.login_first()
    context = _context()
    try:
        tk.check_access("lyg_opendata_real_name_verify", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only supervisors may do this"))
    form = tk.request.form if tk.request.method == "POST" else tk.request.args
    ref = form.get("user", "")
    errors: dict = {}
    person = status = None
    if ref:
        person = _find_person(ref)
        if person is None:
            errors["user"] = [tk._("No active account has this user name or email address")]
    if person is not None and tk.request.method == "POST":
        try:
            tk.get_action("lyg_opendata_real_name_verify")(
                context, {"user": person.name, "note": form.get("note", "")})
            tk.h.flash_success(tk._("The real-name check is recorded."))
            return tk.redirect_to("lyg_opendata_orgs.real_name", user=person.name)
        except tk.ValidationError as e:
            errors = forms.field_errors(e)
    if person is not None:
        status = tk.get_action("lyg_opendata_real_name_show")(context, {"user": person.name})
    return tk.render("identity/real_name_check.html", {
        "ref": ref, "person": person, "status": status, "errors": errors,
        "note": form.get("note", "") if tk.request.method == "POST" else "",
    }), (400 if errors else 200)
