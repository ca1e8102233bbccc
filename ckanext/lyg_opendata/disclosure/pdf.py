"""The 答复告知书 (answer notice) as a PDF, on the agreements' code path (reportlab, the
embedded Chinese font of ``access.agreements.pdf``)."""
from __future__ import annotations

import io
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from ckanext.lyg_opendata.access.agreements.pdf import _para, font_name


def notice_lines(req: dict[str, Any], agency: dict[str, Any]) -> list[str]:
    """The notice's text (Chinese, the city's wording): title first."""
    name = req.get("applicant_name") or ""
    lines = ["政府信息公开申请答复告知书",
             f"{agency.get('title') or ''}〔{req['number']}〕",
             "",
             f"{name}：",
             f"本机关于{req['received_on']}收到您（单位）提出的政府信息公开申请"
             f"（申请编号 {req['number']}），申请获取：{req['description']}",
             f"经审查，现答复如下：{req.get('outcome_label') or ''}。",
             req.get("answer_text") or ""]
    outcome = req.get("outcome")
    if outcome in ("partial", "withheld"):
        lines += [f"不予公开的理由：{req.get('withheld_category_label') or ''}。"
                  f"{req.get('withheld_reason') or ''}",
                  f"法律依据：{req.get('legal_basis') or ''}"]
    if outcome == "already_public":
        lines.append(f"获取途径：{req.get('where_to_find') or ''}")
    if outcome == "not_held" and req.get("holder_name"):
        lines.append(f"该信息的掌握机关：{req['holder_name']}，联系方式：{req.get('holder_contact') or ''}")
    if req.get("has_answer_file"):
        lines.append(f"所提供的政府信息见附件：{req.get('answer_file_name') or ''}")
    if req.get("extension_days"):
        lines.append(f"本申请的答复期限经批准延长 {req['extension_days']} 个工作日"
                     f"（理由：{req.get('extension_reason') or ''}）。")
    lines += ["本机关依申请提供政府信息，不收取费用。",
              "如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
              "或者自收到本告知书之日起六个月内依法提起行政诉讼。",
              "",
              f"{agency.get('title') or ''}",
              f"{req.get('answered_on') or ''}"]
    return lines


# the written notices an applicant who wrote by letter gets by post (title, what it says)
LETTER_KINDS = ("request_correction", "extend", "transfer")
LETTER_TITLES = {"request_correction": "政府信息公开申请补正告知书",
                 "extend": "政府信息公开申请延期答复告知书",
                 "transfer": "政府信息公开申请转送告知书"}


def letter_lines(req: dict[str, Any], agency: dict[str, Any], kind: str,
                 event: dict[str, Any]) -> list[str]:
    """A written notice of ``kind`` for an applicant who wrote by letter: the address block
    for the envelope first, then the notice as ``notice_lines`` lays it out."""
    name = req.get("applicant_name") or ""
    day = (event.get("created") or "")[:10]
    body = {
        "request_correction": [
            "您提出的政府信息公开申请内容不明确，请您于"
            f"{req.get('correction_due') or (event.get('data') or {}).get('due') or ''}前对申请内容作出"
            "更改、补充（补正）：", req.get("correction_request") or "",
            "答复期限自本机关收到补正后的申请之日起重新计算。逾期无正当理由不补正的，视为放弃申请。"],
        "extend": [
            f"因{req.get('extension_reason') or ''}，经本机关政府信息公开工作机构负责人同意，"
            f"答复期限延长{req.get('extension_days') or 0}个工作日，"
            f"本机关将于{req.get('deadline') or ''}前作出答复。"],
        "transfer": [
            f"您的申请已转送{req.get('organization_title') or ''}办理"
            f"（{event.get('text') or ''}），由其自收到之日起15个工作日内作出答复。"],
    }[kind]
    return [LETTER_TITLES[kind],
            f"{agency.get('title') or ''}〔{req['number']}〕",
            f"寄：{req.get('address') or ''}　{name}（收）",
            f"{name}：",
            f"本机关于{req['received_on']}收到您以{req.get('channel_label') or ''}方式提出的政府信息公开申请"
            f"（申请编号 {req['number']}），申请获取：{req['description']}",
            *body,
            f"{agency.get('title') or ''}",
            day]


def render(req: dict[str, Any], agency: dict[str, Any]) -> bytes:
    return render_lines(notice_lines(req, agency), req, agency)


def render_lines(lines: list[str], req: dict[str, Any], agency: dict[str, Any]) -> bytes:
    font = font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=19, wordWrap="CJK",
                          firstLineIndent=22)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=28, alignment=TA_CENTER,
                           firstLineIndent=0, spaceAfter=4)
    ref = ParagraphStyle("ref", parent=plain, alignment=TA_CENTER, spaceAfter=10)
    right = ParagraphStyle("right", parent=plain, alignment=2)
    story: list = [_para(lines[0], title), _para(lines[1], ref)]
    rest = lines[2:]
    closing = rest[-2:]
    for i, line in enumerate(rest[:-2]):
        if not line.strip():
            story.append(Spacer(1, 6))
        else:
            story.append(_para(line, plain if i == 1 else body))
    story.append(Spacer(1, 18))
    for line in closing:
        story.append(_para(line, right))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, title=lines[0],
                            author=agency.get("title") or "", subject=req["number"])
    doc.build(story)
    return buffer.getvalue()
