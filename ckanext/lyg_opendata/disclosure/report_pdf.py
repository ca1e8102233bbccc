"""The yearly report's tables (parts 二, 三, 四 of the national format of 2021) as one PDF,
with the embedded Chinese font of the other PDFs (``access.agreements.pdf``)."""
from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from ckanext.lyg_opendata.access.agreements.pdf import _para, font_name

PART_TWO = "二、主动公开政府信息情况"
PART_THREE = "三、收到和处理政府信息公开申请情况"
PART_FOUR = "四、政府信息公开行政复议、行政诉讼情况"


def _table(rows: list[list[Any]], cell: ParagraphStyle, widths: list[float],
           spans: list[tuple] = ()) -> Table:
    data = [[_para(str(v), cell) if not isinstance(v, (int, float)) else str(v) for v in r]
            for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
             ("FONTNAME", (0, 0), (-1, -1), font_name()), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (-1, -1), "CENTER")]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def render(result: dict[str, Any], title: str) -> bytes:
    font = font_name()
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=11, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    heading = ParagraphStyle("title", fontName=font, fontSize=15, leading=22, alignment=1, spaceAfter=8)
    width = A4[0] - 30 * mm
    story: list = [_para(title, heading)]

    two = result["part_two"]
    story.append(_para(PART_TWO, head))
    docs = two["documents"]
    rows = [["第二十条第（一）项"] + [""] * 3, ["信息内容"] + [c["label"] for c in docs["columns"]]]
    rows += [[r["label"]] + r["cells"] for r in docs["rows"]]
    rows += [["第二十条第（五）、（六）项"] + [""] * 3, ["信息内容", "本年处理决定数量", "", ""]]
    rows += [[d["label"], d["value"], "", ""] for d in two["decisions"]]
    rows += [["第二十条第（八）项"] + [""] * 3, ["信息内容", "本年收费金额（单位：万元）", "", ""],
             [two["fees"]["label"], two["fees"]["value"], "", ""]]
    spans = [((0, 0), (-1, 0)), ((0, 4), (-1, 4)), ((1, 5), (-1, 5)), ((0, 9), (-1, 9)),
             ((1, 10), (-1, 10)), ((1, 11), (-1, 11))] + [((1, i), (-1, i)) for i in (6, 7, 8)]
    story.append(_table(rows, cell, [width * 0.4] + [width * 0.2] * 3, spans))

    story.append(_para(PART_THREE, head))
    cols = result["columns"]
    n = len(cols)
    rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", cols[0]["label"],
             "法人或其他组织"] + [""] * (n - 3) + [cols[-1]["label"]],
            ["", ""] + [c["label"] for c in cols[1:-1]] + [""]]
    for r in result["rows"]:
        if r["code"] == "public":
            rows.append([result["results_heading"]] + [""] * n)
        rows.append([r["label"]] + r["cells"])
    results_row = next(i for i, r in enumerate(rows) if r[0] == result["results_heading"])
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (n - 1, 0)), ((n, 0), (n, 1)),
             ((0, results_row), (-1, results_row))]
    story.append(_table(rows, cell, [width * 0.37] + [width * 0.63 / n] * n, spans))

    four = result["part_four"]
    story.append(_para(PART_FOUR, head))
    labels = [c["label"] for c in four["columns"]]
    groups = four["groups"]
    rows = [[groups[0]["label"]] + [""] * 4 + [four["litigation_heading"]] + [""] * 9,
            [""] * 5 + [groups[1]["label"]] + [""] * 4 + [groups[2]["label"]] + [""] * 4,
            labels[:] + labels[:] + labels[:],
            groups[0]["cells"] + groups[1]["cells"] + groups[2]["cells"]]
    spans = [((0, 0), (4, 1)), ((5, 0), (14, 0)), ((5, 1), (9, 1)), ((10, 1), (14, 1))]
    story.append(_table(rows, cell, [width / 15] * 15, spans))
    story.append(Spacer(1, 6))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title)
    doc.build(story)
    return buffer.getvalue()
