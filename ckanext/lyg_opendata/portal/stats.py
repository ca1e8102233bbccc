"""The public statistics page (/opendata/stats): what each series of
``figures.compute_stats()`` is called, what its columns are and how it is drawn. The figures
come from the Redis cache (figures.stats_cached); the page, each table and each CSV file read
the same copy."""
from __future__ import annotations

import csv
import io
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.portal import figures
from ckanext.lyg_opendata.spreadsheet import safe_row


def _open_type(code: str) -> str:
    return vocab.label("open_type", code)


def _subject_area(code: str) -> str:
    return vocab.label("subject_area", code)


def _rating(code: str) -> str:
    from ckanext.lyg_opendata.evaluation.quality import rating_label
    return rating_label(code)


# key: (title, chart, label of the first column, [(column title, plotted?)], labeller)
SERIES: dict[str, tuple[str, str, str, list[tuple[str, bool]], Optional[Callable]]] = {
    "datasets_by_month": (
        N_("Datasets published per month"), "bar", N_("Month"),
        [(N_("Open without conditions"), True), (N_("Open under conditions"), True),
         (N_("Total published"), False)], None),
    "datasets_by_open_type": (
        N_("Datasets and resources by open type"), "bar", N_("Open type"),
        [(N_("Datasets"), True), (N_("Resources"), True)], _open_type),
    "datasets_by_subject_area": (
        N_("Datasets by subject area"), "pie", N_("Subject area"),
        [(N_("Datasets"), True)], _subject_area),
    "datasets_by_agency": (
        N_("Datasets and resources by data-opening body"), "bar", N_("Data-opening body"),
        [(N_("Datasets"), True), (N_("Resources"), True)], None),
    "usage_by_month": (
        N_("Downloads and API calls per month"), "line", N_("Month"),
        [(N_("Downloads"), True), (N_("API calls"), True)], None),
    "applications_by_month": (
        N_("Applications for conditional data per month"), "bar", N_("Month"),
        # not the msgid "Received": that is the date an application was received (收到日期)
        [(N_("Applications received"), True), (N_("Approved"), True), (N_("Refused"), True),
         (N_("Answered on time"), False), (N_("Share answered on time (%)"), False)], None),
    "objections_by_month": (
        N_("Objections per month"), "line", N_("Month"),
        [(N_("Objections received"), True), (N_("Answered"), True)], None),
    # the quality scores (evaluation/quality.py) of the datasets public now
    "quality_distribution": (
        N_("Published datasets by quality rating"), "bar", N_("Quality rating"),
        [(N_("Datasets"), True)], _rating),
    "quality_by_month": (
        N_("Mean quality score per month"), "line", N_("Month"),
        [(N_("Mean score"), True), (N_("Excellent"), False), (N_("Good"), False), (N_("Sufficient"), False),
         (N_("Needs improvement"), False)], None),
}


# the colours of the plotted columns, in order: the chart and the swatches of the table agree
PALETTE = ["#1f5f99", "#e08a1e", "#3a9a5b", "#b03a48"]


def series(key: str, data: dict[str, Any]) -> dict[str, Any]:
    """One series, labelled in the request's language, ready for a chart and a table."""
    title, chart, first, columns, labeller = SERIES[key]
    rows = [[labeller(row[0]) if labeller else row[0]] + list(row[1:])
            for row in data["series"].get(key, [])]
    plotted = [i for i, (_t, shown) in enumerate(columns) if shown]
    colours = {i: PALETTE[n % len(PALETTE)] for n, i in enumerate(plotted)}
    return {
        "key": key, "title": tk._(title), "chart": chart,
        "header": [tk._(first)] + [tk._(t) for t, _s in columns],
        # the colour of each column's swatch (None: a column that is not plotted)
        "colours": [None] + [None if chart == "pie" else colours.get(i)
                             for i in range(len(columns))],
        "rows": rows,
        "chart_data": {
            "type": chart,
            "categories": [row[0] for row in rows],
            "series": [{"name": tk._(columns[i][0]), "color": colours[i],
                        "data": [row[i + 1] for row in rows]} for i in plotted],
            "palette": PALETTE,
        },
    }


def all_series() -> tuple[list[dict[str, Any]], str]:
    data = figures.stats_cached()
    return [series(key, data) for key in SERIES], data.get("computed", "")


def as_csv(key: str) -> str:
    """A series as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese)."""
    one = series(key, figures.stats_cached())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(safe_row(one["header"]))
    for row in one["rows"]:  # agency titles are data: never a formula
        writer.writerow(safe_row("" if v is None else v for v in row))
    return out.getvalue()
