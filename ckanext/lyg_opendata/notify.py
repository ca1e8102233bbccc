"""Notifications: emails composed in the request (in its language), sent by the job worker,
and in-portal notices (the list at /opendata/notices).

Mail always goes through ``tk.enqueue_job``, never inline in a request. The workflows call
``notify_users(users, subject, body, link)``: one notice per user plus the email.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Iterable, Optional

import sqlalchemy as sa

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


class Notice(tk.BaseModel):
    """An in-portal notice for one user, next to the email (migration 0004_access)."""
    __tablename__ = "lyg_opendata_notice"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    subject = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText)
    link = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, index=True,
                        default=lambda: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    read_at = sa.Column(sa.DateTime)


def notify_users(users: Iterable[Optional[model.User]], subject: str, body: str,
                 link: Optional[str] = None, commit: bool = True) -> int:
    """An in-portal notice for each active user, and the same as an email (job queue).
    Returns the number of notices written. Call it after the workflow's own commit."""
    people = {u.id: u for u in users if u is not None and u.state == "active"}
    for user in people.values():
        model.Session.add(Notice(user_id=user.id, subject=subject, body=body, link=link))
    if commit:
        model.Session.commit()
    text = body if not link else f"{body}\n\n{link}"
    enqueue_mail(people.values(), subject, text)
    return len(people)


def notices_for(user_id: str, limit: int = 50, unread_only: bool = False) -> list[Notice]:
    query = model.Session.query(Notice).filter(Notice.user_id == user_id)
    if unread_only:
        query = query.filter(Notice.read_at.is_(None))
    return query.order_by(Notice.created.desc()).limit(limit).all()


def unread_query(user_id: str):
    """The count query of the user's unread notices (not run)."""
    return model.Session.query(sa.func.count(Notice.id)).filter(
        Notice.user_id == user_id, Notice.read_at.is_(None))


def unread_count(user_id: str) -> int:
    return unread_query(user_id).scalar() or 0


def mark_read(user_id: str, notice_id: Optional[str] = None) -> int:
    """Mark one of the user's notices (or all of them) read; returns how many changed."""
    query = model.Session.query(Notice).filter(Notice.user_id == user_id,
                                               Notice.read_at.is_(None))
    if notice_id:
        query = query.filter(Notice.id == notice_id)
    count = query.update({Notice.read_at: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)},
                         synchronize_session=False)
    model.Session.commit()
    return count


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
