"""Template helpers of the access log."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk

__all__ = ["lyg_opendata_access_channel_label", "lyg_opendata_access_log_url"]


def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated when shown."""
    return msgid


CHANNEL_LABELS = {"ui": N_("Web page download"), "api": N_("API"),
                  "datastore": N_("DataStore query"), "preview": N_("Preview")}


def lyg_opendata_access_channel_label(code: Optional[str]) -> str:
    """How the data was served, in the UI language."""
    return tk._(CHANNEL_LABELS[code]) if code in CHANNEL_LABELS else (code or "")


def lyg_opendata_access_log_url(pkg_dict: dict[str, Any]) -> Optional[str]:
    """The access log of a dataset for those who may see it (its agency's editors and
    admins, supervisors, sysadmins), else None — for a link on the dataset page."""
    if not tk.current_user or not tk.current_user.is_authenticated:
        return None
    try:
        tk.check_access("lyg_opendata_access_log_list", {"user": tk.current_user.name},
                        {"package": pkg_dict.get("id")})
    except tk.NotAuthorized:
        return None
    return tk.h.url_for("lyg_opendata_audit.index", package=pkg_dict.get("name") or pkg_dict.get("id"))
