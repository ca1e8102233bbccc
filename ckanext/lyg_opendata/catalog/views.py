"""Review pages: the supervisors' queue, the agency's submissions, the public withdrawal
notices, and the POST endpoints behind the review buttons on a dataset page."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms

_ = tk._


def N_(msgid: str) -> str:
    """Mark a string for translation; it is translated when shown."""
    return msgid


catalog = Blueprint("lyg_opendata_catalog", __name__)

REVIEW_ACTIONS = {
    "submit": ("lyg_opendata_review_submit", N_("Submitted for review")),
    "approve": ("lyg_opendata_review_approve", N_("Approved and published")),
    "return": ("lyg_opendata_review_return", N_("Returned to the data-opening body")),
    "withdraw": ("lyg_opendata_review_withdraw", N_("Withdrawn")),
    "change-approve": ("lyg_opendata_review_change_approve", N_("Change approved")),
    "change-return": ("lyg_opendata_review_change_return", N_("Change returned")),
}


_context = forms.context


def review_action(id: str, action: str):
    if action not in REVIEW_ACTIONS:
        return tk.abort(404, _("Unknown review action"))
    name, done = REVIEW_ACTIONS[action]
    form = tk.request.form
    data = {"id": id, "reason": form.get("reason", "")}
    if action == "submit":
        data = {"id": id, "desensitized": form.get("desensitized") or False}
    try:
        tk.get_action(name)(_context(), data)
        tk.h.flash_success(_(done))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or _("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.ValidationError as e:
        messages = [m for msgs in e.error_dict.values() for m in (msgs if isinstance(msgs, list) else [msgs])]
        tk.h.flash_error("；".join(str(m) for m in messages))
    return tk.redirect_to("dataset.read", id=id)


def review_queue():
    params = {k: v for k, v in tk.request.args.items() if k in ("organization", "min_age_days") and v}
    try:
        queue = tk.get_action("lyg_opendata_review_queue")(_context(), params)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        tk.h.flash_error(str(e.error_summary))
        queue = tk.get_action("lyg_opendata_review_queue")(_context(), {})
    orgs = tk.get_action("organization_list")({}, {"all_fields": True})
    return tk.render("lyg_opendata/review_queue.html",
                     {"queue": queue, "params": params, "organizations": orgs})


def my_submissions():
    try:
        result = tk.get_action("lyg_opendata_review_my_submissions")(_context(), {})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    return tk.render("lyg_opendata/my_submissions.html", {"result": result})


def withdrawn():
    notices = tk.get_action("lyg_opendata_withdrawal_list")(_context(), {})
    return tk.render("lyg_opendata/withdrawn.html", {"notices": notices})


catalog.add_url_rule("/dataset/<id>/review/<action>", view_func=review_action, methods=["POST"])
catalog.add_url_rule("/opendata/review", view_func=review_queue)
catalog.add_url_rule("/opendata/my-submissions", view_func=my_submissions)
catalog.add_url_rule("/opendata/withdrawn", view_func=withdrawn)
