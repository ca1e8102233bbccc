"""Pages of the person's rights (PIPL): what the platform holds about me — readable and as
JSON — (``/user/privacy-data``), deleting my account (``/user/delete-account``), and the
privacy notice with its retention list (``/privacy``). Sysadmins open the first two for
someone else with ``?id=<name>``."""
from __future__ import annotations

import json

from flask import Blueprint, make_response

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.identity import erasure, privacy_labels

_ = tk._

__all__ = ["privacy_blueprint"]

privacy_blueprint = Blueprint("lyg_opendata_privacy", __name__)

# the export's sections, in the order of the page, with their titles
SECTIONS = [
    ("memberships", N_("Organisation memberships")),
    ("api_tokens", N_("API tokens")),
    ("applications", N_("Applications for conditional data")),
    ("grants", N_("Grants")),
    ("agreements_signed", N_("Agreements signed")),
    ("objections", N_("Objections")),
    ("reports", N_("Reports")),
    ("data_requests", N_("Data requests")),
    ("data_requests_supported", N_("Data requests supported")),
    ("ratings", N_("Ratings")),
    ("suggestions", N_("Suggestions")),
    ("disclosure_applications", N_("Disclosure applications")),
    ("disclosure_complaints", N_("Complaints about disclosure applications")),
    ("notices", N_("Notices")),
    ("security_log", N_("Security log")),
]


def _target() -> dict:
    ref = tk.request.args.get("id") or ""
    return {"id": ref} if ref else {}


def _export():
    if not tk.current_user.is_authenticated:
        return None, forms.login_first()
    try:
        return tk.get_action("lyg_opendata_privacy_export")(forms.context(), _target()), None
    except tk.NotAuthorized as e:
        return None, tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return None, tk.abort(404, str(e))


@privacy_blueprint.route("/user/privacy-data")
def data_page():
    data, refused = _export()
    if refused is not None:
        return refused
    rows = privacy_labels.readable(data, [key for key, _title in SECTIONS])
    sections = [(key, _(title), rows[key]) for key, title in SECTIONS]
    return tk.render("identity/privacy_data.html", {
        "data": data, "sections": sections, "target": _target(),
        "retention": erasure.retention_list()})


@privacy_blueprint.route("/user/privacy-data/export.json")
def data_json():
    data, refused = _export()
    if refused is not None:
        return refused
    resp = make_response(json.dumps(data, ensure_ascii=False, indent=2))
    resp.headers["Content-Type"] = "application/json; charset=utf-8"
    resp.headers["Content-Disposition"] = (
        f'attachment; filename="privacy-export-{data["profile"]["name"]}.json"')
    resp.headers["Cache-Control"] = "no-store"
    return resp


@privacy_blueprint.route("/user/delete-account", methods=["GET", "POST"])
def delete_account():
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    ctx = forms.context()
    target = _target()
    try:
        tk.check_access("lyg_opendata_account_erase", ctx, target)
        person = tk.get_action("lyg_opendata_privacy_export")(ctx, target)["profile"]
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        by_self = person["id"] == tk.current_user.id
        try:
            tk.get_action("lyg_opendata_account_erase")(
                ctx, {**target, "confirm": tk.request.form.get("confirm", "")})
        except tk.ValidationError as e:
            errors = forms.field_errors(e)
        else:
            if by_self:
                tk.logout_user()
                tk.h.flash_success(_("Your account was deleted."))
                return tk.redirect_to("home.index")
            tk.h.flash_success(_("The account was deleted."))
            return tk.redirect_to("user.index")
    return tk.render("identity/account_delete.html", {
        "person": person, "target": target, "errors": errors,
        "retention": erasure.retention_list()}), (400 if errors else 200)


@privacy_blueprint.route("/privacy")
def notice():
    return tk.render("identity/privacy_notice.html", {"retention": erasure.retention_list()})
