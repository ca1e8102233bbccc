"""Who may use the data of a conditional dataset (有条件开放, Art 10, 19): sysadmins and the
members of the dataset's data-opening body all of it; a user with a valid grant
(``access.grants``: not revoked, within its term) the granted resources only; everyone
else, supervisors included, the catalog metadata only."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._


# --- who may use what ------------------------------------------------------------------

def is_conditional(pkg: dict[str, Any] | model.Package | None) -> bool:
    if pkg is None:
        return False
    if isinstance(pkg, model.Package):
        return (pkg.extras or {}).get("open_type") == "conditional"
    if pkg.get("open_type") == "conditional":
        return True
    # the unvalidated dict (search index ``data_dict``) keeps custom fields in extras
    return any(isinstance(e, dict) and e.get("key") == "open_type" and e.get("value") == "conditional"
               for e in pkg.get("extras") or [])


# a harvested conditional copy: where its source takes applications (``dcat.profile``)
SOURCE_APPLICATION_URL = "source_application_url"


def application_url(dataset_dict: dict[str, Any]) -> str:
    """Where a conditional dataset is applied for: its application page on this portal,
    ``/dataset/<name>/apply`` (the access domain's application form); for a harvested
    copy, its source's landing page (the source agency decides)."""
    if dataset_dict.get(SOURCE_APPLICATION_URL):
        return dataset_dict[SOURCE_APPLICATION_URL]
    for extra in dataset_dict.get("extras") or []:
        if extra.get("key") == SOURCE_APPLICATION_URL and extra.get("value"):
            return extra["value"]
    site = tk.config.get("ckan.site_url").rstrip("/")
    return f"{site}/dataset/{dataset_dict.get('name') or dataset_dict.get('id')}/apply"


@dataclass
class Rights:
    """What a user may use of one dataset: everything (``all``: the data-opening body's
    members and sysadmins, whose use is not logged) or the resources of ``granted``
    ({resource id: grant id}), whose use is logged."""
    all: bool = False
    granted: dict[str, str] = field(default_factory=dict)

    def may_use(self, resource_id: Optional[str]) -> bool:
        return self.all or (resource_id is not None and resource_id in self.granted)


def rights(user: Any, package_id: Optional[str], owner_org: Optional[str]) -> Rights:
    obj = roles._user(user)
    if obj is None:
        return Rights()
    if obj.sysadmin or roles.agency_role(obj, owner_org) is not None:
        return Rights(all=True)
    from ckanext.lyg_opendata.access.grants import valid_grants
    granted: dict[str, str] = {}
    for grant in valid_grants(obj, package_id or ""):
        for rid in grant.resource_ids or []:
            granted.setdefault(rid, grant.id)
    return Rights(granted=granted)


def rights_for_package(user: Any, pkg: dict[str, Any] | model.Package) -> Rights:
    if isinstance(pkg, model.Package):
        return rights(user, pkg.id, pkg.owner_org)
    return rights(user, pkg.get("id"), pkg.get("owner_org"))


def may_use_data(user: Any, pkg: dict[str, Any] | model.Package,
                 resource_id: Optional[str] = None) -> bool:
    """Resource-granular: may ``user`` use the data of ``resource_id`` (or, without one,
    all of the dataset's data)? True for data that is not conditional."""
    if not is_conditional(pkg):
        return True
    r = rights_for_package(user, pkg)
    return r.all if resource_id is None else r.may_use(resource_id)
