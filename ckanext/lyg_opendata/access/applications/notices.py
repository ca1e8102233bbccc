"""Who hears of an application's transitions: notices and mail from the action's success
signal (``workflow.after``: a failing notice never fails a committed decision)."""
from __future__ import annotations



import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.access.applications.workflow import TRANSITIONS, deadline

_ = tk._


# --- notifications ---------------------------------------------------------------------------

def application_url(app: Application) -> str:
    return tk.url_for("lyg_opendata_applications.read", id=app.id, _external=True)


def dataset_title(app: Application) -> str:
    pkg = model.Package.get(app.package_id)
    return (pkg.title or pkg.name) if pkg else app.package_id


def notify_transition(app: Application, action: str) -> None:
    """Tell whoever must act next: the agency of a new application, a reply or a
    withdrawal; the applicant of every decision and request for information. Runs from the
    action's success signal: writes the notices without committing."""
    title = dataset_title(app)
    applicant = model.Session.get(model.User, app.user_id)
    staff = notify.agency_staff(app.org_id) if app.org_id else []
    info = deadline(app)
    due = info["due_on"] + (_(" (provisional)") if info["provisional"] else "")
    messages = {
        "submit": (staff, _("New application for conditional data: %s") % title,
                   _("A new application for the dataset \u201c%(title)s\u201d arrived on "
                     "%(received)s. Please decide by %(due)s (Art 19: within %(n)d working days).")
                   % {"title": title, "received": info["received_on"], "due": due,
                      "n": info["deadline_workdays"]}),
        "supply_info": (staff, _("Information supplied for the application: %s") % title,
                        _("The applicant supplied the information you asked for. The clock runs "
                          "again; the decision is due by %s.") % due),
        "withdraw": (staff, _("Application withdrawn: %s") % title,
                     _("The applicant withdrew the application.")),
        "request_info": ([applicant], _("More information requested for your application: %s")
                         % title,
                         _("The data-opening body asks for more information:\n\n%s\n\nReply on the "
                           "application page; the deadline is paused until you reply.")
                         % (app.info_request or "")),
        "approve": ([applicant], _("Your application was approved: %s") % title,
                    _("Your application was approved with these conditions of use:\n\n%s\n\n"
                      "Read and sign the agreement to start using the data.")
                    % (app.conditions_of_use or "")),
        "refuse": ([applicant], _("Your application was refused: %s") % title,
                   _("Reason: %(reason)s\nLegal basis: %(basis)s") % {
                       "reason": app.refusal_reason or "", "basis": app.refusal_basis or ""}),
    }
    if action not in messages:
        return
    users, subject, body = messages[action]
    notify.notify_users(users, subject, body, application_url(app), commit=False)


def _notice_after(action: str):
    def receiver(context, data_dict, result) -> None:
        app = model.Session.get(Application, (result or {}).get("id") or "")
        if app is not None:
            notify_transition(app, action)
    receiver.__qualname__ = f"applications.notice_after.{action}"
    return receiver


for _verb in ("create", *TRANSITIONS):
    shared.after(f"lyg_opendata_application_{_verb}")(
        _notice_after("submit" if _verb == "create" else _verb))
