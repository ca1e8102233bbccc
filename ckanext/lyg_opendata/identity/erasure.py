"""PIPL right to deletion (个人信息保护法 Art 47; issue 20 item 4): a person deletes their
account (or a sysadmin does it for them) — ``lyg_opendata_account_erase``.

What happens is the privacy notice's **retention list** (``RETENTION``, shown on ``/privacy``,
the export page and the deletion page): personal details are erased where nothing requires
them; records the law requires are kept with the person **pseudonymised** — the account row
stays (the records point at it) under a pseudonym ``erased-<12 hex>`` derived from its id,
without full name, email, password, picture or profile text, in state ``deleted``; contact
details, addresses, ID numbers and the client addresses of the kept records are erased, and
the person's name, email and phone are replaced by ``***`` in the texts they wrote there.

Refused while the person has an application for conditional data or a disclosure application
still being handled (they withdraw it first, or wait for the answer), and for a sysadmin
account (its sysadmin right is removed first)."""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
from typing import Any, Callable, Iterable, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import masking
from ckanext.lyg_opendata.i18n import N_

log = logging.getLogger(__name__)
_ = tk._

PREFIX = "erased-"
MASK = masking.MASK

# the privacy notice's retention list: (what, what happens at deletion, how long it is kept)
RETENTION: list[tuple[str, str, str]] = [
    (N_("Account: name, full name, email, password, picture, profile text"),
     N_("Erased; the account keeps only a pseudonym so that the records below stay whole"),
     N_("Erased at once")),
    (N_("Unified identity link, phone number and real-name level; second factor; API tokens; "
        "notices; organisation memberships; staff real-name checks"),
     N_("Erased"), N_("Erased at once")),
    (N_("Ratings and the data requests you supported"),
     N_("Erased (the dataset's scores are computed again)"), N_("Erased at once")),
    (N_("Applications for conditional data and their decisions"),
     N_("Kept with the applicant pseudonymised: contact person, phone, email and an "
        "individual's name erased"),
     N_("Until the retention period of applications has passed (years after the decision or "
        "the end of the granted term), then the personal data of the record is erased")),
    (N_("Agreements signed"),
     N_("Kept as signed (the text and its SHA-256 are the contract's proof); the signature's "
        "client address and browser erased; shown only to the agency"),
     N_("As long as the application they belong to")),
    (N_("Access log of conditional data"),
     N_("Kept unchanged (tamper-evident, Art 21); shown under the pseudonym"),
     N_("The access log's retention period, then purged")),
    (N_("Disclosure applications (政府信息公开) and complaints about them"),
     N_("Kept with the applicant pseudonymised: an individual's name, ID number, contact "
        "person, phone, email and address erased"),
     N_("As the government information disclosure archive rules require")),
    (N_("Objections, reports, data requests, suggestions, showcase entries"),
     N_("Kept (they concern public data) with the author pseudonymised: contact details and "
        "client address erased, your name, email and phone removed from the texts"),
     N_("As long as the record is kept")),
    (N_("Organisation links and their authorisation letters"),
     N_("The letters deleted; the link kept as withdrawn, pseudonymised"),
     N_("As long as applications made for the organisation are kept")),
    (N_("Security log (sign-ins, failures, tokens, role changes)"),
     N_("Kept with the account name pseudonymised"),
     N_("At least six months (Cybersecurity Law Art 21); after %(days)s days the client "
        "address is shortened (its last part removed) and a name typed at a failed sign-in "
        "that matched no account is masked")),
]


# the record of an erasure (the ``account_erased`` entry of the security log, counts only):
# each count's words, and whether its rows were erased or kept pseudonymised
ERASED_COUNTS = {
    "lyg_opendata_oidc_identity": N_("Unified identity links"),
    "lyg_opendata_totp": N_("Second factor"),
    "lyg_opendata_recovery_code": N_("Recovery codes"),
    "lyg_opendata_notice": N_("Notices"),
    "lyg_opendata_real_name_check": N_("Real-name checks"),
    "api_tokens": N_("API tokens"),
    "data_request_supports": N_("Data requests supported"),
    "ratings": N_("Ratings"),
    "memberships": N_("Organisation memberships"),
}
KEPT_COUNTS = {
    "applications": N_("Applications for conditional data"),
    "disclosure_applications": N_("Disclosure applications"),
    "disclosure_complaints": N_("Complaints about disclosure applications"),
    "objections": N_("Objections"),
    "reports": N_("Reports"),
    "data_requests": N_("Data requests"),
    "suggestions": N_("Suggestions"),
    "showcases": N_("Showcase entries"),
    "org_links": N_("Organisation links"),
}


def erasure_summary(detail: dict) -> str:
    """The record of an erasure in words, for the sysadmins' security log: who asked, what
    was erased and what was kept pseudonymised (counts; no personal data) and why."""
    def listed(labels: dict) -> str:
        return ", ".join(f"{_(label)} {detail[key]}" for key, label in labels.items()
                         if isinstance(detail.get(key), int) and detail[key])
    parts = [_("At the person's own request") if detail.get("by_self") else
             _("By a sysadmin")]
    erased, kept = listed(ERASED_COUNTS), listed(KEPT_COUNTS)
    parts.append(_("Erased: %(list)s") % {"list": erased or _("nothing else")})
    parts.append(_("Kept, pseudonymised: %(list)s") % {"list": kept or _("nothing")})
    parts.append(_("Also kept: the access log unchanged and the security log under the "
                   "pseudonym, as the privacy notice's retention list says (records the "
                   "law requires)"))
    return "; ".join(parts)


def pseudonym(user_id: str) -> str:
    return PREFIX + hashlib.sha256(f"lyg-erased|{user_id}".encode()).hexdigest()[:12]


def is_erased(user: Optional[model.User]) -> bool:
    return bool(user is not None and user.state == "deleted" and user.name == pseudonym(user.id))


def pseudonyms(user_ids: Iterable[Optional[str]]) -> dict[str, str]:
    """``{user id: pseudonym}`` of the erased accounts among ``user_ids``."""
    ids = {u for u in user_ids if u}
    if not ids:
        return {}
    rows = model.Session.query(model.User.id, model.User.name).filter(
        model.User.id.in_(ids), model.User.state == "deleted",
        model.User.name.like(PREFIX + "%"))
    return {uid: name for uid, name in rows if name == pseudonym(uid)}


def retention_list() -> list[dict[str, str]]:
    from ckanext.lyg_opendata.identity.security import retention
    values = {"days": retention.address_days()}
    return [{"what": _(a), "at_deletion": _(b), "kept": _(c) % values if "%(" in c else _(c)}
            for a, b, c in RETENTION]


# --- what blocks an erasure ----------------------------------------------------------------

def open_procedures(user_id: str) -> dict[str, int]:
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
    apps = model.Session.query(Application).filter(
        Application.user_id == user_id,
        Application.status.in_(("submitted", "info_requested"))).count()
    disc = model.Session.query(DisclosureRequest).filter(
        DisclosureRequest.user_id == user_id,
        DisclosureRequest.status.in_(("received", "correction_requested"))).count()
    return {k: v for k, v in (("applications", apps), ("disclosure", disc)) if v}


# --- the erasure ---------------------------------------------------------------------------

def _needles(user: model.User, found: list[str]) -> list[str]:
    found = [user.name, user.fullname, user.email, *found]
    if user.email and "@" in user.email:
        found.append(user.email.split("@")[0])
    return [n for n in found if n]


CONTACT_COLUMNS = ("contact", "contact_phone", "contact_email", "phone", "email")
_PHONE = re.compile(r"\+?\d[\d \-]{5,}\d")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def _contacts_in(rows: Iterable[Any]) -> list[str]:
    """The phone numbers and email addresses the person gave in the contact fields of their
    records, in NFKC (full-width digits and letters as half-width; they are looked for in the
    texts too)."""
    found: list[str] = []
    for row in rows:
        for column in CONTACT_COLUMNS:
            value = getattr(row, column, None)
            if isinstance(value, str):
                value = masking.nfkc(value)
                found += _PHONE.findall(value) + _EMAIL.findall(value)
        for column in ("contact_name", "contact_person"):
            value = getattr(row, column, None)
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
    return found


def masker(texts: list[str], phones: list[str],
           numbers: Iterable[str] = ()) -> Callable[[str], str]:
    """A function replacing the person's names and email addresses (in any letter case and
    width), their phone numbers (however written) and ID numbers by ``***``
    (``masking.text_masker``)."""
    return masking.text_masker(texts, phones, numbers)


def _scrub(obj: Any, mask: Callable[[str], str], skip: tuple[str, ...] = ()) -> None:
    """Replace the person's name, email and phone by ``***`` in the text columns of ``obj``."""
    for col in sa.inspect(obj).mapper.column_attrs:
        key = col.key
        if key in skip or key == "id" or key.endswith("_id") or key.endswith("_by"):
            continue
        value = getattr(obj, key)
        if isinstance(value, str) and value:
            new = mask(value)
            if new != value:
                setattr(obj, key, new)


def _blank(obj: Any, columns: Iterable[str]) -> None:
    for column in columns:
        setattr(obj, column, None)


def _remove_letter(link: Any) -> None:
    try:
        import file_keeper as fk
        from ckan.lib import files
        storage = files.get_storage(link.letter_storage)
        storage.remove(fk.FileData(fk.Location(link.letter_location)))
    except Exception:  # already gone, or the storage is no longer configured
        log.warning("the letter of org link %s could not be removed", link.id, exc_info=True)


def erase(user: model.User, actor: Optional[model.User]) -> dict[str, Any]:
    """Erase and pseudonymise (see the module's doc); flushes, the action commits. Returns the
    pseudonym, the counts and the memberships ended (``(group id, capacity)``, for the
    security log)."""
    from ckanext.lyg_opendata.access.model import Agreement, Application, ApplicationEvent
    from ckanext.lyg_opendata.disclosure.model import (
        DisclosureComplaint, DisclosureComplaintEvent, DisclosureEvent, DisclosureRequest)
    from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity
    from ckanext.lyg_opendata.identity.org_model import OrgLink, OrgLinkEvent, RealNameCheck
    from ckanext.lyg_opendata.identity.security.model import (
        RecoveryCode, SecurityEvent, TotpSecret)
    from ckanext.lyg_opendata.notify import Notice
    from ckanext.lyg_opendata.objections.model import Objection, ObjectionEvent, Report, ReportEvent
    from ckanext.lyg_opendata.participation.model import (
        DataRequest, DataRequestEvent, DataRequestSupport, Rating, Suggestion, SuggestionEvent)
    from ckanext.lyg_opendata.showcase.model import Showcase, ShowcaseEvent

    S = model.Session
    uid = user.id
    old_name = user.name
    idents = S.query(OidcIdentity).filter(OidcIdentity.user_id == uid).all()
    apps = S.query(Application).filter(Application.user_id == uid).all()
    discs = S.query(DisclosureRequest).filter(DisclosureRequest.user_id == uid).all()
    objections = S.query(Objection).filter(Objection.raised_by == uid).all()
    reports = S.query(Report).filter(Report.reported_by == uid).all()
    reqs = S.query(DataRequest).filter(DataRequest.requested_by == uid).all()
    suggestions = S.query(Suggestion).filter(Suggestion.submitted_by == uid).all()
    contacts = [i.phone for i in idents if i.phone] + _contacts_in(
        [*apps, *discs, *objections, *reports, *reqs, *suggestions])
    phones = [c for c in contacts if _PHONE.fullmatch(masking.nfkc(c).strip())]
    numbers = [r.id_number for r in discs if r.id_number]
    # the name an individual applied under (it may differ from the account's full name)
    contacts += [r.applicant_name for r in [*apps, *discs]
                 if r.applicant_type == "individual" and r.applicant_name]
    needles = masker(_needles(user, [c for c in contacts if c not in phones]), phones, numbers)
    counts: dict[str, int] = {}

    def count(key: str, n: int) -> None:
        if n:
            counts[key] = counts.get(key, 0) + n

    # erased
    for table in (OidcIdentity, TotpSecret, RecoveryCode, Notice, RealNameCheck):
        count(table.__tablename__, S.query(table).filter(table.user_id == uid)
              .delete(synchronize_session=False))
    count("api_tokens", S.query(model.ApiToken).filter(model.ApiToken.user_id == uid)
          .delete(synchronize_session=False))
    for support in S.query(DataRequestSupport).filter(DataRequestSupport.user_id == uid).all():
        req = S.get(DataRequest, support.request_id)
        if req is not None and req.support_count:
            req.support_count -= 1
        S.delete(support)
        count("data_request_supports", 1)
    rated = [r.package_id for r in S.query(Rating).filter(Rating.user_id == uid)]
    count("ratings", S.query(Rating).filter(Rating.user_id == uid).delete(synchronize_session=False))
    memberships = S.query(model.Member).filter(
        model.Member.table_name == "user", model.Member.table_id == uid,
        model.Member.state == "active").all()
    ended = [(m.group_id, m.capacity) for m in memberships]
    for member in memberships:
        member.state = "deleted"
    count("memberships", len(memberships))

    # kept, pseudonymised
    def keep(rows, blank=(), events=None, event_key=None):
        for row in rows:
            _blank(row, blank)
            _scrub(row, needles)
            if events is not None:
                for ev in S.query(events).filter(getattr(events, event_key) == row.id):
                    _scrub(ev, needles)
        return len(rows)

    for app in apps:
        if app.applicant_type == "individual":
            app.applicant_name = None
    count("applications", keep(apps, ("contact_name", "contact_phone", "contact_email"),
                               ApplicationEvent, "application_id"))
    for agr in S.query(Agreement).filter(Agreement.application_id.in_([a.id for a in apps])):
        _blank(agr, ("applicant_sign_ip", "applicant_sign_user_agent"))
    for req in discs:
        if req.applicant_type == "individual":
            _blank(req, ("applicant_name", "id_type", "id_number"))
    count("disclosure_applications", keep(
        discs, ("contact_person", "phone", "email", "address"), DisclosureEvent, "request_id"))
    count("disclosure_complaints", keep(
        S.query(DisclosureComplaint).filter(DisclosureComplaint.user_id == uid).all(), (),
        DisclosureComplaintEvent, "complaint_id"))
    count("objections", keep(objections,
                             ("contact", "raised_ip"), ObjectionEvent, "objection_id"))
    count("reports", keep(reports,
                          ("contact", "reported_ip"), ReportEvent, "report_id"))
    for req in reqs:
        req.show_name = False
    count("data_requests", keep(reqs, ("contact",), DataRequestEvent, "request_id"))
    count("suggestions", keep(suggestions,
                              ("contact",), SuggestionEvent, "suggestion_id"))
    count("showcases", keep(S.query(Showcase).filter(Showcase.submitted_by == uid).all(),
                            (), ShowcaseEvent, "showcase_id"))
    for link in S.query(OrgLink).filter(OrgLink.user_id == uid).all():
        _remove_letter(link)
        link.letter_location = ""
        link.letter_name = MASK
        if link.status in ("submitted", "verified"):
            S.add(OrgLinkEvent(link_id=link.id, actor_id=actor.id if actor else None,
                               action="withdraw", from_status=link.status, to_status="withdrawn",
                               reason=None))
            link.status = "withdrawn"
        count("org_links", 1)
    new_name = pseudonym(uid)
    for event in S.query(SecurityEvent).filter(sa.or_(
            SecurityEvent.user_id == uid,
            sa.func.lower(sa.func.normalize(SecurityEvent.login, sa.literal_column("NFKC")))
            .in_([masking.nfkc(n).lower() for n in (old_name, user.email) if n]))):
        event.login = new_name if event.login else event.login
        _scrub(event, needles, skip=("login", "address", "kind"))

    # the account itself
    user.name = new_name
    user.fullname = None
    user.email = None
    user.about = None
    user.image_url = None
    user.plugin_extras = None
    user.password = secrets.token_urlsafe(48)  # hashed by the model: every session ends
    user.state = "deleted"
    user.sysadmin = False
    S.flush()
    _forget_activities(uid)
    from ckanext.lyg_opendata.participation import ratings
    for package_id in set(rated):
        try:
            ratings.reindex(package_id)
        except Exception:
            log.warning("could not re-index %s after an erasure", package_id, exc_info=True)
    return {"pseudonym": new_name, "counts": counts, "memberships_ended": ended}


def _forget_activities(user_id: str) -> None:
    """The activity stream's snapshots of the account (``new user``, ``changed user``): they
    hold the old name, full name and email."""
    if "activity" not in sa.inspect(model.Session.get_bind()).get_table_names():
        return
    model.Session.execute(sa.text(
        "DELETE FROM activity WHERE object_id = :u AND activity_type IN "
        "('new user', 'changed user', 'deleted user')"), {"u": user_id})
