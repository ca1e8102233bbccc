"""Parts 二 and 四 of the yearly report (政府信息公开工作年度报告, national format of 2021).

Part 二 "主动公开政府信息情况": 规章 and 行政规范性文件 — 本年制发件数 (published this year),
本年废止件数 (repealed or expired this year), 现行有效件数 (published by 31 December and not
repealed or expired by then) — counted from the proactive disclosure catalog (``kind``);
行政许可, 行政处罚, 行政强制 (本年处理决定数量) and 行政事业性收费 (本年收费金额, 万元) entered
by the agency's staff.

Part 四 "政府信息公开行政复议、行政诉讼情况": 行政复议; 行政诉讼 未经复议直接起诉 and 复议后起诉;
each 结果维持, 结果纠正, 其他结果, 尚未审结 (entered) and 总计 (their sum).

The city's table sums every agency's.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure.model import DisclosureReportFigures
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo
from ckanext.lyg_opendata.vocab import Term

_ = tk._

DOCUMENT_ROWS = [Term("rule", "规章", "Government rules"),
                 Term("normative", "行政规范性文件", "Administrative normative documents")]
DOCUMENT_COLUMNS = [Term("issued", "本年制发件数", "Issued this year"),
                    Term("repealed", "本年废止件数", "Repealed this year"),
                    Term("in_force", "现行有效件数", "In force")]
DECISION_ROWS = [Term("licensing", "行政许可", "Administrative licensing"),
                 Term("penalty", "行政处罚", "Administrative penalties"),
                 Term("enforcement", "行政强制", "Administrative compulsion")]
FEE_ROW = Term("fees", "行政事业性收费", "Administrative fees")
OUTCOME_COLUMNS = [Term("upheld", "结果维持", "Upheld"), Term("corrected", "结果纠正", "Corrected"),
                   Term("other", "其他结果", "Other result"), Term("pending", "尚未审结", "Pending"),
                   Term("total", "总计", "Total")]
REVIEW_GROUPS = [Term("reconsideration", "行政复议", "Administrative reconsideration"),
                 Term("litigation_direct", "未经复议直接起诉", "Lawsuits without reconsideration"),
                 Term("litigation_after", "复议后起诉", "Lawsuits after reconsideration")]
LITIGATION_HEADING = Term("litigation", "行政诉讼", "Administrative lawsuits")

# the figures staff enter: name -> whole number (the fee: 万元 with up to 4 decimals)
ENTERED = ([f"decisions.{t.code}" for t in DECISION_ROWS] + ["fees"]
           + [f"{g.code}.{c.code}" for g in REVIEW_GROUPS for c in OUTCOME_COLUMNS[:-1]])


def figure_fields() -> list[dict[str, str]]:
    """The entered figures with their labels, for the form."""
    out = [{"name": f"decisions.{t.code}", "label": f"{t.label()}（本年处理决定数量）"}
           for t in DECISION_ROWS]
    out.append({"name": "fees", "label": f"{FEE_ROW.label()}（万元）"})
    out += [{"name": f"{g.code}.{c.code}", "label": f"{g.label()}·{c.label()}"}
            for g in REVIEW_GROUPS for c in OUTCOME_COLUMNS[:-1]]
    return out


def clean_figures(raw: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The entered figures checked: each a whole number ≥ 0 (the fee a non-negative amount)."""
    if not isinstance(raw, dict):
        return {}, {"figures": [_("Send the figures as an object")]}
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        if key not in ENTERED:
            errors[key] = [_("Unknown figure")]
            continue
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite() or number < 0 or (
                key != "fees" and number != number.to_integral_value()) or number > 10 ** 9:
            errors[key] = [_("Enter a whole number, 0 or more") if key != "fees"
                           else _("Enter an amount in 10,000 yuan, 0 or more")]
            continue
        out[key] = str(number.quantize(Decimal("0.0001"))) if key == "fees" else int(number)
    return out, errors


def _entered(year: int, organization_id: Optional[str]) -> dict[str, Any]:
    query = model.Session.query(DisclosureReportFigures).filter(DisclosureReportFigures.year == year)
    if organization_id:
        query = query.filter(DisclosureReportFigures.organization_id == organization_id)
    sums: dict[str, Any] = {}
    for row in query:
        for key, value in (row.figures or {}).items():
            sums[key] = sums.get(key, 0) + (Decimal(value) if key == "fees" else int(value))
    return sums


def _documents(year: int, organization_id: Optional[str]) -> dict[str, dict[str, int]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = model.Session.query(GovInfo).filter(
        GovInfo.status != "draft", GovInfo.kind.in_([t.code for t in DOCUMENT_ROWS]),
        GovInfo.published_on.isnot(None), GovInfo.published_on <= end)
    if organization_id:
        query = query.filter(GovInfo.organization_id == organization_id)
    out = {t.code: {c.code: 0 for c in DOCUMENT_COLUMNS} for t in DOCUMENT_ROWS}
    for row in query:
        cells = out[row.kind]
        if row.published_on >= start:
            cells["issued"] += 1
        gone = row.validity in ("repealed", "expired") and row.repealed_on
        if gone and start <= row.repealed_on <= end:
            cells["repealed"] += 1
        if row.status == "published" and not (gone and row.repealed_on <= end):
            cells["in_force"] += 1
    return out


def parts(year: int, organization_id: Optional[str] = None) -> dict[str, Any]:
    """Parts 二 and 四 for ``year`` of one agency (or of the city: every agency summed)."""
    docs = _documents(year, organization_id)
    entered = _entered(year, organization_id)
    part_two = {
        "documents": {"columns": [{"code": c.code, "label": c.label()} for c in DOCUMENT_COLUMNS],
                      "rows": [{"code": t.code, "label": t.label(),
                                "cells": [docs[t.code][c.code] for c in DOCUMENT_COLUMNS]}
                               for t in DOCUMENT_ROWS]},
        "decisions": [{"code": t.code, "label": t.label(),
                       "value": int(entered.get(f"decisions.{t.code}", 0))} for t in DECISION_ROWS],
        "fees": {"label": FEE_ROW.label(), "value": str(Decimal(entered.get("fees", 0))
                                                         .quantize(Decimal("0.0001")))},
    }
    groups = []
    for group in REVIEW_GROUPS:
        cells = [int(entered.get(f"{group.code}.{c.code}", 0)) for c in OUTCOME_COLUMNS[:-1]]
        groups.append({"code": group.code, "label": group.label(), "cells": cells + [sum(cells)]})
    part_four = {"columns": [{"code": c.code, "label": c.label()} for c in OUTCOME_COLUMNS],
                 "litigation_heading": LITIGATION_HEADING.label(), "groups": groups}
    return {"part_two": part_two, "part_four": part_four,
            "entered": {k: (str(v) if k == "fees" else v) for k, v in entered.items()}}


def save(organization_id: str, year: int, figures: dict[str, Any], user_id: Optional[str]) -> None:
    """Store the entered figures (those sent replace the stored ones; others are kept)."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                          {"k": f"lyg_disclosure_figures|{organization_id}|{year}"})
    row = model.Session.get(DisclosureReportFigures, (organization_id, year))
    if row is None:
        row = DisclosureReportFigures(organization_id=organization_id, year=year, figures={})
        model.Session.add(row)
    row.figures = {**(row.figures or {}), **figures}
    row.updated_by = user_id
