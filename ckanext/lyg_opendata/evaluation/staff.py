"""Staff filing (专人专岗, Art 35): each agency files its responsible leader and its
data-opening staff with the supervising bureau; every filing is kept (history), the latest is
current; supervisors see which agencies have not filed. Not public."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation.model import StaffFiling
from ckanext.lyg_opendata.objections.schema import max_length, no_blocked_words

_ = tk._

__all__ = ["lyg_opendata_staff_filing_submit", "lyg_opendata_staff_filing_show",
           "lyg_opendata_staff_filing_list"]


def _v(name):
    return tk.get_validator(name)


def _strip(value, context):
    return value.strip() if isinstance(value, str) else value


def _field(maximum: int = 200) -> list:
    return [_strip, _v("not_empty"), _v("unicode_safe"),
            max_length(maximum), no_blocked_words]


def submit_schema() -> dict:
    return {"organization": [_v("not_empty"), _v("unicode_safe")],
            **{k: _field() for k in ("leader_name", "leader_post", "leader_contact",
                                     "staff_name", "staff_post", "staff_contact")}}


def _agency(name_or_id: Any) -> model.Group:
    org = model.Group.get(name_or_id) if isinstance(name_or_id, str) and name_or_id else None
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(_("Data-opening body not found"))
    return org


def filing_dict(row: Optional[StaffFiling]) -> Optional[dict[str, Any]]:
    if row is None:
        return None
    user = model.Session.get(model.User, row.filed_by) if row.filed_by else None
    return {"id": row.id, "organization_id": row.organization_id,
            "leader_name": row.leader_name, "leader_post": row.leader_post,
            "leader_contact": row.leader_contact, "staff": row.staff,
            "filed_by": (user.fullname or user.name) if user else None,
            "filed_at": row.filed_at.isoformat()}


def _history(org_id: str) -> list[StaffFiling]:
    return model.Session.query(StaffFiling).filter(StaffFiling.organization_id == org_id) \
        .order_by(StaffFiling.filed_at.desc(), StaffFiling.id.desc()).all()


def lyg_opendata_staff_filing_submit(context, data_dict):
    """File (or file again) the agency's responsible leader and data-opening staff.

    :param organization: the agency (id or name)
    :param leader_name, leader_post, leader_contact: the responsible leader
    :param staff_name, staff_post, staff_contact: the data-opening staff member
    """
    data, errors = tk.navl_validate(dict(data_dict or {}) if isinstance(data_dict, dict) else {},
                                    submit_schema())
    if errors:
        raise tk.ValidationError(errors)
    org = _agency(data["organization"])
    tk.check_access("lyg_opendata_staff_filing_submit", context, {"organization": org.id})
    row = StaffFiling(organization_id=org.id, leader_name=data["leader_name"],
                      leader_post=data["leader_post"], leader_contact=data["leader_contact"],
                      staff=[{"name": data["staff_name"], "post": data["staff_post"],
                              "contact": data["staff_contact"]}],
                      filed_by=shared.actor_id(context.get("user")))
    model.Session.add(row)
    shared.commit(context)
    return filing_dict(row)


@tk.side_effect_free
def lyg_opendata_staff_filing_show(context, data_dict):
    """The agency's current filing and its history (newest first).

    :param organization: the agency (id or name)
    """
    org = _agency((data_dict or {}).get("organization"))
    rows = _history(org.id)
    return {"organization": org.name, "organization_title": org.title or org.name,
            "current": filing_dict(rows[0] if rows else None),
            "history": [filing_dict(r) for r in rows[1:]]}


@tk.side_effect_free
def lyg_opendata_staff_filing_list(context, data_dict):
    """Every agency (the supervising body left out) with its current filing or None: those
    that have not filed first."""
    from ckanext.lyg_opendata.evaluation.scorecards import agencies
    out = []
    for org in agencies():
        rows = _history(org.id)
        out.append({"organization": org.name, "organization_title": org.title or org.name,
                    "current": filing_dict(rows[0] if rows else None), "filings": len(rows)})
    out.sort(key=lambda r: (r["current"] is not None, r["organization_title"]))
    return out


# --- auth ----------------------------------------------------------------------------------

def _org_id(data_dict) -> Optional[str]:
    value = (data_dict or {}).get("organization")
    org = model.Group.get(value) if isinstance(value, str) and value else None
    return org.id if org else None


def auth_submit(context, data_dict):
    user = context.get("user")
    obj = roles._user(user)
    if obj is not None and (obj.sysadmin or roles.is_agency_editor(user, _org_id(data_dict))):
        return {"success": True}
    return {"success": False, "msg": _("Only the data-opening body's editors and admins may file its staff")}


def auth_show(context, data_dict):
    user = context.get("user")
    if roles.is_supervisor(user) or roles.is_agency_editor(user, _org_id(data_dict)):
        return {"success": True}
    return {"success": False, "msg": _("Staff filings are seen by supervisors and the body itself")}


def auth_list(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": _("Only supervisors may do this")}
