"""Verified organisations and real-name status (issue 20 item 2; docs/identity.md).

A user claims to act for an organisation: its name, 统一社会信用代码 (checked with
``stdnum.cn.uscc``) and an authorisation letter (授权书) kept in CKAN's file storage
(``ckanext.lyg_opendata.identity.letter_storage``; the storage's ``supported_types`` and
``max_size`` check the detected content type and the size; never public). Supervisors verify or
refuse it with a reason; the claimant may withdraw it. The workflow has the shared shape
(workflow.py): ``ORG_LINK`` transitions, ``locked``, ``record``, ``commit``, ``@after`` notices.

Real-name status: the provider's level (identity/oidc.py), or a check made by staff
(``RealNameCheck``)."""
from __future__ import annotations

import re
import uuid
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, roles, workflow
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.identity import oidc
from ckanext.lyg_opendata.identity.org_model import OrgLink, OrgLinkEvent, RealNameCheck
from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity

_ = tk._

STATUS_LABELS = {
    "submitted": N_("Awaiting verification"),
    "verified": N_("Verified"),
    "refused": N_("Verification refused"),
    "withdrawn": N_("Withdrawn"),
}
ACTION_LABELS = {"verify": N_("verified"), "refuse": N_("refused"), "withdraw": N_("withdrawn")}


def status_label(code: str) -> str:
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


ORG_LINK = workflow.Transitions(
    {
        "verify": (["submitted"], "verified"),
        "refuse": (["submitted"], "refused"),
        "withdraw": (["submitted", "verified"], "withdrawn"),
    },
    status_label=status_label,
    action_label=lambda verb: _(ACTION_LABELS[verb]),
    refused=N_("An organisation link that is %(status)s cannot be %(action)s"),
)

NAME_MAX = 200


def get(link_id: Any) -> OrgLink:
    row = model.Session.get(OrgLink, link_id) if isinstance(link_id, str) and link_id else None
    if row is None:
        raise tk.ObjectNotFound(_("Organisation link not found"))
    return row


def _user(context) -> Optional[model.User]:
    return roles._user(context.get("user"))


# --- the letter -------------------------------------------------------------------------

def _storage():
    from ckan.lib import files
    name = tk.config.get("ckanext.lyg_opendata.identity.letter_storage")
    try:
        return files.get_storage(name)
    except files.exc.UnknownStorageError:
        workflow.fail("letter", _("Authorisation letters cannot be uploaded on this portal "
                                  "(no file storage is configured for them)"))


def _is_upload(value: Any) -> bool:
    return hasattr(value, "stream") or hasattr(value, "read")


def store_letter(link_id: str, upload: Any) -> dict[str, Any]:
    """Store the letter in CKAN's file storage; its location, name, type and size. The
    storage refuses a type it does not support (detected from the content) or a file too
    large: a field error."""
    import file_keeper as fk
    storage = _storage()
    name = getattr(upload, "filename", None) or ""
    name = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", str(name).replace("\\", "/").rsplit("/", 1)[-1])[:120]
    try:
        data = fk.make_upload(upload)
    except (TypeError, ValueError):
        workflow.fail("letter", _("Upload the authorisation letter as a file"))
    if not data.size:
        workflow.fail("letter", _("The authorisation letter is empty"))
    allowed = ", ".join(storage.settings.supported_types or [])
    try:
        info = storage.upload(fk.Location(f"lyg_opendata/org_letters/{link_id}"), data)
    except fk.exc.WrongUploadTypeError:
        workflow.fail("letter", _("The authorisation letter must be one of these types: %s "
                                  "(its content was recognised as %s)") % (allowed, data.content_type))
    except fk.exc.LargeUploadError:
        workflow.fail("letter", _("The authorisation letter is larger than %d MB")
                      % max(1, storage.settings.max_size // (1024 * 1024)))
    return {"letter_storage": storage.settings.name, "letter_location": info.location,
            "letter_name": name or "letter", "letter_type": info.content_type,
            "letter_size": info.size}


def letter_content(link: OrgLink) -> bytes:
    import file_keeper as fk
    from ckan.lib import files
    storage = files.get_storage(link.letter_storage)
    return storage.content(fk.FileData(fk.Location(link.letter_location)))


# --- real-name status ---------------------------------------------------------------------

def real_name(user_id: Optional[str]) -> dict[str, Any]:
    """``{"verified": bool, "source": "provider"|"staff"|None, "level": int|None,
    "verified_by": name|None, "verified_at": iso|None}``."""
    if not user_id:
        return _real_name(None, None, {})
    ident = oidc.identity_of(user_id) if oidc.enabled() else None
    check = None if oidc.is_real_name(ident) else model.Session.get(RealNameCheck, user_id)
    by = model.Session.get(model.User, check.verified_by) if check and check.verified_by else None
    return _real_name(ident, check, {by.id: by.name} if by else {})


def real_names(user_ids) -> dict[str, dict[str, Any]]:
    """``real_name`` of several users (a page of applications) in three queries."""
    ids = {u for u in user_ids if u}
    if not ids:
        return {}
    idents = {i.user_id: i for i in model.Session.query(OidcIdentity).filter(
        OidcIdentity.user_id.in_(ids), OidcIdentity.issuer == oidc.issuer())} \
        if oidc.enabled() else {}
    checks = {c.user_id: c for c in model.Session.query(RealNameCheck).filter(
        RealNameCheck.user_id.in_(ids))}
    by_ids = {c.verified_by for c in checks.values() if c.verified_by}
    names = {u.id: u.name for u in model.Session.query(model.User).filter(
        model.User.id.in_(by_ids))} if by_ids else {}
    return {u: _real_name(idents.get(u), checks.get(u), names) for u in ids}


def _real_name(ident, check, names: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"verified": False, "source": None, "level": None,
                           "verified_by": None, "verified_at": None}
    if ident is not None:
        out["level"] = ident.identity_level
        if oidc.is_real_name(ident):
            out.update(verified=True, source="provider",
                       verified_at=ident.last_login.isoformat())
            return out
    if check is not None:
        out.update(verified=True, source="staff", verified_by=names.get(check.verified_by),
                   verified_at=check.verified_at.isoformat())
    return out


def verified_link(user_id: Optional[str], credit_code: Optional[str]) -> Optional[OrgLink]:
    if not user_id or not credit_code:
        return None
    return (model.Session.query(OrgLink)
            .filter(OrgLink.user_id == user_id, OrgLink.credit_code == credit_code.upper(),
                    OrgLink.status == "verified").one_or_none())


def verification_of(user_id: Optional[str], credit_code: Optional[str]) -> dict[str, Any]:
    """What an agency sees of an application as an organisation: verified (已核验), by whom and
    when; or not."""
    link = verified_link(user_id, credit_code)
    if link is None:
        return {"verified": False, "verified_by": None, "verified_by_name": None,
                "verified_at": None}
    by = model.Session.get(model.User, link.decided_by) if link.decided_by else None
    return {"verified": True, "verified_by": by.name if by else None,
            "verified_by_name": (by.fullname or by.name) if by else None,
            "verified_at": link.decided_at.isoformat() if link.decided_at else None}


def require_verified() -> bool:
    return tk.asbool(tk.config.get("ckanext.lyg_opendata.identity.require_verified_org"))


def check_may_apply_as(user_id: str, credit_code: Optional[str]) -> None:
    """An application as an organisation needs the applicant's verified link to it, when
    ``identity.require_verified_org`` is on; a field error on ``credit_code`` otherwise."""
    if require_verified() and verified_link(user_id, credit_code) is None:
        raise tk.ValidationError({"credit_code": [_(
            "You may apply as this organisation once your link to it is verified: claim it "
            "under My organisations with its authorisation letter")]})


def for_application(user_id: str, applicant_type: str, credit_code: Optional[str],
                    status: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """What the agency handling an application sees of the applicant's identity
    (``status``: the applicant's ``real_name``, when already read for a page)."""
    status = status if status is not None else real_name(user_id)
    return {
        "real_name": status["verified"], "real_name_source": status["source"],
        "organisation": (verification_of(user_id, credit_code)
                         if applicant_type == "organization" else None),
    }


# --- dicts ----------------------------------------------------------------------------------

def as_dict(link: OrgLink) -> dict[str, Any]:
    user = model.Session.get(model.User, link.user_id)
    by = model.Session.get(model.User, link.decided_by) if link.decided_by else None
    return {
        "id": link.id, "user_id": link.user_id, "user_name": user.name if user else None,
        "user_fullname": user.fullname if user else None,
        "org_name": link.org_name, "credit_code": link.credit_code,
        "letter_name": link.letter_name, "letter_type": link.letter_type,
        "letter_size": link.letter_size,
        "status": link.status, "status_label": status_label(link.status),
        "created": link.created.isoformat(),
        "decided_by": by.name if by else None,
        "decided_at": link.decided_at.isoformat() if link.decided_at else None,
        "decision_reason": link.decision_reason,
        "allowed": ORG_LINK.allowed(link.status),
    }


# --- the workflow ---------------------------------------------------------------------------

def check_credit_code(value: Any) -> str:
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError as StdnumError
    code = value.strip().upper() if isinstance(value, str) else ""
    if not code:
        workflow.fail("credit_code", _("Missing value"))
    try:
        return uscc.validate(code)
    except StdnumError:
        workflow.fail("credit_code", _("This is not a valid unified social credit code "
                                       "(统一社会信用代码)"))


def create(context, data_dict: dict) -> OrgLink:
    user = _user(context)
    name = data_dict.get("org_name")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        workflow.fail("org_name", _("Missing value"))
    if len(name) > NAME_MAX:
        workflow.fail("org_name", _("At most %d characters") % NAME_MAX)
    code = check_credit_code(data_dict.get("credit_code"))
    upload = data_dict.get("letter")
    if not _is_upload(upload):
        workflow.fail("letter", _("Upload the authorisation letter (授权书)"))
    open_one = (model.Session.query(OrgLink)
                .filter(OrgLink.user_id == user.id, OrgLink.credit_code == code,
                        OrgLink.status.in_(["submitted", "verified"])).first())
    if open_one is not None:
        workflow.fail("credit_code", _("You already have a link to this organisation that is "
                                       "awaiting verification or verified"))
    link = OrgLink(id=str(uuid.uuid4()), user_id=user.id, org_name=name, credit_code=code,
                   status="submitted")
    stored = store_letter(link.id, upload)
    for key, value in stored.items():
        setattr(link, key, value)
    model.Session.add(link)
    model.Session.flush()
    workflow.record(OrgLinkEvent, link_id=link.id, actor_id=user.id, action="create",
                    from_status=None, to_status="submitted")
    workflow.commit(context)
    return link


def move(context, data_dict: dict, verb: str) -> OrgLink:
    user = _user(context)
    link = workflow.locked(OrgLink, data_dict.get("id"), _("Organisation link not found"))
    to = ORG_LINK.target(verb, link.status)
    reason = data_dict.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    if verb == "refuse" and not reason:
        workflow.fail("reason", _("Give the reason for the refusal"))
    if len(reason) > 2000:
        workflow.fail("reason", _("At most %d characters") % 2000)
    before = link.status
    link.status = to
    if verb in ("verify", "refuse"):
        link.decided_by = user.id if user else None
        link.decided_at = workflow.utcnow()
        link.decision_reason = reason or None
    workflow.record(OrgLinkEvent, link_id=link.id, actor_id=user.id if user else None,
                    action=verb, from_status=before, to_status=to, reason=reason or None)
    workflow.commit(context)
    return link


def verify_real_name(context, data_dict: dict) -> RealNameCheck:
    staff = _user(context)
    target = roles._user(data_dict.get("user")) if isinstance(data_dict.get("user"), str) else None
    if target is None:
        raise tk.ObjectNotFound(_("User not found"))
    note = data_dict.get("note")
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        workflow.fail("note", _("Say how the real name was checked (e.g. the ID card seen at the counter)"))
    if len(note) > 500:
        workflow.fail("note", _("At most %d characters") % 500)
    check = model.Session.get(RealNameCheck, target.id) or RealNameCheck(user_id=target.id)
    check.verified_by = staff.id if staff else None
    check.verified_at = workflow.utcnow()
    check.note = note
    model.Session.add(check)
    workflow.commit(context)
    return check


# --- notices ----------------------------------------------------------------------------------

@workflow.after("lyg_opendata_org_link_verify", "lyg_opendata_org_link_refuse")
def _tell_claimant(context, data_dict, result):
    link = model.Session.get(OrgLink, result["id"])
    user = model.Session.get(model.User, link.user_id) if link else None
    if user is None:
        return
    if link.status == "verified":
        subject = _("Your link to %s is verified") % link.org_name
        body = _("You may now apply for conditional data as %s.") % link.org_name
    else:
        subject = _("Your link to %s was refused") % link.org_name
        body = _("Reason: %s") % (link.decision_reason or "")
    notify.notify_users([user], subject, body, link=tk.h.url_for("lyg_opendata_orgs.mine"),
                        commit=False)


@workflow.after("lyg_opendata_org_link_create")
def _tell_supervisors(context, data_dict, result):
    org = roles.supervisor_org()
    if org is None:
        return
    members = (model.Session.query(model.User).join(model.Member, model.Member.table_id == model.User.id)
               .filter(model.Member.group_id == org.id, model.Member.state == "active",
                       model.Member.table_name == "user",
                       model.Member.capacity.in_(["admin", "editor"])).all())
    notify.notify_users(members, _("An organisation link awaits verification"),
                        _("%(user)s claims to act for %(org)s.") % {
                            "user": result.get("user_fullname") or result.get("user_name"),
                            "org": result["org_name"]},
                        link=tk.h.url_for("lyg_opendata_orgs.queue"), commit=False)
