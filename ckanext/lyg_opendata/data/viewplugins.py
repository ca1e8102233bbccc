"""Resource views of our own, for what CKAN 2.12 does not bring without remote scripts:

- ``lyg_chart_view`` — bar, line or pie chart over chosen columns of a DataStore resource,
  drawn with Apache ECharts vendored in the extension's assets (never a CDN);
- ``lyg_pdf_view`` — a PDF in the browser's own viewer;
- ``lyg_map_view`` — GeoJSON points, lines and outlines drawn as SVG, without a basemap
  (no remote tiles).

Each is one plugin (IResourceView describes one view type); the rows and files they read
go through the same guarded endpoints as everything else (datastore_search, download).

``lyg_chart_view`` also answers a Chinese ``q`` in ``datastore_search`` (IDatastore,
``fulltext.py``): the DataStore refuses to start unless its own plugin is the first
IDatastore plugin, and ``lyg_opendata`` is loaded before it; the chart view is loaded
after it and exists only with the DataStore."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.datastore.interfaces import IDatastore

_ = tk._

CHART_TYPES = ("bar", "line", "pie")


def _fmt(resource: dict[str, Any]) -> str:
    return (resource.get("format") or "").strip().lower()


class LygChartView(p.SingletonPlugin):
    p.implements(p.IResourceView, inherit=True)
    p.implements(IDatastore, inherit=True)

    # IDatastore: a Chinese q (fulltext.py)
    def datastore_search(self, context, data_dict, fields_types, query_dict):
        from ckanext.lyg_opendata.data import fulltext
        return fulltext.datastore_search(context, data_dict, fields_types, query_dict)

    def info(self) -> dict[str, Any]:
        ignore_missing = tk.get_validator("ignore_missing")
        one_of = tk.get_validator("one_of")
        unicode_safe = tk.get_validator("unicode_safe")
        return {
            "name": "lyg_chart_view",
            "title": _("Chart"),
            "default_title": _("Chart"),
            "icon": "chart-bar",
            "requires_datastore": True,
            "iframed": False,
            "preview_enabled": False,
            "schema": {"chart_type": [ignore_missing, one_of(list(CHART_TYPES))],
                       "x_field": [ignore_missing, unicode_safe],
                       "y_field": [ignore_missing, unicode_safe]},
        }

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return bool(data_dict["resource"].get("datastore_active"))

    def view_template(self, context, data_dict):
        return "lyg/views/chart.html"

    def form_template(self, context, data_dict):
        return "lyg/views/chart_form.html"

    def setup_template_variables(self, context, data_dict):
        return {"chart_types": [("bar", _("Bar chart")), ("line", _("Line chart")),
                                ("pie", _("Pie chart"))]}


class LygPdfView(p.SingletonPlugin):
    p.implements(p.IResourceView, inherit=True)

    def info(self) -> dict[str, Any]:
        return {"name": "lyg_pdf_view", "title": _("PDF"), "default_title": _("PDF"),
                "icon": "file-pdf", "iframed": False, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return _fmt(data_dict["resource"]) == "pdf"

    def view_template(self, context, data_dict):
        return "lyg/views/pdf.html"


class LygMapView(p.SingletonPlugin):
    p.implements(p.IResourceView, inherit=True)

    def info(self) -> dict[str, Any]:
        return {"name": "lyg_map_view", "title": _("Map"), "default_title": _("Map"),
                "icon": "map-marker", "iframed": False, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return _fmt(data_dict["resource"]) in ("geojson", "geo+json")

    def view_template(self, context, data_dict):
        return "lyg/views/map.html"
