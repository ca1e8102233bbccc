"""The yearly report's table of applications (政府信息公开工作年度报告, national format of
2021, part 三 "收到和处理政府信息公开申请情况"), generated from the applications.

Columns: 自然人; 法人或其他组织 — 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他; 总计.
Rows: 一 new this year; 二 carried over from last year; 三 results this year ((一)–(六) and
their sub-rows, (七) 总计); 四 carried over to next year. It adds up: for every column
一 + 二 = 三(七) + 四, (七) is the sum of (一)–(六), each parent row the sum of its sub-rows,
总计 the sum of the other columns.

Which outcome goes where: 予以公开 = ``public`` and ``already_public`` (the applicant is told
where to get it); 部分公开 = ``partial``; 不予公开 by ``withheld_category``; 无法提供 1 (本机关
不掌握) = ``not_held`` and ``not_exist``, 3 = ``unclear``; 其他处理 1 = not amended in time
(``lapse``: deemed withdrawn), 3 = withdrawn by the applicant. An application
is counted by the agency handling it now (after a transfer: the receiving agency).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.model as model

from ckanext.lyg_opendata.disclosure import codes
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent, DisclosureRequest
from ckanext.lyg_opendata.disclosure.workflow import withdrawal_event
from ckanext.lyg_opendata.vocab import Term
from ckanext.lyg_opendata.workdays import today_beijing

COLUMNS = [Term("individual", "自然人", "Natural persons")] + list(codes.ORGANIZATION_KINDS) + [
    Term("total", "总计", "Total")]

# (code, label, parent code or None); the table's rows in the national format's order
ROWS: list[tuple[str, Term, Optional[str]]] = [
    ("new", Term("new", "一、本年新收政府信息公开申请数量", "New applications this year"), None),
    ("carried_in", Term("carried_in", "二、上年结转政府信息公开申请数量", "Carried over from last year"), None),
    ("public", Term("public", "（一）予以公开", "Disclosed"), None),
    ("partial", Term("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "Partly disclosed"), None),
    ("withheld", Term("withheld", "（三）不予公开", "Not disclosed"), None),
    *[(f"withheld.{t.code}", Term(t.code, f"{i}.{t.zh}", t.en), "withheld")
      for i, t in enumerate(codes.WITHHELD_CATEGORIES, 1)],
    ("unavailable", Term("unavailable", "（四）无法提供", "Cannot be provided"), None),
    ("unavailable.not_held", Term("not_held", "1.本机关不掌握相关政府信息", "Not held by this agency"), "unavailable"),
    ("unavailable.to_make", Term("to_make", "2.没有现成信息需要另行制作", "Would have to be made"), "unavailable"),
    ("unavailable.unclear", Term("unclear", "3.补正后申请内容仍不明确", "Still unclear after amendment"), "unavailable"),
    ("not_processed", Term("not_processed", "（五）不予处理", "Not processed"), None),
    ("not_processed.petition", Term("petition", "1.信访举报投诉类申请", "Petitions, reports, complaints"), "not_processed"),
    ("not_processed.repeated", Term("repeated", "2.重复申请", "Repeated applications"), "not_processed"),
    ("not_processed.publication", Term("publication", "3.要求提供公开出版物", "Asks for publications"), "not_processed"),
    ("not_processed.mass", Term("mass", "4.无正当理由大量反复申请", "Mass applications without good reason"), "not_processed"),
    ("not_processed.confirm", Term("confirm", "5.要求行政机关确认或重新出具已获取信息", "Asks to confirm or re-issue information obtained"), "not_processed"),
    ("other", Term("other", "（六）其他处理", "Otherwise handled"), None),
    ("other.not_amended", Term("not_amended", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "Not amended in time"), "other"),
    ("other.not_paid", Term("not_paid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "Fee not paid in time"), "other"),
    ("other.other", Term("other", "3.其他", "Other (withdrawn)"), "other"),
    ("total", Term("total", "（七）总计", "Total"), None),
    ("carried_out", Term("carried_out", "四、结转下年度继续办理", "Carried over to next year"), None),
]
ORGANIZATION_HEADING = Term("organizations", "法人或其他组织", "Legal persons or other organizations")
RESULTS_HEADING = Term("results", "三、本年度办理结果", "Results this year")
RESULT_GROUPS = ("public", "partial", "withheld", "unavailable", "not_processed", "other")


def _column(req: DisclosureRequest) -> str:
    if req.applicant_type == "individual":
        return "individual"
    return req.organization_kind if req.organization_kind in codes.codes("organization_kind") else "other"


def _withdrawal(req: DisclosureRequest) -> Optional[DisclosureEvent]:
    """The event that withdrew it: the applicant's ``withdraw`` or the platform's ``lapse``
    (the last one: a lapse undone by an amended letter received in time is not counted)."""
    return withdrawal_event(req)


def _result_row(req: DisclosureRequest) -> str:
    if req.status == "withdrawn":
        event = _withdrawal(req)
        return "other.not_amended" if event is not None and event.action == "lapse" else "other.other"
    return {"public": "public", "already_public": "public", "partial": "partial",
            "not_held": "unavailable.not_held", "not_exist": "unavailable.not_held",
            "unclear": "unavailable.unclear"}.get(
        req.outcome, f"withheld.{req.withheld_category}" if req.outcome == "withheld" else "other.other")


def _finished_on(req: DisclosureRequest) -> Optional[dt.date]:
    if req.status == "answered":
        return req.answered_on
    if req.status == "withdrawn":
        event = _withdrawal(req)
        if event is None:
            return None
        # a withdrawal letter: the day the agency received it, not the day it was entered
        day = (event.data or {}).get("received_on") if event.action == "withdraw" else None
        return dt.date.fromisoformat(day) if day else today_beijing(event.created)
    return None


def table(year: int, organization_id: Optional[str] = None) -> dict[str, Any]:
    """The table for ``year`` of one agency (or of the whole city: every agency summed)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cells = {code: {c.code: 0 for c in COLUMNS} for code, _t, _p in ROWS}
    query = model.Session.query(DisclosureRequest).filter(DisclosureRequest.received_on <= end)
    if organization_id:
        query = query.filter(DisclosureRequest.organization_id == organization_id)

    def add(row: str, col: str) -> None:
        cells[row][col] += 1

    for req in query:
        col = _column(req)
        finished = _finished_on(req)
        if finished is not None and finished < start:
            continue  # done before this year
        add("new" if req.received_on >= start else "carried_in", col)
        if finished is not None and finished <= end:
            add(_result_row(req), col)
        else:
            add("carried_out", col)
    # parents from their sub-rows, (七) from the groups, 总计 from the columns
    for code, _term, parent in ROWS:
        if parent:
            for c in cells[code]:
                cells[parent][c] += cells[code][c]
    for group in RESULT_GROUPS:
        for c in cells[group]:
            cells["total"][c] += cells[group][c]
    for code in cells:
        cells[code]["total"] = sum(v for k, v in cells[code].items() if k != "total")
    return {
        "year": year, "organization_id": organization_id,
        "results_heading": RESULTS_HEADING.label(),
        "columns": [{"code": c.code, "label": c.label()} for c in COLUMNS],
        "rows": [{"code": code, "label": term.label(), "sub": bool(parent),
                  "cells": [cells[code][c.code] for c in COLUMNS]} for code, term, parent in ROWS],
    }


def to_xlsx(result: dict[str, Any], title: str) -> bytes:
    """The table as an XLSX file: a title row, the two header rows of the format, one row per
    table row (labels as text cells, never formulas: ``spreadsheet``)."""
    import io

    from openpyxl import Workbook

    from ckanext.lyg_opendata.spreadsheet import xlsx_text_cell
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(result["year"]))
    text = lambda value: xlsx_text_cell(ws, value)  # noqa: E731
    cols = result["columns"]
    ws.append([text(title)])
    ws.append([text(""), text(cols[0]["label"]), text(ORGANIZATION_HEADING.label())]
              + [text("")] * (len(cols) - 3) + [text(cols[-1]["label"])])
    ws.append([text(""), text("")] + [text(c["label"]) for c in cols[1:-1]] + [text("")])
    for row in result["rows"]:
        if row["code"] == "public":
            ws.append([text(result["results_heading"])])
        ws.append([text(row["label"])] + list(row["cells"]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
