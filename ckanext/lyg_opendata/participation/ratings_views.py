"""Pages of ratings: the dataset's 评价 tab (summary, one's own rating form, the comments with
the agency's answers and the supervisors' hide form)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.participation import ratings

_ = tk._
_context = forms.context
_dataset = forms.dataset


def dataset_ratings(id: str):
    pkg = _dataset(id)
    errors: dict[str, str] = {}
    form: dict[str, Any] = {}
    if tk.request.method == "POST":
        if not tk.current_user.is_authenticated:
            return tk.redirect_to("user.login", came_from=tk.request.path)
        form = {k: tk.request.form.get(k, "") for k in ratings.DIMENSION_CODES + ["comment"]}
        _rated, errors = forms.submit("lyg_opendata_rating_rate", {"package_id": pkg["id"], **form})
        if not errors:
            tk.h.flash_success(_("Thank you for your rating"))
            return tk.redirect_to("lyg_opendata_participation.ratings", id=pkg["name"])
    result = tk.get_action("lyg_opendata_rating_list")(_context(), {"package_id": pkg["id"]})
    user = _context()["user"]
    mine = result["mine"]
    if not form and mine:
        form = {**mine["scores"], "comment": mine["comment"] or ""}
    can_answer = roles.is_agency_editor(user, pkg.get("owner_org")) or (
        bool(tk.current_user.is_authenticated) and getattr(tk.current_user, "sysadmin", False))
    return tk.render("lyg_opendata/participation/ratings.html", {
        "pkg": pkg, "pkg_dict": pkg, "dataset_type": pkg["type"], "result": result,
        "form": form, "errors": errors, "dimensions": [
            {"code": t.code, "label": t.label()} for t in ratings.DIMENSIONS],
        "published": pkg.get("review_status") == "published" and not pkg.get("private"),
        "can_hide": roles.is_supervisor(user), "can_answer": can_answer})


ACTIONS = {
    "hide": ("lyg_opendata_rating_hide", ("reason",), N_("Comment hidden")),
    "answer": ("lyg_opendata_rating_answer", ("text",), N_("Answer published")),
}


def rating_act(id: str, rating_id: str, action: str):
    if action not in ACTIONS:
        return tk.abort(404, _("Unknown action"))
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    name, fields, done = ACTIONS[action]
    forms.run(name, {"id": rating_id, **forms.filled(fields)}, done)
    return tk.redirect_to("lyg_opendata_participation.ratings", id=id)


def register(bp) -> None:
    """The routes, on the participation blueprint (views.py)."""
    bp.add_url_rule("/dataset/<id>/ratings", view_func=dataset_ratings, endpoint="ratings",
                    methods=["GET", "POST"])
    bp.add_url_rule("/dataset/<id>/ratings/<rating_id>/<action>", view_func=rating_act,
                    endpoint="rating_act", methods=["POST"])
