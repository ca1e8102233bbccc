"""Template helpers of the portal's public face (home page, header, footer, sharing)."""
from __future__ import annotations

import hashlib
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from markupsafe import Markup, escape

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.portal import figures, workbench

__all__ = [
    "lyg_opendata_home_figures",
    "lyg_opendata_subject_areas",
    "lyg_opendata_newest_datasets",
    "lyg_opendata_home_notices",
    "lyg_opendata_example_queries",
    "lyg_opendata_workbench",
    "lyg_opendata_workbench_total",
    "lyg_opendata_footer",
    "lyg_opendata_avatar",
    "lyg_opendata_org_emblem",
    "lyg_opendata_open_type_label",
    "lyg_opendata_error_dataset",
    "lyg_opendata_activity_type_label",
    "lyg_opendata_dataset_usage",
    "lyg_opendata_resource_usage",
]


from ckanext.lyg_opendata.i18n import N_  # noqa: E402


# the activity types of the activity stream's filter (core shows them as "New Package")
ACTIVITY_TYPES = {
    "new package": N_("Dataset created"), "changed package": N_("Dataset changed"),
    "deleted package": N_("Dataset deleted"), "follow dataset": N_("Dataset followed"),
    "new resource view": N_("View created"), "changed resource view": N_("View changed"),
    "deleted resource view": N_("View deleted"),
    "new group": N_("Subject group created"), "changed group": N_("Subject group changed"),
    "deleted group": N_("Subject group deleted"), "follow group": N_("Subject group followed"),
    "new organization": N_("Data-opening body created"),
    "changed organization": N_("Data-opening body changed"),
    "deleted organization": N_("Data-opening body deleted"),
    "follow organization": N_("Data-opening body followed"),
    "new user": N_("User registered"), "changed user": N_("User changed"),
    "follow user": N_("User followed"),
}


def lyg_opendata_activity_type_label(activity_type: str) -> str:
    msgid = ACTIVITY_TYPES.get(activity_type)
    return tk._(msgid) if msgid else activity_type

# Font Awesome (served by CKAN itself) icons of the 16 subject areas
SUBJECT_ICONS = {
    "economy": "chart-line", "transport": "road", "education_science": "graduation-cap",
    "health": "hospital", "social_security": "hand-holding-heart", "environment": "leaf",
    "housing": "city", "public_safety": "shield-halved", "culture_leisure": "masks-theater",
    "institutions": "sitemap", "credit": "handshake", "agriculture": "wheat-awn",
    "finance": "coins", "weather": "cloud-sun", "daily_life": "mug-hot", "other": "ellipsis",
}


def lyg_opendata_home_figures() -> dict[str, Any]:
    return figures.cached()


def lyg_opendata_open_type_label(code: str) -> str:
    return vocab.label("open_type", code)


def lyg_opendata_subject_areas() -> list[dict[str, Any]]:
    counts = figures.cached()["subject_areas"]
    return [{"code": t.code, "label": t.label(), "icon": SUBJECT_ICONS.get(t.code, "folder"),
             "count": counts.get(t.code, 0)} for t in vocab.terms("subject_area")]


def lyg_opendata_newest_datasets(rows: int = 6) -> list[dict[str, Any]]:
    try:
        result = tk.get_action("package_search")(
            {"user": ""}, {"q": "*:*", "rows": rows, "sort": "metadata_created desc",
                           "include_private": False})
    except Exception:  # Solr down: the rest of the home page still renders
        return []
    return result["results"]


def lyg_opendata_example_queries() -> list[str]:
    return tk.aslist(tk.config.get("ckanext.lyg_opendata.home.example_queries"))


def _news() -> list[dict[str, Any]]:
    """Platform news a sysadmin wrote on the config page, one per line:
    ``YYYY-MM-DD | title | link`` (the link optional)."""
    out = []
    for line in (tk.config.get("ckanext.lyg_opendata.home.news") or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) >= 2 and parts[1]:
            out.append({"date": parts[0], "title": parts[1],
                        "url": parts[2] if len(parts) > 2 and parts[2] else None,
                        "kind": tk._("Platform news")})
    return out


def lyg_opendata_home_notices(limit: int = 6) -> list[dict[str, Any]]:
    """通知公告: platform news, withdrawals with their public notice, open-list updates."""
    from ckanext.lyg_opendata.catalog.model import ReviewEvent
    notices = _news()
    try:
        withdrawn = tk.get_action("lyg_opendata_withdrawal_list")({"user": ""}, {})
    except tk.NotAuthorized:
        withdrawn = []
    for w in withdrawn[:3]:
        notices.append({"date": (w["withdrawn"] or "")[:10],
                        "title": tk._("Withdrawn for review: %(title)s") % {"title": w["title"]},
                        "url": tk.h.url_for("lyg_opendata_catalog.withdrawn"),
                        "kind": tk._("Withdrawal notice")})
    latest = model.Session.query(ReviewEvent.created).filter(
        ReviewEvent.action == "approve").order_by(ReviewEvent.created.desc()).first()
    if latest:
        notices.append({"date": tk.h.render_datetime(latest[0], "%Y-%m-%d"),
                        "title": tk._("The open list was updated"),
                        "url": tk.h.url_for("lyg_opendata_openlist.catalog"),
                        "kind": tk._("Open list")})
    notices.sort(key=lambda n: n["date"] or "", reverse=True)
    return notices[:limit]


def lyg_opendata_workbench() -> list[dict[str, Any]]:
    return workbench.sections()


def lyg_opendata_workbench_total(sections: list[dict[str, Any]]) -> int:
    return workbench.total(sections)


def lyg_opendata_footer() -> dict[str, Optional[str]]:
    c = tk.config
    return {key: c.get(f"ckanext.lyg_opendata.site.{key}") for key in
            ("organizer", "tech_support", "contact", "site_code", "icp")}


_AVATAR_COLOURS = ("#1f5f8b", "#2e7d5b", "#8a4b0f", "#6b3fa0", "#a33b3b", "#2f6f73")


def lyg_opendata_avatar(user: Any, size: int = 32) -> Markup:
    """A local avatar: the first character of the person's name on a colour of their own
    (no Gravatar or any other third-party request)."""
    if isinstance(user, dict):
        name = user.get("display_name") or user.get("fullname") or user.get("name") or "?"
        key = user.get("id") or user.get("name") or name
    else:
        name = getattr(user, "display_name", None) or getattr(user, "name", "?") or "?"
        key = getattr(user, "id", None) or name
    colour = _AVATAR_COLOURS[int(hashlib.sha1(str(key).encode()).hexdigest(), 16) % len(_AVATAR_COLOURS)]
    return Markup(
        f'<span class="lyg-avatar" aria-hidden="true" style="width:{int(size)}px;'
        f'height:{int(size)}px;line-height:{int(size)}px;font-size:{int(size) // 2}px;'
        f'background:{colour}">{escape(name.strip()[:1].upper())}</span>')


# the generic words of an agency's name, left out of its emblem: 市交通运输局 -> 交通运输 -> 交通
_ORG_PREFIXES = ("连云港市", "连云港", "市")
_ORG_SUFFIXES = ("管理委员会", "委员会", "管理局", "办公室", "中心", "局", "委", "厅", "院", "所", "公司")


def _org_short_name(title: str) -> str:
    name = (title or "").strip()
    for prefix in _ORG_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
            break
    for suffix in _ORG_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if name and all(ord(ch) < 0x2E80 for ch in name):  # a Latin name gives its initials
        return "".join(word[:1] for word in name.split()[:2]).upper() or "?"
    if "和" in name:  # 发展和改革 -> 发改, 工业和信息化 -> 工信 (as the city writes them)
        return "".join(part[:1] for part in name.split("和")[:2] if part) or "?"
    return (name if len(name) <= 3 else name[:2]) or "?"  # 大数据, 交通运输 -> 交通


def lyg_opendata_org_emblem(organization: Any, size: str = "") -> Markup:
    """The organisation's own image, or (instead of CKAN's grey placeholder) a local emblem:
    the two characters that name the agency on a colour of its own (no remote request).
    A picture on another website gets the emblem too: the portal's Content-Security-Policy
    (identity/security/third_party.py) would block it and show a broken image."""
    from ckanext.lyg_opendata.identity.security import third_party
    org = organization or {}
    get = org.get if isinstance(org, dict) else (lambda key, default=None: getattr(org, key, default))
    title = get("title") or get("display_name") or get("name") or ""
    image = get("image_display_url") or ""
    css = f"lyg-org-emblem {('lyg-org-emblem-' + size) if size else ''}".strip()
    if image and third_party.is_local(image):
        return Markup(f'<img src="{escape(image)}" alt="{escape(title)}" class="img-fluid media-image lyg-org-image">')
    key = get("id") or get("name") or title
    colour = _AVATAR_COLOURS[int(hashlib.sha1(str(key).encode()).hexdigest(), 16) % len(_AVATAR_COLOURS)]
    return Markup(
        f'<span class="{css}" role="img" aria-label="{escape(title)}" style="background:{colour}">'
        f'<span class="lyg-org-emblem-text">{escape(_org_short_name(title))}</span></span>')


def lyg_opendata_error_dataset() -> Optional[dict[str, str]]:
    """On an error page: the conditional dataset the failed request was for (its data were
    refused), so the page can lead to the application form."""
    from ckanext.lyg_opendata.access.enforcement import guard
    try:
        pkg, _res = guard._target()
        if pkg is None:
            pkg = model.Package.get((tk.request.view_args or {}).get("id") or "")
    except Exception:  # an error page never fails in turn
        return None
    if pkg is None or pkg.state != "active" or pkg.private:
        return None
    if (pkg.extras or {}).get("open_type") != "conditional":
        return None
    return {"name": pkg.name, "title": pkg.title or pkg.name}


def _per_request(kind: str, key: str, compute):
    """``compute()`` once per request and ``key``: CKAN's page.html renders the sidebar twice
    (once to test whether it is empty), so its helpers would query twice."""
    import flask
    if not flask.has_request_context():
        return compute()
    cache = flask.g.setdefault("_lyg_per_request", {})
    if (kind, key) not in cache:
        cache[(kind, key)] = compute()
    return cache[(kind, key)]


def lyg_opendata_dataset_usage(package_id: str) -> dict[str, int]:
    """Page views, downloads and API calls of a dataset (portal/usage.py), once per request."""
    from ckanext.lyg_opendata.portal import usage
    return _per_request("dataset_usage", package_id, lambda: usage.dataset_totals(package_id))


def lyg_opendata_resource_usage(resource_id: str) -> dict[str, int]:
    """Page views, downloads and API calls of one resource (portal/usage.py), once per
    request."""
    from ckanext.lyg_opendata.portal import usage
    return _per_request("resource_usage", resource_id, lambda: usage.resource_totals(resource_id))
