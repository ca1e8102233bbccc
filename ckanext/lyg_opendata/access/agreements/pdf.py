"""The agreement as a PDF (reportlab): the frozen text, then its number, SHA-256 and the
signatures. Chinese is set in WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, installed
by scripts/install.sh), embedded as a subset so that any reader shows it and text can be
copied out; without that font, reportlab's built-in CID font STSong-Light (not embedded:
readers substitute a Song face)."""
from __future__ import annotations

import io
import os
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from xml.sax.saxutils import escape

FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)
_font_name = None


def font_name() -> str:
    global _font_name
    if _font_name is None:
        for path in FONT_FILES:
            if os.path.exists(path):
                pdfmetrics.registerFont(TTFont("WQYMicroHei", path, subfontIndex=0))
                _font_name = "WQYMicroHei"
                break
        else:
            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
            _font_name = "STSong-Light"
    return _font_name


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    # user text is escaped: reportlab paragraphs read a small XML markup
    return Paragraph(escape(text).replace(" ", "&nbsp;") if text.startswith(" ") else escape(text),
                     style)


def render(agreement: dict[str, Any]) -> bytes:
    """The PDF of an agreement as ``lyg_opendata_agreement_show`` gives it."""
    font = font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER,
                           spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=12)
    lines = agreement["text"].splitlines()
    story: list = []
    if lines:
        story.append(_para(lines[0], title))
        lines = lines[1:]
    for line in lines:
        story.append(_para(line, body) if line.strip() else Spacer(1, 6))
    story.append(Spacer(1, 12))
    meta = [f"{agreement['number']}  ·  v{agreement['template_version']}",
            f"SHA-256: {agreement['sha256']}"]
    if agreement.get("agency_signed_at"):
        who = (agreement.get("agency_signed_by") or {}).get("display_name", "")
        meta.append(f"甲方签署（批准）：{agreement['agency_signed_at'][:19]} UTC {who}")
    if agreement.get("applicant_signed_at"):
        who = (agreement.get("applicant_signed_by") or {}).get("display_name", "")
        meta.append(f"乙方签署：{agreement['applicant_signed_at'][:19]} UTC {who}")
    for line in meta:
        story.append(_para(line, small))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm,
                            title=agreement["number"], author="lyg_opendata",
                            subject=agreement["sha256"])
    doc.build(story)
    return buffer.getvalue()
