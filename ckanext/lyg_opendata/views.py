"""Pages and form endpoints (tk.blanket.blueprints collects the blueprints listed here)."""
from __future__ import annotations

from ckanext.lyg_opendata.catalog.freshness_views import freshness_blueprint
from ckanext.lyg_opendata.catalog.openlist_views import openlist_blueprint
from ckanext.lyg_opendata.catalog.views import catalog
from ckanext.lyg_opendata.frontend import frontend
from ckanext.lyg_opendata.workdays.views import calendar_blueprint

__all__ = ["catalog", "openlist_blueprint", "freshness_blueprint", "frontend",
           "calendar_blueprint"]
