"""The overdue list page (Art 15, 39): ``/opendata/overdue`` for supervisors (every agency,
``?organization=`` for one), and for an agency's editors their own (``?organization=``)."""
from __future__ import annotations

from flask import Blueprint

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._

freshness_blueprint = Blueprint("lyg_opendata_freshness", __name__)


def overdue():
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    params = {}
    if tk.request.args.get("organization"):
        params["organization"] = tk.request.args["organization"]
    try:
        result = tk.get_action("lyg_opendata_overdue_list")({"user": user}, params)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Data-opening body not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or _("Not authorized"))
    except tk.ValidationError as e:
        return tk.abort(400, str(e.error_summary))
    organizations = []
    if roles.is_supervisor(user):
        organizations = model.Session.query(model.Group.name, model.Group.title).filter(
            model.Group.is_organization.is_(True), model.Group.state == "active").order_by(
            model.Group.title).all()
    return tk.render("lyg_opendata/overdue/list.html", {
        "result": result, "organization": params.get("organization"),
        "organizations": organizations})


freshness_blueprint.add_url_rule("/opendata/overdue", view_func=overdue)
