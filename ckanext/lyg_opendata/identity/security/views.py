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


@identity_security_blueprint.route("/ckan-admin/security-events/erasure/<event_id>")
def erasure(event_id: str):
    """The record of one erasure (its ``account_erased`` entry): when, by whom, the
    pseudonym, what was erased and what kept pseudonymised — sysadmins only."""
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    try:
        record = tk.get_action("lyg_opendata_account_erasure_show")(_context(), {"id": event_id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, _("Erasure not found"))
    return tk.render("identity/erasure_record.html", {
        "record": record,
        "erased": [c for c in record["counts"] if c["treatment"] == "erased"],
        "kept": [c for c in record["counts"] if c["treatment"] == "kept"]})


# --- the second factor ---------------------------------------------------------------------

def _totp():
    from ckanext.lyg_opendata.identity.security import totp
    return totp


@identity_security_blueprint.route("/user/login/second-factor", methods=["GET", "POST"])
def second_factor():
    """Step two of the sign-in: the code from the app, or a recovery code."""
    totp = _totp()
    user = totp.pending_user()
    if user is None:
        tk.h.flash_error(_("Please sign in again."))
        return tk.redirect_to("user.login")
    row = totp.secret_of(user.id)
    if row is None or not row.confirmed_at:
        return tk.redirect_to("lyg_identity_security.enrol")
    error = None
    if tk.request.method == "POST":
        from ckanext.lyg_opendata.identity.security import throttle
        left = throttle.locked_for(user.name, audit.client_address())
        if left:
            return throttle.locked_response(left)
        code = tk.request.form.get("code")
        recovery = tk.request.form.get("recovery_code")
        if code and totp.check_code(row, code):
            import ckan.model as model
            model.Session.commit()
            return totp.finish_sign_in(user)
        if recovery and totp.use_recovery_code(user, recovery):
            audit.record("recovery_code_used", user=user, commit=False,
                         left=totp.recovery_codes_left(user.id) - 1)
            import ckan.model as model
            model.Session.commit()
            return totp.finish_sign_in(user)
        import ckan.model as model
        model.Session.rollback()
        totp.wrong_code(user)
        error = _("The code is not right (or was already used). Please try again.")
    return tk.render("identity/second_factor.html", {"error": error}), (400 if error else 200)


@identity_security_blueprint.route("/user/second-factor", methods=["GET", "POST"])
def enrol():
    """Set up the second factor: during a sign-in that requires it (pending), or from one's
    own account; an enrolled user gets new recovery codes or removes it (when not required)."""
    import ckan.model as model
    totp = _totp()
    pending = totp.pending_user()
    if tk.current_user.is_authenticated:
        user = model.User.get(tk.current_user.id)
        pending = None
    elif pending is not None:
        user = pending
    else:
        return forms.login_first()
    row = totp.secret_of(user.id)
    error = None
    codes = None
    if tk.request.method == "POST":
        code = tk.request.form.get("code")
        verb = tk.request.form.get("do") or "confirm"
        if row is not None and row.confirmed_at and pending is None:
            if not totp.check_code(row, code):
                model.Session.rollback()
                totp.wrong_code(user)
                error = _("The code is not right (or was already used). Please try again.")
            elif verb == "remove":
                if totp.required(user):
                    model.Session.rollback()
                    error = _("Your role requires a second factor; it cannot be removed.")
                else:
                    totp.remove(user, tk.current_user.name)
                    tk.h.flash_success(_("The second factor was removed."))
                    return tk.redirect_to("lyg_identity_security.enrol")
            else:
                codes = totp.new_recovery_codes(user)
                model.Session.commit()
        elif row is not None and not row.confirmed_at:
            codes = totp.confirm(user, code)
            if codes is not None and pending is not None:
                totp.mark_enrolled_in_sign_in()
            if codes is None:
                error = _("The code is not right (or was already used). Please try again.")
        row = totp.secret_of(user.id)
    if row is None or (not row.confirmed_at and tk.request.method == "GET"):
        row = totp.start_enrolment(user)
    qr = secret = None
    if not row.confirmed_at:
        qr = totp.qr_svg_data_uri(totp.provisioning_uri(user, row))
        secret = totp.plain_secret(row)
    return tk.render("identity/second_factor_setup.html", {
        "user": user, "row": row, "qr": qr, "secret": secret, "codes": codes, "error": error,
        "pending": pending is not None, "required": totp.required(user),
        "codes_left": totp.recovery_codes_left(user.id)}), (400 if error else 200)


@identity_security_blueprint.route("/user/second-factor/continue", methods=["POST"])
def enrol_continue():
    """After the set-up during a sign-in: the recovery codes were shown; sign in now."""
    totp = _totp()
    user = totp.pending_user()
    if user is None or not totp.enrolled(user.id) or not totp.enrolled_in_sign_in():
        return tk.redirect_to("user.login")
    return totp.finish_sign_in(user)
