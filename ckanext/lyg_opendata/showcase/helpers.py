"""Template helpers of the showcase of uses."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["lyg_opendata_dataset_showcases"]


def lyg_opendata_dataset_showcases(package_id: str, limit: int = 6) -> dict:
    """The published uses that cite a dataset (for its page)."""
    try:
        return tk.get_action("lyg_opendata_showcase_list")(
            {"user": tk.current_user.name if tk.current_user.is_authenticated else ""},
            {"package_id": package_id, "limit": limit})
    except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound):
        return {"count": 0, "results": []}
