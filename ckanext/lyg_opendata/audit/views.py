"""Pages of the access log: ``/opendata/access-log`` (filters, pages, the CSV link) and
``/opendata/access-log/export.csv`` (streamed; masked, or unmasked for supervisors and
sysadmins who give a reason — POST, recorded)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterator

from flask import Blueprint, Response, stream_with_context

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.spreadsheet import safe_row
from ckanext.lyg_opendata.audit import action, reading
from ckanext.lyg_opendata.audit.helpers import lyg_opendata_access_channel_label
from ckanext.lyg_opendata.workdays.calendar import BEIJING, today_beijing

__all__ = ["audit_blueprint"]

_ = tk._
PER_PAGE = 50
FILTERS = ("package", "organization", "user", "channel", "date_from", "date_to")



def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated when shown."""
    return msgid


audit_blueprint = Blueprint("lyg_opendata_audit", __name__, url_prefix="/opendata/access-log")


def _user() -> str:
    return tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else ""


def _filters(source) -> dict[str, str]:
    return {k: source.get(k, "").strip() for k in FILTERS if source.get(k, "").strip()}


def _organizations(user: str) -> list[tuple[str, str]]:
    query = model.Session.query(model.Group.id, model.Group.name, model.Group.title).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    scope = action.scope_org_ids(user)
    if scope is not None:
        query = query.filter(model.Group.id.in_(scope or [""]))
    return [(name, title or name) for _id, name, title in query.order_by(model.Group.title)]


def local_time(value) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.timezone.utc).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def index():
    user = _user()
    filters = _filters(tk.request.args)
    try:
        page = max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        page = 1
    context = {"user": user}
    errors, result, status = {}, {"count": 0, "results": []}, 200
    try:
        result = tk.get_action("lyg_opendata_access_log_list")(
            context, dict(filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or _("Not authorized to see the access log"))
    except tk.ValidationError as e:
        errors, status = e.error_dict, 400
    pages = max(1, -(-result["count"] // PER_PAGE))
    return tk.render("lyg_opendata/audit/list.html", {
        "filters": filters, "errors": errors, "result": result, "page": page, "pages": pages,
        "organizations": _organizations(user), "channels": action.CHANNELS,
        "is_supervisor": roles.is_supervisor(user), "local_time": local_time,
        "package": model.Package.get(filters["package"]) if filters.get("package") else None,
    }), status


CSV_FIELDS = [
    ("created", N_("Time (Beijing)")), ("package_title", N_("Dataset")), ("package_id", N_("Dataset ID")),
    ("resource_name", N_("Data resource")), ("resource_id", N_("Data resource ID")),
    ("org_title", N_("Data-opening body")), ("user_name", N_("User name")),
    ("user_fullname", N_("Full name")), ("user_id", N_("User ID")), ("channel", N_("Channel")),
    ("ip", N_("IP address")), ("user_agent", N_("User agent")), ("grant_id", N_("Grant ID")),
    ("record_hash", N_("Record hash")), ("id", N_("Record number")),
]
MASKED_OUT = {"user_id", "user_agent"}


def _rows(filters: reading.Filters, unmasked: bool, fields) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(safe_row(_(label) for _key, label in fields))
    yield "\ufeff" + flush()  # BOM: spreadsheet programs read UTF-8 Chinese
    for n, record in enumerate(reading.iterate(filters), 1):
        record = record if unmasked else reading.masked(record)
        record["created"] = local_time(record["created"])
        record["package_title"] = record.get("package_title") or record.get("package_name") or ""
        record["org_title"] = record.get("org_title") or record.get("org_name") or ""
        record["channel"] = lyg_opendata_access_channel_label(record["channel"])
        writer.writerow(safe_row("" if record.get(k) is None else record.get(k)
                                 for k, _l in fields))
        if n % 500 == 0:
            yield flush()
    yield flush()


def export():
    """The filtered log as CSV, streamed. GET: masked. POST (a supervisor's or sysadmin's
    form with ``unmasked`` and a ``reason``): with personal data, recorded as a disclosure."""
    user = _user()
    source = tk.request.form if tk.request.method == "POST" else tk.request.args
    filters = _filters(source)
    unmasked = tk.request.method == "POST" and tk.asbool(source.get("unmasked"))
    data_dict = dict(filters, unmasked=unmasked, reason=source.get("reason", ""), limit=1)
    try:
        tk.check_access("lyg_opendata_access_log_list", {"user": user}, data_dict)
        data = action.validate(data_dict)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or _("Not authorized to see the access log"))
    except tk.ValidationError as e:
        messages = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in e.error_dict.items())
        return tk.abort(400, messages)
    if unmasked:
        reading.note_disclosure(user=user, reason=data["reason"].strip(), how="csv",
                            filters=action.disclosure_filters(data))
    fields = [f for f in CSV_FIELDS if unmasked or f[0] not in MASKED_OUT]
    name = f"access-log-{today_beijing().strftime('%Y%m%d')}{'-unmasked' if unmasked else ''}.csv"
    return Response(stream_with_context(_rows(action.filters_for(user, data), unmasked, fields)),
                    mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


audit_blueprint.add_url_rule("", view_func=index, endpoint="index")
audit_blueprint.add_url_rule("/export.csv", view_func=export, endpoint="export",
                             methods=["GET", "POST"])
