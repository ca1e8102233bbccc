"""Template helpers of data files: the scan findings of a resource (for whoever may see
them) and the row API's calls for the 数据接口 snippet."""
from __future__ import annotations

import json
from typing import Any, Optional
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

__all__ = ["lyg_opendata_scan_findings", "lyg_opendata_datastore_api"]


def _user() -> str:
    return tk.current_user.name if tk.current_user.is_authenticated else ""


def lyg_opendata_scan_findings(resource_id: str) -> Optional[dict[str, Any]]:
    """The resource's scans and findings, or None for whoever may not see them."""
    try:
        result = tk.get_action("lyg_opendata_scan_list")(
            {"user": _user()}, {"resource_id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    try:
        tk.check_access("lyg_opendata_scan_finding_dismiss", {"user": _user()},
                        {"resource_id": resource_id})
        result["may_resolve"] = True
    except tk.NotAuthorized:
        result["may_resolve"] = False
    return result


def lyg_opendata_datastore_api(res: dict[str, Any]) -> dict[str, str]:
    """The exact calls of the row API for a DataStore resource: search (GET and curl with
    a filter) and the dumps."""
    base = tk.config.get("ckan.site_url").rstrip("/")
    rid = res["id"]
    search = f"{base}/api/3/action/datastore_search?" + urlencode({"resource_id": rid, "limit": 5})
    q = f"{base}/api/3/action/datastore_search?" + urlencode(
        {"resource_id": rid, "q": "连云港", "limit": 5})
    body = json.dumps({"resource_id": rid, "filters": {}, "sort": "_id asc", "limit": 100,
                       "offset": 0}, ensure_ascii=False)
    return {
        "search": search,
        "q": q,
        "curl": f"curl -s -X POST {base}/api/3/action/datastore_search "
                f"-H 'Content-Type: application/json' -d '{body}'",
        "csv": f"{base}/datastore/dump/{rid}?format=csv&bom=true",
        "json": f"{base}/datastore/dump/{rid}?format=json",
        "xlsx": f"{base}/datastore/dump/{rid}?format=xlsx",
        "tsv": f"{base}/datastore/dump/{rid}?format=tsv",
    }
