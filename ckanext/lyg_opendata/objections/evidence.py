"""The optional evidence attachment of an objection: type- and size-limited, stored under
``ckan.storage_path/lyg_opendata/objections/<id>/``, served only to the agency, supervisors
and the person who raised it (as a download, never rendered inline)."""
from __future__ import annotations

import os
import pathlib
import re
from typing import Any, Optional

import ckan.plugins.toolkit as tk

_ = tk._

# extension -> (mimetype served, check of the first bytes)
KINDS: dict[str, tuple[str, Any]] = {
    "pdf": ("application/pdf", lambda b: b.startswith(b"%PDF-")),
    "png": ("image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             lambda b: b.startswith(b"PK\x03\x04")),
    "csv": ("text/csv", lambda b: _is_text(b)),
    "txt": ("text/plain", lambda b: _is_text(b)),
}


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def allowed_types() -> list[str]:
    return [t.lower().lstrip(".") for t in tk.config.get("ckanext.lyg_opendata.objections.evidence.types") or []
            if t.lower().lstrip(".") in KINDS]


def max_bytes() -> int:
    return int(tk.config.get("ckanext.lyg_opendata.objections.evidence.max_size") * 1024 * 1024)


def is_upload(value: Any) -> bool:
    return hasattr(value, "read") or hasattr(value, "stream") or hasattr(value, "file")


def _stream(upload: Any):
    for attr in ("stream", "file"):
        if hasattr(upload, attr):
            return getattr(upload, attr)
    return upload


def read(upload: Any) -> Optional[dict[str, Any]]:
    """Check an uploaded file (werkzeug FileStorage or cgi FieldStorage); returns its name,
    bytes and type, or None when no file was sent. Raises a field ValidationError."""
    name = getattr(upload, "filename", None) or getattr(upload, "name", None) or ""
    name = os.path.basename(str(name).replace("\\", "/"))
    if not name:
        return None
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = allowed_types()
    if ext not in allowed:
        raise tk.ValidationError({"evidence": [
            _("Attach a file of one of these types: %s") % ", ".join(allowed)]})
    limit = max_bytes()
    data = _stream(upload).read(limit + 1)
    if not data:
        return None
    if len(data) > limit:
        raise tk.ValidationError({"evidence": [
            _("The attachment is larger than %s MB") %
            tk.config.get("ckanext.lyg_opendata.objections.evidence.max_size")]})
    mimetype, check = KINDS[ext]
    if not check(data):
        raise tk.ValidationError({"evidence": [
            _("The attachment's content does not match its type (.%s)") % ext]})
    safe = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", name)[:120] or f"evidence.{ext}"
    return {"name": safe, "data": data, "mimetype": mimetype, "ext": ext}


def folder(objection_id: str) -> pathlib.Path:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise tk.ValidationError({"evidence": [_("Attachments are not enabled on this portal")]})
    return pathlib.Path(root) / "lyg_opendata" / "objections" / objection_id


def store(objection_id: str, upload: dict[str, Any]) -> str:
    """Write the checked file; returns its path relative to ``ckan.storage_path``."""
    target = folder(objection_id)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"evidence.{upload['ext']}"
    path.write_bytes(upload["data"])
    return str(path.relative_to(tk.config.get("ckan.storage_path")))


def absolute(relative: str) -> pathlib.Path:
    root = pathlib.Path(tk.config.get("ckan.storage_path")).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise tk.ObjectNotFound(_("Attachment not found"))
    return path
