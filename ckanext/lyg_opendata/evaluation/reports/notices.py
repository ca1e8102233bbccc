"""Who hears that an evaluation report was published (notify.notify_users: an in-portal notice
plus an email), from the publish action's success signal (workflow.after; no commit here)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation.model import EvaluationReport

_ = tk._

@shared.after("lyg_opendata_evaluation_report_publish")
def after_publish(context, data_dict, result) -> None:
    """Every evaluated body's editors and admins hear that the report is out (with their
    rank); the other supervisors too."""
    row = model.Session.get(EvaluationReport, (result or {}).get("id") or "")
    if row is None or row.status != "published":
        return
    link = tk.url_for("lyg_opendata_evaluation_report.read", id=row.id, _external=True)
    subject = _("The evaluation report was published: %s") % row.title
    for card in row.figures.get("cards", []):
        rank = card.get("rank")
        line = (_("%(agency)s ranks %(rank)d of %(n)d.") % {
            "agency": card["title"], "rank": rank, "n": len(row.figures["cards"])}
            if rank else _("%(agency)s is not ranked (no figures).") % {"agency": card["title"]})
        notify.notify_users(notify.agency_staff(card["id"]), subject,
                            "\n".join([subject, line]), link=link, commit=False)
    me = shared.actor_id(context.get("user"))
    notify.notify_users([u for u in notify.supervisors() if u.id != me], subject, subject,
                        link=link, commit=False)
