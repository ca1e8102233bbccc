"""No traditional character in any message the Chinese UI shows: the effective catalog
(CKAN's zh_Hans_CN catalog with this extension's merged over it, as Flask-Babel loads
them) converted with OpenCC t2s must not change."""
from __future__ import annotations

import pathlib

import opencc
from babel.messages.mofile import read_mo

import ckan

import ckanext.lyg_opendata as ext


def _effective() -> dict:
    core = pathlib.Path(ckan.__file__).parent / "i18n" / "zh_Hans_CN" / "LC_MESSAGES" / "ckan.mo"
    ours = pathlib.Path(ext.__file__).parent / "i18n" / "zh_Hans_CN" / "LC_MESSAGES" / \
        "ckanext-lyg_opendata.mo"
    merged = {}
    for path in (core, ours):  # a later catalog overrides the same msgid
        with path.open("rb") as f:
            for message in read_mo(f):
                if message.id and message.string:
                    merged[message.id if isinstance(message.id, str) else tuple(message.id)] = \
                        message.string
    return merged


def test_no_traditional_character_in_effective_messages():
    t2s = opencc.OpenCC("t2s")
    messages = _effective()
    assert len(messages) > 1500
    found = []
    for msgid, msgstr in messages.items():
        for text in (msgstr if isinstance(msgstr, (list, tuple)) else [msgstr]):
            simplified = t2s.convert(text)
            if simplified != text:
                chars = sorted({a for a, b in zip(text, simplified) if a != b})
                found.append(f"{msgid!r}: {text!r} ({''.join(chars)})")
    assert not found, "traditional characters:\n  " + "\n  ".join(found)


def test_the_check_finds_a_traditional_character():
    # the detector itself: 來 and 組 are what CKAN's catalog had
    t2s = opencc.OpenCC("t2s")
    assert t2s.convert("欢迎來到CKAN") != "欢迎來到CKAN"
    assert t2s.convert("建立一个群組如何?") != "建立一个群組如何?"
    assert t2s.convert("连云港市公共数据开放平台") == "连云港市公共数据开放平台"
