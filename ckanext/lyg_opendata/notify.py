"""Notifications: emails composed in the request (in its language), sent by the job worker.

Always through ``tk.enqueue_job``, never inline in a request.
"""
from __future__ import annotations

import logging
from typing import Iterable, Optional

import ckan.lib.mailer as mailer
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

log = logging.getLogger(__name__)
_ = tk._


def send_mail_job(recipients: list[tuple[str, str]], subject: str, body: str) -> int:
    """Job: send one mail to each (name, email); returns how many were sent."""
    sent = 0
    for name, email in recipients:
        try:
            mailer.mail_recipient(name, email, subject, body)
            sent += 1
        except mailer.MailerException:
            log.exception("could not send mail to %s", email)
    return sent


def enqueue_mail(users: Iterable[model.User], subject: str, body: str) -> None:
    recipients = sorted({(u.display_name, u.email) for u in users if u and u.email and u.state == "active"})
    if recipients:
        tk.enqueue_job(send_mail_job, [recipients, subject, body], title=f"lyg_opendata mail: {subject}")


def supervisors() -> list[model.User]:
    users = model.Session.query(model.User).filter(
        model.User.sysadmin.is_(True), model.User.state == "active",
        model.User.name != tk.config.get("ckan.site_id")).all()
    org = roles.supervisor_org()
    if org:
        users += agency_staff(org.id)
    return users


def agency_staff(org_id: str) -> list[model.User]:
    """The admins and editors of an organization."""
    return model.Session.query(model.User).join(
        model.Member, model.Member.table_id == model.User.id).filter(
        model.Member.group_id == org_id, model.Member.table_name == "user",
        model.Member.state == "active", model.Member.capacity.in_(["admin", "editor"])).all()


def dataset_url(pkg: model.Package) -> str:
    return tk.url_for("dataset.read", id=pkg.name, _external=True)


def review_transition(package_id: str, action: str, reason: Optional[str]) -> None:
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    title = pkg.title or pkg.name
    subjects = {
        "submit": (_("Catalog entry submitted for review: %s"), "supervisors"),
        "approve": (_("Catalog entry approved and published: %s"), "agency"),
        "return": (_("Catalog entry returned: %s"), "agency"),
        "withdraw": (_("Catalog entry withdrawn: %s"), "both"),
        "change_approved": (_("Change to catalog entry approved: %s"), "agency"),
        "change_returned": (_("Change to catalog entry returned: %s"), "agency"),
    }
    if action not in subjects:
        return
    subject_tpl, audience = subjects[action]
    subject = subject_tpl % title
    lines = [subject, dataset_url(pkg)]
    if reason:
        lines.append(_("Reason: %s") % reason)
    users = []
    if audience in ("supervisors", "both"):
        users += supervisors()
    if audience in ("agency", "both") and pkg.owner_org:
        users += agency_staff(pkg.owner_org)
    enqueue_mail(users, subject, "\n\n".join(lines))


def notify_change_held(package_id: str) -> None:
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    subject = _("Change to a published catalog entry waits for review: %s") % (pkg.title or pkg.name)
    enqueue_mail(supervisors(), subject, "\n\n".join([subject, dataset_url(pkg)]))
