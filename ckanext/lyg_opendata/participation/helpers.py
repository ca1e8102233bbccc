"""Template helpers of participation: what the dataset page shows."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms

__all__ = ["lyg_opendata_dataset_requests", "lyg_opendata_request_deadline_days",
           "lyg_opendata_masked_name", "lyg_opendata_rating_summary",
           "lyg_opendata_social_publisher", "lyg_opendata_social_publisher_types"]


_context = forms.context


def lyg_opendata_dataset_requests(package_id: str) -> list[dict]:
    """The data requests a dataset answers (or will answer)."""
    try:
        return tk.get_action("lyg_opendata_data_request_list")(
            _context(), {"package_id": package_id, "status": "all"})["results"]
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return []


def lyg_opendata_request_deadline_days() -> int:
    from ckanext.lyg_opendata.participation import workflow
    return workflow.deadline_days()


def lyg_opendata_masked_name() -> str:
    """The current user's name as a masked request shows it (王**)."""
    from ckanext.lyg_opendata.participation import workflow
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    return workflow.mask((user.fullname or user.name) if user else "")


def lyg_opendata_rating_summary(package_id: str) -> dict:
    """Average and count of a dataset's ratings (the dataset page)."""
    from ckanext.lyg_opendata.participation import ratings
    return ratings.summary(package_id)


def lyg_opendata_social_publisher(org_id) -> dict | None:
    """The 社会数据开放主体 mark of an organisation (type and labels), or None."""
    from ckanext.lyg_opendata.participation import publishers
    return publishers.marker(org_id if isinstance(org_id, str) else None)


def lyg_opendata_social_publisher_types() -> list[dict]:
    from ckanext.lyg_opendata.participation import publishers
    return [{"value": t.code, "text": t.label()} for t in publishers.TYPES]
