"""Who hears about a rectification notice (notify.notify_users: an in-portal notice plus an
email), from the transition actions' success signal (workflow.after; no commit here)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation import workflow
from ckanext.lyg_opendata.evaluation.model import Rectification

_ = tk._


@shared.after(*(f"lyg_opendata_rectification_{verb}" for verb in (
    "issue", "respond", "return", "escalate", "close")))
def after_transition(context, data_dict, result) -> None:
    row = model.Session.get(Rectification, (result or {}).get("id") or "")
    if row is None:
        return
    org = model.Session.get(model.Group, row.organization_id)
    org_title = (org.title or org.name) if org else ""
    link = tk.url_for("lyg_opendata_evaluation.rectification_read", id=row.id, _external=True)
    ground = workflow.ground_label(row.ground)
    if row.status == "responded":
        subject = _("%(agency)s responded to a rectification notice") % {"agency": org_title}
        notify.notify_users(notify.supervisors(), subject, "\n".join([subject, ground]),
                            link=link, commit=False)
        return
    if row.status == "issued":
        subject = _("Rectification notice: %s") % ground
        due = workflow.clock(row)["deadline"]
        body = "\n".join([subject, row.requirement,
                          _("Please respond with what you did by %s.") % due])
    else:
        subject = _("Rectification notice (%(ground)s): %(status)s") % {
            "ground": ground, "status": workflow.status_label(row.status)}
        body = "\n".join([subject, row.decision or ""])
    notify.notify_users(notify.agency_staff(row.organization_id), subject, body, link=link,
                        commit=False)
