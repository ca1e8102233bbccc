"""Portal-wide settings this plugin takes over from CKAN's defaults, and the options a
sysadmin edits on /ckan-admin/config (no template editing)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

# options of this plugin a sysadmin edits at run time on the config page
EDITABLE = [
    "ckanext.lyg_opendata.home.example_queries",
    "ckanext.lyg_opendata.home.news",
    "ckanext.lyg_opendata.site.organizer",
    "ckanext.lyg_opendata.site.tech_support",
    "ckanext.lyg_opendata.site.contact",
    "ckanext.lyg_opendata.site.site_code",
    "ckanext.lyg_opendata.site.icp",
]


def update_config(config) -> None:
    # no Gravatar (blocked in China, and a third-party request): local avatars
    config["ckan.gravatar_default"] = "disabled"
    # after login each person lands on their 工作台, where their work is
    if config.get("ckan.auth.route_after_login") in (None, "", "dashboard.datasets"):
        config["ckan.auth.route_after_login"] = "lyg_opendata_portal.workbench"


def update_config_schema(schema: dict) -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    for key in EDITABLE:
        schema[key] = [ignore_missing, unicode_safe]
    return schema
