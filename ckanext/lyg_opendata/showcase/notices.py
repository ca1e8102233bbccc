"""The showcase's notices, sent after the action committed (``workflow.after``)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.showcase.logic import is_submitter, label
from ckanext.lyg_opendata.showcase.model import Showcase

_ = tk._


@shared.after("lyg_opendata_showcase_create", "lyg_opendata_showcase_update")
def after_submit(context, data_dict, result) -> None:
    if not result:
        return
    subject = _("A showcase entry waits for review: %s") % result["title"]
    notify.notify_users(notify.supervisors(), subject, subject, link=tk.url_for(
        "lyg_opendata_showcase.read", id=result["id"], _external=True), commit=False)


@shared.after("lyg_opendata_showcase_publish", "lyg_opendata_showcase_return",
              "lyg_opendata_showcase_withdraw")
def after_decision(context, data_dict, result) -> None:
    row = model.Session.get(Showcase, (result or {}).get("id") or "")
    if row is None or not row.submitted_by or is_submitter(context.get("user"), row):
        return
    subject = _("Your showcase entry «%(title)s» is now: %(status)s") % {
        "title": row.title, "status": label("status", row.status)}
    notify.notify_users([model.Session.get(model.User, row.submitted_by)], subject,
                        "\n".join([subject, row.review_note or ""]), link=tk.url_for(
                            "lyg_opendata_showcase.read", id=row.id, _external=True), commit=False)


