"""Actions of verified organisations and real-name status (organisations.py has the rules;
org_auth.py who may call them)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.identity import organisations as orgs
from ckanext.lyg_opendata.identity.org_model import OrgLink, OrgLinkEvent

__all__ = [
    "lyg_opendata_org_link_create",
    "lyg_opendata_org_link_show",
    "lyg_opendata_org_link_list",
    "lyg_opendata_org_link_verify",
    "lyg_opendata_org_link_refuse",
    "lyg_opendata_org_link_withdraw",
    "lyg_opendata_org_member_list",
    "lyg_opendata_real_name_show",
    "lyg_opendata_real_name_verify",
]

LIST_MAX = 100


def _page(data_dict) -> tuple[int, int]:
    def num(key, default, top):
        try:
            value = int(data_dict.get(key, default))
        except (TypeError, ValueError):
            raise tk.ValidationError({key: [tk._("Must be a whole number")]})
        if value < 0 or value > top:
            raise tk.ValidationError({key: [tk._("Must be between 0 and %d") % top]})
        return value
    return num("limit", 20, LIST_MAX), num("offset", 0, 10 ** 6)


def lyg_opendata_org_link_create(context, data_dict):
    """Claim to act for an organisation (logged-in users).

    :param org_name: the organisation's name
    :param credit_code: its 统一社会信用代码 (GB 32100-2015, checked)
    :param letter: the authorisation letter (授权书), a file upload (PDF, PNG or JPEG by default)
    """
    tk.check_access("lyg_opendata_org_link_create", context, data_dict)
    return orgs.as_dict(orgs.create(context, data_dict))


def lyg_opendata_org_link_show(context, data_dict):
    """One link (its claimant and supervisors), with its events. :param id:"""
    link = orgs.get(data_dict.get("id"))
    tk.check_access("lyg_opendata_org_link_show", context, data_dict)
    out = orgs.as_dict(link)
    events = (model.Session.query(OrgLinkEvent).filter(OrgLinkEvent.link_id == link.id)
              .order_by(OrgLinkEvent.created).all())
    names = {u.id: u.name for u in model.Session.query(model.User).filter(
        model.User.id.in_({e.actor_id for e in events if e.actor_id}))}
    out["events"] = [{"action": e.action, "from_status": e.from_status, "to_status": e.to_status,
                      "reason": e.reason, "actor": names.get(e.actor_id),
                      "created": e.created.isoformat()} for e in events]
    return out


def lyg_opendata_org_link_list(context, data_dict):
    """Links: the caller's own (``mine``, the default for everyone), or for supervisors all of
    them (``mine=false``), filtered by ``status`` and ``credit_code``; paged (``limit``,
    ``offset``) with the ``count``."""
    tk.check_access("lyg_opendata_org_link_list", context, data_dict)
    user = roles._user(context.get("user"))
    limit, offset = _page(data_dict)
    q = model.Session.query(OrgLink)
    mine = tk.asbool(data_dict.get("mine", True)) if isinstance(data_dict.get("mine", True), (bool, str)) else True
    if mine or not roles.is_supervisor(user):
        q = q.filter(OrgLink.user_id == user.id)
    status = data_dict.get("status")
    if status not in (None, ""):
        if not isinstance(status, str) or status not in orgs.STATUS_LABELS:
            raise tk.ValidationError({"status": [tk._("Unknown status")]})
        q = q.filter(OrgLink.status == status)
    code = data_dict.get("credit_code")
    if isinstance(code, str) and code.strip():
        q = q.filter(OrgLink.credit_code == code.strip().upper())
    count = q.count()
    rows = q.order_by(OrgLink.created.desc(), OrgLink.id).limit(limit).offset(offset).all()
    return {"count": count, "results": [orgs.as_dict(r) for r in rows]}


def lyg_opendata_org_link_verify(context, data_dict):
    """A supervisor verifies the link (the letter read). :param id: :param reason: optional"""
    orgs.get(data_dict.get("id"))
    tk.check_access("lyg_opendata_org_link_verify", context, data_dict)
    return orgs.as_dict(orgs.move(context, data_dict, "verify"))


def lyg_opendata_org_link_refuse(context, data_dict):
    """A supervisor refuses the link. :param id: :param reason: required"""
    orgs.get(data_dict.get("id"))
    tk.check_access("lyg_opendata_org_link_refuse", context, data_dict)
    return orgs.as_dict(orgs.move(context, data_dict, "refuse"))


def lyg_opendata_org_link_withdraw(context, data_dict):
    """The claimant withdraws the link (no longer acts for the organisation). :param id:"""
    orgs.get(data_dict.get("id"))
    tk.check_access("lyg_opendata_org_link_withdraw", context, data_dict)
    return orgs.as_dict(orgs.move(context, data_dict, "withdraw"))


def lyg_opendata_org_member_list(context, data_dict):
    """The verified members of an organisation (supervisors). :param credit_code:"""
    tk.check_access("lyg_opendata_org_member_list", context, data_dict)
    code = orgs.check_credit_code(data_dict.get("credit_code"))
    rows = (model.Session.query(OrgLink)
            .filter(OrgLink.credit_code == code, OrgLink.status == "verified")
            .order_by(OrgLink.decided_at).all())
    return {"credit_code": code, "count": len(rows), "results": [orgs.as_dict(r) for r in rows]}


def lyg_opendata_real_name_show(context, data_dict):
    """A user's real-name status (the user and supervisors). :param user: name or id"""
    target = roles._user(data_dict.get("user")) if isinstance(data_dict.get("user"), str) else None
    if target is None:
        raise tk.ObjectNotFound(tk._("User not found"))
    tk.check_access("lyg_opendata_real_name_show", context, data_dict)
    return dict(orgs.real_name(target.id), user=target.name)


def lyg_opendata_real_name_verify(context, data_dict):
    """Staff record a real-name check (supervisors). :param user: :param note: how it was checked"""
    target = roles._user(data_dict.get("user")) if isinstance(data_dict.get("user"), str) else None
    if target is None:
        raise tk.ObjectNotFound(tk._("User not found"))
    tk.check_access("lyg_opendata_real_name_verify", context, data_dict)
    orgs.verify_real_name(context, data_dict)
    return dict(orgs.real_name(target.id), user=target.name)
