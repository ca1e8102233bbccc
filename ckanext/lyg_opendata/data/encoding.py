"""Encodings of Chinese government files for ckanext-xloader.

xloader guesses a file's encoding with chardet and uses the guess only above 0.7
confidence; below that tabulator falls back to cp1252, which turns a GB18030/GBK file
into mojibake. A short GB18030 file (a few dozen rows of 停车场名录) gets ~0.2. So the
decision is made strictly first — a UTF-8 BOM, then a file that decodes as UTF-8, then one
that decodes as GB18030 (a superset of GBK and GB2312) — and chardet is asked only when
none of these fit. Installed by wrapping ``ckanext.xloader.loader.detect_encoding``
(``install()``, from the plugin's ``configure``): the one place xloader asks.
"""
from __future__ import annotations

from typing import Any, Callable

SAMPLE = 4 * 1024 * 1024


def strict_encoding(path: str) -> dict[str, Any] | None:
    with open(path, "rb") as f:
        raw = f.read(SAMPLE)
        more = f.read(1) != b""
    if raw.startswith(b"\xef\xbb\xbf"):
        return {"encoding": "utf-8-sig", "confidence": 1.0, "language": ""}
    for encoding in ("utf-8", "gb18030"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as e:
            # a multi-byte character cut by the sample's end is not an error
            if not (more and e.start >= len(raw) - 4):
                continue
        return {"encoding": encoding.upper() if encoding == "gb18030" else encoding,
                "confidence": 1.0, "language": "zh"}
    return None


def wrap(detect: Callable[[str], dict]) -> Callable[[str], dict]:
    if getattr(detect, "lyg_opendata", False):
        return detect

    def detect_encoding(file_path: str) -> dict:
        return strict_encoding(file_path) or detect(file_path)
    detect_encoding.lyg_opendata = True  # type: ignore[attr-defined]
    detect_encoding.__doc__ = detect.__doc__
    return detect_encoding


def install() -> None:
    try:
        from ckanext.xloader import loader
    except ImportError:
        return
    loader.detect_encoding = wrap(loader.detect_encoding)
