"""Choosing among the languages of RDF literals (BCP 47, RFC 4647 lookup).

The portal's language is ``zh-Hans-CN`` (CKAN locale ``zh_Hans_CN``): a literal tagged
``zh-Hans-CN`` is taken first, then ``zh-Hans``, ``zh-CN``, ``zh`` (any other ``zh-…``
after those), then the configured fallbacks (``ckanext.lyg_opendata.harvest.fallback_languages``,
each with the same truncation), then a literal without a language, then the first one.
"""
from __future__ import annotations

from typing import Iterable, Optional

import ckan.plugins.toolkit as tk

PORTAL_LANGUAGE = "zh-Hans-CN"
PORTAL_CHAIN = ("zh-hans-cn", "zh-hans", "zh-cn", "zh")


def _truncations(tag: str) -> list[str]:
    parts = tag.lower().split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def preference() -> list[str]:
    chain = list(PORTAL_CHAIN)
    for tag in tk.config.get("ckanext.lyg_opendata.harvest.fallback_languages") or []:
        for truncated in _truncations(str(tag)):
            if truncated not in chain:
                chain.append(truncated)
    return chain


def best(tags: Iterable[Optional[str]]) -> Optional[int]:
    """Index of the best of ``tags`` (None: a literal without language), or None if empty."""
    tags = list(tags)
    if not tags:
        return None
    lowered = [(t or "").lower() for t in tags]
    for wanted in preference():
        for i, tag in enumerate(lowered):
            if tag == wanted:
                return i
        if wanted == "zh":   # zh-TW, zh-Hant… after every exact Chinese match
            for i, tag in enumerate(lowered):
                if tag.startswith("zh-"):
                    return i
    for i, tag in enumerate(lowered):
        if not tag:
            return i
    return 0


def is_chinese(tag: Optional[str]) -> bool:
    return bool(tag and (tag.lower() == "zh" or tag.lower().startswith("zh-")))
