"""The calendar admin page ``/opendata/calendar`` (sysadmins and supervisors): the loaded
years, a year's days, its CSV, and forms to load a year from a CSV file or from the
chinesecalendar library."""
from __future__ import annotations

from flask import Blueprint, Response

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms

from ckanext.lyg_opendata.workdays import calendar, labels, loader

_ = tk._
MAX_UPLOAD = 256 * 1024

calendar_blueprint = Blueprint("lyg_opendata_calendar", __name__)


_context = forms.context


def _require_loader():
    try:
        tk.check_access("lyg_opendata_calendar_year_load", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only sysadmins and supervisors may load the working-day "
                               "calendar"))


def _index(errors=None, form=None, status=200):
    summaries = loader.year_summaries()
    loaded = {s["year"] for s in summaries}
    this_year = calendar.today_beijing().year
    known = loader.library_years()
    return tk.render("lyg_opendata/calendar/index.html", {
        "years": summaries,
        "this_year": this_year,
        "missing": [y for y in (this_year, this_year + 1) if y not in loaded],
        "library": loader.LIBRARY, "library_version": loader.library_version(),
        "library_first": known[0], "library_last": known[-1],
        "library_missing": [y for y in known if y not in loaded and y >= this_year - 1],
        "errors": errors or [], "form": form or {"year": this_year + 1},
    }), status


def index():
    _require_loader()
    body, status = _index()
    return body


def load():
    _require_loader()
    form = tk.request.form
    data = {"year": form.get("year", ""), "source": form.get("source", "").strip(),
            "replace": bool(form.get("replace")), "from_library": bool(form.get("from_library"))}
    user = model.User.get(_context()["user"])
    try:
        year = loader.check_year(data["year"])
        if data["from_library"]:
            summary = loader.load_library_year(year, user.id, data["replace"])
        else:
            upload = tk.request.files.get("file")
            if upload is None or not upload.filename:
                raise loader.LoadError([_("Choose the year's CSV file")])
            content = upload.stream.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                raise loader.LoadError([_("The file is larger than {size}").format(
                    size=f"{MAX_UPLOAD // 1024} KB")])
            summary = loader.load_csv(year, content, data["source"] or f"file {upload.filename}",
                                      user.id, data["replace"])
    except loader.LoadError as e:
        body, status = _index(e.errors, data, 400)
        return body, status
    tk.h.flash_success(_("{year} loaded: {holidays} holidays, {workdays} makeup working "
                         "days").format(**summary))
    return tk.redirect_to("lyg_opendata_calendar.year", year=year)


def year(year: int):
    _require_loader()
    summary = loader.year_summary(year)
    if summary is None:
        return tk.abort(404, _("{year} is not loaded: deadlines in it are provisional "
                               "(weekends only)").format(year=year))
    days = [{"date": d.date, "kind": d.kind, "kind_label": labels.kind_label(d.kind),
             "weekday": labels.weekday_label(d.date), "name": d.name}
            for d in loader.year_days(year)]
    return tk.render("lyg_opendata/calendar/year.html", {"summary": summary, "days": days})


def year_csv(year: int):
    _require_loader()
    if loader.year_summary(year) is None:
        return tk.abort(404, _("{year} is not loaded: deadlines in it are provisional "
                               "(weekends only)").format(year=year))
    return Response("\ufeff" + loader.to_csv(loader.year_days(year)),
                    mimetype="text/csv; charset=utf-8", headers={
                        "Content-Disposition": f"attachment; filename=calendar-{year}.csv"})


calendar_blueprint.add_url_rule("/opendata/calendar", view_func=index, methods=["GET"])
calendar_blueprint.add_url_rule("/opendata/calendar", endpoint="load", view_func=load,
                                methods=["POST"])
calendar_blueprint.add_url_rule("/opendata/calendar/<int:year>", view_func=year)
calendar_blueprint.add_url_rule("/opendata/calendar/<int:year>.csv", view_func=year_csv)
