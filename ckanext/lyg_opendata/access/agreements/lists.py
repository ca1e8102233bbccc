"""The scopes of the lists of grants, agreements and usage reports: mine, my agencies', all
(supervisors), one agency's."""
from __future__ import annotations

import logging
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.model import (
    Agreement, Application, Grant, UsageReport)

log = logging.getLogger(__name__)
_ = tk._


# --- scopes of the lists ---------------------------------------------------------------

def org_ids_for(user: model.User, scope: str, org: Optional[str] = None) -> Optional[list[str]]:
    """The agencies whose grants a list covers: None for every agency (``all``)."""
    group = None
    if org:
        group = model.Group.get(org)
        if group is None or not group.is_organization:
            raise tk.ValidationError({"organization": [_("Organization not found")]})
    if scope == "all":
        return [group.id] if group else None
    ids = roles.editable_org_ids(user)
    if group is not None:
        if group.id not in ids and not roles.is_supervisor(user):
            raise tk.NotAuthorized(_("Only an agency's editors and admins see its grants"))
        ids = [group.id]
    return ids


def _scoped(query, user: model.User, scope: str, org: Optional[str]):
    """Filter a query joined to the application: the user's own (as applicant/grantee), or
    those of the agencies in scope."""
    if scope == "mine":
        return query.filter(Application.user_id == user.id)
    ids = org_ids_for(user, scope, org)
    if ids is None:
        return query
    pkg = sa.orm.aliased(model.Package)
    return query.join(pkg, pkg.id == Application.package_id).filter(
        sa.func.coalesce(Application.org_id, pkg.owner_org).in_(ids or ["-"]))


def grants_query(user: model.User, scope: str, org: Optional[str] = None):
    query = model.Session.query(Grant).join(Application, Application.id == Grant.application_id)
    return _scoped(query, user, scope, org)


def agreements_query(user: model.User, scope: str, org: Optional[str] = None):
    query = model.Session.query(Agreement).join(
        Application, Application.id == Agreement.application_id)
    return _scoped(query, user, scope, org)


def reports_query(user: model.User, scope: str, org: Optional[str] = None):
    query = model.Session.query(UsageReport).join(Grant, Grant.id == UsageReport.grant_id).join(
        Application, Application.id == Grant.application_id)
    return _scoped(query, user, scope, org)
