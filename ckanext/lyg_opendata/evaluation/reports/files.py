"""The evaluation report as files: a PDF (reportlab, the Chinese font of the agreements
embedded, ``access.agreements.pdf``) and an XLSX of its figures (openpyxl; every text cell a
string, formula-safe: ``spreadsheet.py``). Both are made from the report as
``lyg_opendata_evaluation_report_show`` gives it, in the language of the request."""
from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import spreadsheet
from ckanext.lyg_opendata.spreadsheet import safe_cell, xlsx_text_cell

_ = tk._

# the ranking's columns (the whole card is in each agency's own table)
RANKING = ("score", "datasets_unconditional", "datasets_conditional",
           "freshness_on_time_share", "applications_in_time_share",
           "objections_in_time_share", "quality_average")


def labels() -> dict[str, str]:
    """Every figure's label, translated now."""
    from ckanext.lyg_opendata.evaluation.reports.figures import PLATFORM_LABELS
    from ckanext.lyg_opendata.evaluation.views import LABELS
    out = {k: _(v) for k, v in LABELS.items()}
    out["quality_average"] = _("Mean quality score (0–100)")
    out.update({f"platform:{k}": _(v) for k, v in PLATFORM_LABELS.items()})
    return out


def as_of(figures: dict[str, Any]) -> list[str]:
    """What instant the figures describe, and what could not be reconstructed for it,
    translated now (reports generated before this was recorded: nothing)."""
    from ckanext.lyg_opendata.evaluation.asof import APPROXIMATE
    if "as_of" not in figures:
        return []
    if figures.get("year_end"):
        lines = [_("Figures as of 31 December %(year)d 24:00 Beijing time: the counts are "
                   "those of the year; the datasets, the open-list completeness, the updates "
                   "and applications overdue and the notices open are those at the year's "
                   "end, reconstructed from the recorded events and dates.")
                 % {"year": figures["year"]}]
    else:
        lines = [_("Figures as of %(date)s (UTC): the year was under way.")
                 % {"date": figures["as_of"].replace("T", " ").rstrip("Z")}]
    lines += [_(APPROXIMATE[k]) for k in figures.get("approximate") or [] if k in APPROXIMATE]
    return lines


def card_figures() -> tuple[str, ...]:
    from ckanext.lyg_opendata.evaluation.scorecards import FIGURES
    return FIGURES + ("quality_average",)


def show(value: Any) -> str:
    return "–" if value is None else str(value)


def filename(report: dict[str, Any], fmt: str) -> str:
    return f"evaluation-report-{report['year']}-v{report['version']}.{fmt}"


# --- PDF -----------------------------------------------------------------------------------

def pdf(report: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from ckanext.lyg_opendata.access.agreements.pdf import _para, font_name
    from ckanext.lyg_opendata.evaluation.reports.figures import PLATFORM_FIGURES

    font = font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=11)
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=26, alignment=TA_CENTER,
                           spaceAfter=4)
    sub = ParagraphStyle("sub", parent=body, alignment=TA_CENTER, fontSize=9, spaceAfter=10)
    h2 = ParagraphStyle("h2", parent=body, fontSize=13, leading=20, spaceBefore=10,
                        spaceAfter=4)
    h3 = ParagraphStyle("h3", parent=body, fontSize=11, leading=16, spaceBefore=6,
                        spaceAfter=2)
    names = labels()
    figures = report["figures"]

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table([[_para(str(c), cell) for c in row] for row in rows], colWidths=widths,
                  repeatRows=1)
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    status = (_("Version %(version)d, published %(date)s") % {
        "version": report["version"], "date": (report["published_at"] or "")[:10]}
        if report["status"] == "published" else
        _("Version %(version)d, %(status)s — not published") % {
            "version": report["version"], "status": report["status_label"]})
    story: list = [_para(report["title"], title), _para(status, sub)]
    story.append(_para(_("1. Commentary"), h2))
    for paragraph in (report["commentary"] or "").split("\n"):
        story.append(_para(paragraph, body) if paragraph.strip() else Spacer(1, 4))
    story.append(_para(_("2. Figures of the city"), h2))
    for line in as_of(figures):
        story.append(_para(line, cell))
    story.append(table([[_("Figure"), _("Value")]] + [
        [names[f"platform:{k}"], show(figures["platform"].get(k))] for k in PLATFORM_FIGURES],
        [110 * mm, 50 * mm]))
    story.append(_para(_("3. Ranking of the data-opening bodies"), h2))
    story.append(table(
        [[_("Rank"), _("Data-opening body")] + [names[k] for k in RANKING]] +
        [[show(c.get("rank")), c["title"]] + [show(c.get(k)) for k in RANKING]
         for c in figures["cards"]],
        [10 * mm, 36 * mm] + [18 * mm] * len(RANKING)))
    story.append(_para(_("4. Scorecards"), h2))
    average = figures.get("average") or {}
    for c in figures["cards"]:
        story.append(_para(c["title"], h3))
        story.append(table([[_("Figure"), c["title"], _("Average of all bodies")]] + [
            [names[k], show(c.get(k)), show(average.get(k))] for k in card_figures()],
            [90 * mm, 35 * mm, 35 * mm]))
    story.append(_para(_("5. Suggestions for improvement"), h2))
    for i, text in enumerate(report["suggestions"], 1):
        story.append(_para(f"{i}. {text}", body))
    story.append(Spacer(1, 10))
    story.append(_para(_("Figures computed on %s (UTC) from the platform's records.")
                       % figures.get("computed", ""), cell))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=report["title"],
                            author="lyg_opendata", subject=f"{report['year']} v{report['version']}")
    doc.build(story)
    return buffer.getvalue()


# --- XLSX ----------------------------------------------------------------------------------

def _row(ws, values: list[Any], bold: bool = False) -> list:
    from openpyxl.styles import Font
    out = []
    for value in values:
        if isinstance(value, str):
            c = xlsx_text_cell(ws, value)
            if bold:
                c.font = Font(bold=True)
            out.append(c)
        else:
            out.append(safe_cell(value))
    return out


def xlsx(report: dict[str, Any]):
    """The workbook of the figures, in a temporary file: the city's figures, every agency's
    scorecard (one row each, ranked) and the suggestions."""
    from openpyxl import Workbook

    from ckanext.lyg_opendata.evaluation.reports.figures import PLATFORM_FIGURES

    names = labels()
    figures = report["figures"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("City")[:31])
    ws.append(_row(ws, [report["title"]], bold=True))
    ws.append(_row(ws, [_("Figure"), _("Value")], bold=True))
    for k in PLATFORM_FIGURES:
        ws.append(_row(ws, [names[f"platform:{k}"], figures["platform"].get(k)]))
    for line in as_of(figures):
        ws.append(_row(ws, [line]))
    ws = wb.create_sheet(title=_("Scorecards")[:31])
    ws.freeze_panes = "C2"
    ws.append(_row(ws, [_("Rank"), _("Data-opening body")] + [names[k] for k in card_figures()],
                   bold=True))
    for c in figures["cards"]:
        ws.append(_row(ws, [c.get("rank"), c["title"]] + [c.get(k) for k in card_figures()]))
    average = figures.get("average") or {}
    ws.append(_row(ws, [None, _("Average of all bodies")] +
                   [average.get(k) for k in card_figures()]))
    ws = wb.create_sheet(title=_("Suggestions")[:31])
    for i, text in enumerate(report["suggestions"], 1):
        ws.append(_row(ws, [i, text]))
    return spreadsheet.saved(wb)
