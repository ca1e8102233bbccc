"""Pages of the portal's public face: 数据领域, 工作台, 数据接口 (with the OpenAPI
description), 使用指南, the Measures' full text, privacy and accessibility statements, and
the public statistics page, the locally generated QR code for sharing a page on WeChat."""
from __future__ import annotations

import datetime as dt
import io
import pathlib
import re

import segno
from flask import Blueprint, Response, jsonify

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.portal import openapi

portal_blueprint = Blueprint("lyg_opendata_portal", __name__)

_MEASURES = pathlib.Path(__file__).with_name("measures.txt")
_HEADING = re.compile(r"^第[一二三四五六七八九十]+章")
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百]+条)\s*(.*)$")


def subjects():
    from ckanext.lyg_opendata.portal.helpers import lyg_opendata_subject_areas
    return tk.render("lyg_opendata/portal/subjects.html",
                     {"areas": lyg_opendata_subject_areas()})


def workbench():
    if not tk.current_user.is_authenticated:
        return tk.redirect_to(tk.h.url_for("user.login", came_from=tk.h.url_for(
            "lyg_opendata_portal.workbench")))
    from ckanext.lyg_opendata.portal.workbench import sections
    return tk.render("lyg_opendata/portal/workbench.html", {"sections": sections()})


def developer():
    return tk.render("lyg_opendata/portal/developer.html", {})


def dataset_api(id: str):
    """The 数据接口 tab: the exact calls for this dataset and each of its resources."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        pkg = tk.get_action("package_show")(context, {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    return tk.render("lyg_opendata/portal/dataset_api.html",
                     {"pkg_dict": pkg, "pkg": pkg, "dataset_type": pkg["type"]})


def guide():
    return tk.render("lyg_opendata/portal/guide.html", {})


def measures():
    """The Measures (连政规发〔2019〕2号) as chapters and articles with anchors (#art-N)."""
    lines = [ln.strip() for ln in _MEASURES.read_text(encoding="utf-8").splitlines()]
    title, body = lines[0], [ln for ln in lines[1:] if ln]
    blocks, number = [], 0
    for line in body:
        if _HEADING.match(line):
            blocks.append({"kind": "chapter", "text": line})
        elif _ARTICLE.match(line):
            number += 1
            m = _ARTICLE.match(line)
            blocks.append({"kind": "article", "number": number, "label": m.group(1),
                           "text": m.group(2)})
        else:
            blocks.append({"kind": "item", "text": line})
    return tk.render("lyg_opendata/portal/measures.html", {"title": title, "blocks": blocks})


def privacy():
    return tk.render("lyg_opendata/portal/privacy.html", {})


def accessibility():
    return tk.render("lyg_opendata/portal/accessibility.html", {})


def share_qr():
    """An SVG QR code of one of this portal's own pages (to scan with WeChat), made here:
    no third-party QR service sees the visitor."""
    target = tk.request.args.get("url", "")
    # this portal: its configured address, or the address it was reached at (the same server)
    sites = {tk.config.get("ckan.site_url").rstrip("/"), tk.request.host_url.rstrip("/")}
    if not any(target == site or target.startswith(site + "/") for site in sites):
        return tk.abort(400, tk._("Only links to this portal can be shared."))
    out = io.BytesIO()  # a standalone SVG file needs its namespace (svg_inline leaves it out)
    segno.make(target, error="m").save(out, kind="svg", scale=4, dark="#1b2a41", xmldecl=False)
    svg = out.getvalue()
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


def slug():
    """A readable URL name for a Chinese title (pinyin), for the dataset form's name field."""
    from ckanext.lyg_opendata.portal.slug import slugify
    return jsonify({"slug": slugify(tk.request.args.get("title", ""))})


def stats():
    from ckanext.lyg_opendata.portal import stats as stats_module
    series, computed = stats_module.all_series()
    try:  # stored as UTC ("…Z"); shown in the display time zone (Beijing)
        computed = dt.datetime.strptime(computed, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        computed = None
    return tk.render("lyg_opendata/portal/stats.html", {"series": series, "computed": computed})


def stats_csv(key: str):
    from ckanext.lyg_opendata.portal import stats as stats_module
    if key not in stats_module.SERIES:
        return tk.abort(404, tk._("No such series"))
    return Response(stats_module.as_csv(key), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={key}.csv"})


def openapi_json():
    return jsonify(openapi.document())


for rule, view in [("/opendata/subjects", subjects), ("/opendata/workbench", workbench),
                   ("/opendata/developer", developer),
                   ("/dataset/<id>/api", dataset_api), ("/opendata/guide", guide),
                   ("/opendata/measures", measures), ("/opendata/privacy", privacy),
                   ("/opendata/accessibility", accessibility),
                   ("/opendata/stats", stats), ("/opendata/stats/<key>.csv", stats_csv),
                   ("/opendata/share-qr.svg", share_qr), ("/opendata/slug", slug),
                   ("/api/openapi.json", openapi_json)]:
    portal_blueprint.add_url_rule(rule, view_func=view)
