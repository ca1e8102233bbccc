"""The access log (Art 21): append-only, hash-linked records of every time conditional data
(or its address) is served to someone outside the dataset's agency.

The interface the other domains call (implemented in this package):

- ``record_access(*, user, package_id, resource_id, channel, grant_id=None)`` — one record;
  ``channel`` is one of ``"ui"``, ``"api"``, ``"datastore"``, ``"preview"``; reads IP and
  user agent from the current request when there is one.
- ``people_who_accessed(package_id) -> list[str]`` — ids of the users who were served data
  of the dataset (for notices after a withdrawal, Art 26).
"""
from __future__ import annotations

from typing import Optional


def record_access(*, user, package_id: str, resource_id: Optional[str], channel: str,
                  grant_id: Optional[str] = None) -> None:
    """Placeholder until the access log lands: records nothing."""
    return None


def people_who_accessed(package_id: str) -> list[str]:
    """Placeholder until the access log lands: nobody."""
    return []
