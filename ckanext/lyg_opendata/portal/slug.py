"""Readable URL names (slugs) from Chinese titles: pinyin without tones, words joined by
hyphens (连云港市公交线路 → lianyungangshi-gongjiao-xianlu is what a reader can say)."""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_MAX = 100  # CKAN's name length limit


def slugify(title: str) -> str:
    words = lazy_pinyin(title or "", style=Style.NORMAL, errors=lambda s: [s])
    text = "-".join(w.strip() for w in words if w.strip())
    text = re.sub(r"[^a-z0-9]+", "-", text.lower())
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return text[:_MAX].rstrip("-")
