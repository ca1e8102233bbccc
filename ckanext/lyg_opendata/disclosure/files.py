"""Attachments of an application: the scanned letter, the answer's file (the objections'
type and size rules; stored under ``ckan.storage_path``)."""
from __future__ import annotations

import pathlib
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workflow as shared

_ = tk._


def read_upload(raw: Any, field: str) -> Optional[dict[str, Any]]:
    """A checked upload (the objections' type and size rules), errors on ``field``."""
    from ckanext.lyg_opendata.objections import evidence
    if raw in (None, ""):
        return None
    if not evidence.is_upload(raw):
        shared.fail(field, _("Send the attachment as a file upload"))
    try:
        return evidence.read(raw)
    except tk.ValidationError as err:
        messages = [m for msgs in err.error_dict.values() for m in msgs]
        model.Session.rollback()
        raise tk.ValidationError({field: messages})


def store_upload(req_id: str, kind: str, upload: dict[str, Any]) -> str:
    root = tk.config.get("ckan.storage_path")
    if not root:
        shared.fail(kind, _("Attachments are not enabled on this portal"))
    target = pathlib.Path(root) / "lyg_opendata" / "disclosure" / req_id
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{kind}.{upload['ext']}"
    path.write_bytes(upload["data"])
    return str(path.relative_to(root))


def absolute(relative: str) -> pathlib.Path:
    from ckanext.lyg_opendata.objections import evidence
    return evidence.absolute(relative)
