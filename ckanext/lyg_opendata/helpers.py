"""Template helpers of the whole plugin (registered with ``tk.blanket.helpers``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["lyg_opendata_site_region"]


def lyg_opendata_site_region() -> str:
    """The name of the region this portal serves, from config."""
    return tk.config.get("ckanext.lyg_opendata.region_name")

