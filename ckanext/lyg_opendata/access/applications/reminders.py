"""The daily runs of applications (config/crontab): deadline reminders to the agencies and
the erasure of personal details after the retention period."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from ckanext.lyg_opendata.access.applications.notices import dataset_title, application_url
from ckanext.lyg_opendata.access.applications.settings import (
    CONFIG, add_years, reminder_workdays)
from ckanext.lyg_opendata.access.applications.workflow import (
    OPEN, decided_day, deadline, record, refresh_stored_due)

_ = tk._


# --- reminders ---------------------------------------------------------------------------------

def due_reminders(today: Optional[dt.date] = None) -> list[tuple[Application, str, dict]]:
    """Open applications whose agency is to be reminded today: ("due", …) when at most
    ``reminder_workdays`` working days are left, ("overdue", …) once the due day has
    passed; each once per application (``reminded_on`` / ``overdue_reminded_on``)."""
    today = today or today_beijing()
    cal = Calendar()
    before = reminder_workdays()
    out = []
    for app in model.Session.query(Application).filter(
            Application.status == "submitted").order_by(Application.received_on):
        info = deadline(app, cal, today)
        if info["overdue"]:
            if app.overdue_reminded_on is None:
                out.append((app, "overdue", info))
        elif info["days_left"] is not None and info["days_left"] <= before \
                and app.reminded_on is None:
            out.append((app, "due", info))
    return out


def send_reminders(today: Optional[dt.date] = None, dry_run: bool = False) -> list[dict]:
    today = today or today_beijing()
    report = []
    cal = Calendar()
    for app, kind, info in due_reminders(today):
        title = dataset_title(app)
        staff = notify.agency_staff(app.org_id) if app.org_id else []
        report.append({"id": app.id, "kind": kind, "title": title, "due_on": info["due_on"],
                       "days_left": info["days_left"], "recipients": len(staff)})
        if dry_run:
            continue
        due = info["due_on"] + (_(" (provisional)") if info["provisional"] else "")
        if kind == "due":
            subject = _("Application due in %(n)d working days: %(title)s") % {
                "n": info["days_left"], "title": title}
            body = _("The application for \u201c%(title)s\u201d must be answered by %(due)s "
                     "(Art 19).") % {"title": title, "due": due}
            app.reminded_on = today
        else:
            subject = _("Application overdue: %s") % title
            body = _("The application for \u201c%(title)s\u201d was due on %(due)s and has not "
                     "been answered (Art 19, 39). Please decide now.") % {"title": title, "due": due}
            app.overdue_reminded_on = today
        record(app, None, "remind_" + kind, app.status, app.status,
               data={"due_on": info["due_on"], "recipients": len(staff)})
        model.Session.commit()
        notify.notify_users(staff, subject, body, application_url(app))
    if not dry_run:
        # refresh the cached due dates of open applications (years loaded since)
        for app in model.Session.query(Application).filter(Application.status.in_(OPEN)):
            refresh_stored_due(app, cal)
        model.Session.commit()
    return report


def retention_years() -> int:
    return int(tk.config.get(CONFIG + "retention_years"))


def erasable(today: Optional[dt.date] = None) -> list[Application]:
    """Ended applications whose retention period is over and that still hold personal
    data: refused or withdrawn ``retention_years`` after the decision, approved ones that
    long after the end of the granted term (the privacy notice's promise)."""
    today = today or today_beijing()
    cutoff = add_years(today, -retention_years())
    out = []
    for app in model.Session.query(Application).filter(
            Application.status.in_(("approved", "refused", "withdrawn")),
            sa.or_(Application.contact_phone.isnot(None), Application.contact_email.isnot(None),
                   Application.contact_name.isnot(None))):
        ended = decided_day(app) or app.received_on
        if app.status == "approved" and app.granted_term_end:
            ended = max(ended, app.granted_term_end)
        if ended <= cutoff:
            out.append(app)
    return out


def erase_personal_data(today: Optional[dt.date] = None, dry_run: bool = False) -> list[str]:
    """Erase the contact details (and an individual's name) of applications past their
    retention period; the decision record (dates, purpose, decision, timeline) stays."""
    ids = []
    for app in erasable(today):
        ids.append(app.id)
        if dry_run:
            continue
        app.contact_name = app.contact_phone = app.contact_email = None
        if app.applicant_type == "individual":
            app.applicant_name = None
        record(app, None, "erase_personal_data", app.status, app.status)
    if not dry_run:
        model.Session.commit()
    return ids
