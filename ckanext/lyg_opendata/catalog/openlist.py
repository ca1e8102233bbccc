"""The open list (开放清单, Art 11): one row per catalog entry with the columns the
Measures name, for the whole catalog or one agency, as rows (API), a page, CSV and XLSX.

Who sees which entries is the search index's business (permission labels): the public sees
published, opened entries; an agency's members also see their own drafts, pending, returned
and withdrawn entries; supervisors see every entry submitted for review; sysadmins all.
Exports are streamed: rows come from ``package_search`` one page at a time.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Iterable, Iterator, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, validation, vocab
from ckanext.lyg_opendata import spreadsheet
from ckanext.lyg_opendata.spreadsheet import safe_cell, safe_row, xlsx_text_cell
from ckanext.lyg_opendata.catalog import freshness

_ = tk._

PAGE_SIZE = 500
MAX_LIMIT = 1000
FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = spreadsheet.XLSX_MIMETYPE


def N_(msgid: str) -> str:
    """Mark a string for translation; it is translated when shown."""
    return msgid


# Art 11's columns, in order: (key, label msgid)
COLUMNS = [
    ("seq", N_("No.")),
    ("title", N_("Data catalog name")),
    ("organization_title", N_("Data-opening body")),
    ("data_items", N_("Data items")),
    ("formats", N_("Formats")),
    ("update_frequency_label", N_("Update frequency")),
    ("open_type_label", N_("Open type")),
    ("open_conditions", N_("Conditions of opening")),
    ("subject_areas_labels", N_("Data domain")),
    ("issued", N_("Published on")),
    ("last_updated", N_("Last updated")),
]
# shown to those who also see entries that are not (yet) published
STATUS_COLUMN = ("review_status_label", N_("Review status"))


def columns(with_status: bool = False) -> list[dict[str, str]]:
    cols = COLUMNS + ([STATUS_COLUMN] if with_status else [])
    return [{"key": key, "label": _(label)} for key, label in cols]


def sees_unpublished(user: Optional[str], org_id: Optional[str] = None) -> bool:
    """Whether the user may see entries that are not published (for the status column)."""
    obj = roles._user(user)
    if obj is None:
        return False
    if obj.sysadmin or roles.is_supervisor(obj):
        return True
    if org_id:
        return bool(roles.agency_role(obj, org_id))
    return bool(tk.get_action("organization_list_for_user")(
        {"user": obj.name, "ignore_auth": True}, {"id": obj.id, "permission": "read"}))


# --- validation --------------------------------------------------------------------------

def _max_limit(value, context):
    if isinstance(value, int) and value > MAX_LIMIT:
        raise tk.Invalid(_("At most %d rows can be asked for at once") % MAX_LIMIT)
    return value


def schema() -> dict:
    v = tk.get_validator
    return {
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "published_only": [v("ignore_missing"), validation.boolean],
        "limit": [v("ignore_missing"), v("natural_number_validator"), _max_limit],
        "offset": [v("ignore_missing"), v("natural_number_validator")],
    }


def validate(data_dict: dict[str, Any]) -> tuple[dict[str, Any], Optional[model.Group]]:
    """The cleaned parameters and the agency they name; raises ValidationError or
    ObjectNotFound."""
    data = validation.validate(data_dict, schema())
    return data, freshness.agency(data.get("organization"))


# --- rows --------------------------------------------------------------------------------

def _fq(org_id: Optional[str], published_only: bool) -> str:
    fq = "+dataset_type:dataset"
    if org_id:
        fq += f' +owner_org:"{org_id}"'
    if published_only:  # what the public sees: published and not non-open
        fq += " +capacity:public"
    return fq


def search(user: Optional[str], org_id: Optional[str], published_only: bool,
           start: int, rows: int) -> dict[str, Any]:
    """One page of the entries the user may see, agencies and titles in order."""
    return tk.get_action("package_search")({"user": user or ""}, {
        "fq": _fq(org_id, published_only), "sort": "organization asc, title_string asc",
        "rows": rows, "start": start, "include_private": True})


def iter_entries(user: Optional[str], org_id: Optional[str], published_only: bool,
                 page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
    """Every entry the user may see, one search page at a time."""
    start = 0
    while True:
        result = search(user, org_id, published_only, start, page_size)
        yield from result["results"]
        start += page_size
        if start >= result["count"] or not result["results"]:
            return


def _list(value: Any) -> list:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def row(pkg: dict[str, Any], seq: int) -> dict[str, Any]:
    """One line of the open list (codes and labels in the UI language)."""
    org = pkg.get("organization") or {}
    formats = []
    for res in pkg.get("resources") or []:
        fmt = (res.get("format") or "").strip()
        if fmt and fmt not in formats:
            formats.append(fmt)
    subject_areas = [str(s) for s in _list(pkg.get("subject_areas"))]
    status = pkg.get("review_status") or "draft"
    open_type = pkg.get("open_type")
    updated = freshness.data_updated_day(pkg)
    return {
        "seq": seq,
        "id": pkg["id"],
        "name": pkg["name"],
        "title": pkg.get("title") or pkg["name"],
        "organization": org.get("name"),
        "organization_title": org.get("title") or org.get("name"),
        "data_items": [i.get("name_zh") for i in _list(pkg.get("data_items"))
                       if isinstance(i, dict) and i.get("name_zh")],
        "formats": formats,
        "update_frequency": pkg.get("update_frequency"),
        "update_frequency_label": vocab.label("update_frequency", pkg.get("update_frequency")),
        "open_type": open_type,
        "open_type_label": vocab.label("open_type", open_type),
        "open_conditions": (pkg.get("open_conditions") or "") if open_type == "conditional" else "",
        "subject_areas": subject_areas,
        "subject_areas_labels": [vocab.label("subject_area", s) for s in subject_areas],
        "issued": (pkg.get("issued") or "")[:10] or None,
        "last_updated": updated.isoformat() if updated else None,
        "review_status": status,
        "review_status_label": vocab.label("review_status", status),
        "overdue": status == "published" and freshness.is_overdue(pkg),
    }


def _separator() -> str:
    lang = vocab._current_lang()
    return ", " if lang and lang.startswith("en") else "、"


def cells(entry: dict[str, Any], cols: list[dict[str, str]], dates: bool = False) -> list[Any]:
    """The values of a row in column order; lists joined, dates as ``date`` if asked."""
    sep = _separator()
    out = []
    for col in cols:
        value = entry.get(col["key"])
        if isinstance(value, list):
            value = sep.join(str(v) for v in value)
        elif dates and col["key"] in ("issued", "last_updated") and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        out.append("" if value is None else value)
    return out


def rows(entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for seq, pkg in enumerate(entries, start=1):
        yield row(pkg, seq)


# --- exports -----------------------------------------------------------------------------

def csv_chunks(entries: Iterable[dict[str, Any]], cols: list[dict[str, str]]) -> Iterator[str]:
    """The CSV text, a line at a time (UTF-8 with a byte-order mark, so that spreadsheet
    programs read the Chinese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def flush() -> str:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    writer.writerow(safe_row(c["label"] for c in cols))
    yield "\ufeff" + flush()
    for entry in rows(entries):
        writer.writerow(safe_row(cells(entry, cols)))
        yield flush()


def xlsx_file(entries: Iterable[dict[str, Any]], cols: list[dict[str, str]], title: str):
    """The workbook in a temporary file (openpyxl's write-only mode keeps memory flat;
    the file is read back in chunks by the view)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(title))
    widths = {"seq": 6, "title": 36, "organization_title": 24, "data_items": 40,
              "open_conditions": 30, "issued": 12, "last_updated": 12}
    for i, col in enumerate(cols):
        letter = _column_letter(i)
        ws.column_dimensions[letter].width = widths.get(col["key"], 16)
    ws.freeze_panes = "A2"
    header = []
    for col in cols:
        cell = xlsx_text_cell(ws, col["label"])
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for entry in rows(entries):
        values = []
        for value in cells(entry, cols, dates=True):
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                values.append(cell)
            elif isinstance(value, str):
                values.append(xlsx_text_cell(ws, value))
            else:
                values.append(safe_cell(value))
        ws.append(values)
    return spreadsheet.saved(wb)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)


def _sheet_title(title: str) -> str:
    for ch in '[]:*?/\\':
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def filename(org: Optional[model.Group], fmt: str) -> str:
    today = dt.datetime.now(freshness.BEIJING).strftime("%Y%m%d")
    scope = org.name if org else "catalog"
    return f"open-list-{scope}-{today}.{fmt}"


# --- the action --------------------------------------------------------------------------

@tk.side_effect_free
def lyg_opendata_open_list(context, data_dict):
    """The open list (开放清单, Art 11) of the whole catalog or of one agency: the entries the
    caller may see (the public: published entries), agencies and titles in order.

    :param organization: only this agency (数据开放主体), id or name
    :param published_only: only what the public sees (published, not non-open), even for
        those who see more (default false)
    :param limit: rows to return (default 100, at most 1000)
    :param offset: rows to skip (default 0); 序号 continues from it
    :returns: ``count``, ``columns`` (key and label in the UI language, in the Measures'
        order; a review status column for those who see unpublished entries), ``results``
        (one dict per row: the columns' values, lists as lists, plus codes and ids) and
        ``organization`` (name and title, or null)
    """
    data, org = validate(data_dict)
    tk.check_access("lyg_opendata_open_list", context, data)
    user = context.get("user")
    published_only = bool(data.get("published_only"))
    limit = data.get("limit", 100)
    offset = data.get("offset", 0)
    result = search(user, org.id if org else None, published_only, offset, limit)
    with_status = not published_only and sees_unpublished(user, org.id if org else None)
    return {
        "count": result["count"],
        "columns": columns(with_status),
        "results": [row(pkg, offset + i) for i, pkg in enumerate(result["results"], start=1)],
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
    }
