"""Who holds a valid grant over which resources (Art 19): the questions redaction, the download
guard, DataStore auth and the access log ask. A grant is valid while it is not revoked and
today (Beijing date) lies within its term; nothing about validity is stored as a flag.

An empty ``resource_ids`` list on a grant never means "all": the approval names the
resources (the application's "all resources" is resolved to ids when it is approved).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.model import Grant
from ckanext.lyg_opendata.workdays import today_beijing


def _user_id(user: Any) -> Optional[str]:
    obj = roles._user(user)
    return obj.id if obj is not None else None


def _valid(query, on: Optional[dt.date] = None):
    day = on or today_beijing()
    return query.filter(Grant.revoked_at.is_(None), Grant.starts_on <= day, Grant.ends_on >= day)


def valid_grants(user: Any, package_id: str, on: Optional[dt.date] = None) -> list[Grant]:
    """The user's valid grants on a dataset (usually one)."""
    user_id = _user_id(user)
    if not user_id or not package_id:
        return []
    return _valid(model.Session.query(Grant).filter(
        Grant.user_id == user_id, Grant.package_id == package_id), on).all()


def granted_resource_ids(user: Any, package_id: str, on: Optional[dt.date] = None) -> set[str]:
    """Ids of the dataset's resources the user may use under a valid grant."""
    ids: set[str] = set()
    for grant in valid_grants(user, package_id, on):
        ids.update(grant.resource_ids or [])
    return ids


def grant_for_resource(user: Any, resource_id: str, on: Optional[dt.date] = None) -> Optional[Grant]:
    """The valid grant that covers this resource for this user, or None."""
    res = model.Resource.get(resource_id) if resource_id else None
    if res is None:
        return None
    for grant in valid_grants(user, res.package_id, on):
        if res.id in (grant.resource_ids or []):
            return grant
    return None


def grantee_ids(package_id: str) -> list[str]:
    """Everyone who holds or held a grant on the dataset (for notices, Art 26)."""
    rows = model.Session.query(sa.distinct(Grant.user_id)).filter(
        Grant.package_id == package_id).all()
    return [r[0] for r in rows]
