"""Who may see what of an application: the applicant and the deciding agency's staff see it
whole; supervisors (watching deadlines, Art 39) see it without the personal details."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.model import Application

# what a supervisor (watching deadlines, Art 39) does not see of an application
PERSONAL_FIELDS = ("contact_name", "contact_phone", "contact_email")


def is_applicant(user: Any, app: Application) -> bool:
    obj = roles._user(user)
    return obj is not None and obj.id == app.user_id


def is_deciding_staff(user: Any, app: Application) -> bool:
    """Editors and admins of the agency that answers the application; sysadmins."""
    obj = roles._user(user)
    if obj is None:
        return False
    return obj.sysadmin or roles.is_agency_editor(obj, app.org_id)


def sees_personal_details(user: Any, app: Application) -> bool:
    return is_applicant(user, app) or is_deciding_staff(user, app)


def may_view(user: Any, app: Application) -> bool:
    return sees_personal_details(user, app) or roles.is_supervisor(user)


def count_open_for_staff(user: Any) -> int:
    org_ids = roles.editable_org_ids(user)
    if not org_ids:
        return 0
    return model.Session.query(sa.func.count(Application.id)).filter(
        Application.org_id.in_(org_ids), Application.status == "submitted").scalar() or 0
