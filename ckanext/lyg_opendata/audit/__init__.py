"""The access log (Art 21): append-only, hash-linked records of every time conditional data
(or its address) is served to someone outside the dataset's agency.

The interface the other domains call:

- ``record_access(*, user, package_id, resource_id, channel, grant_id=None)`` — one record;
  ``channel`` is one of ``"ui"``, ``"api"``, ``"datastore"``, ``"preview"``; reads IP and
  user agent from the current request when there is one.
- ``people_who_accessed(package_id) -> list[str]`` — ids of the users who were served data
  of the dataset (for notices after a withdrawal, Art 26).

How records are hashed, sealed per day, verified and purged: :mod:`.log`; the tables:
:mod:`.model` (migration 0005_access_log).
"""
from __future__ import annotations

from typing import Optional

from ckanext.lyg_opendata.audit import log as _log

CHANNELS = ("ui", "api", "datastore", "preview")


def record_access(*, user, package_id: str, resource_id: Optional[str], channel: str,
                  grant_id: Optional[str] = None) -> None:
    """Write one access record at once, in its own transaction (the caller's session is
    neither committed nor rolled back). ``user``: a name, an id, a ``model.User``, the
    current user proxy or None. The dataset's organization is looked up and stored with
    it. Raises if the record cannot be written: then do not serve the data."""
    _log.append(user=user, package_id=package_id, resource_id=resource_id, channel=channel,
                grant_id=grant_id)


def people_who_accessed(package_id: str) -> list[str]:
    """Ids of the distinct users who were served data of the dataset (id or name), in
    the order of their first access."""
    return _log.people_who_accessed(package_id)
