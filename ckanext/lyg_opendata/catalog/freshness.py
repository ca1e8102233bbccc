"""Freshness (Art 15, 39): when a dataset's next update falls due, and which are overdue.

The due date is indexed; "overdue" is decided at query time against the clock
(``update_due_date:[* TO <now>]``, the portal's clock), so it changes with time, not with
edits.

Deadlines follow the Chinese calendar: a 数据更新时间 given as a date (``2026-03-10``) is a
day in Beijing time, and a deadline day ends at 24:00 Beijing time. A time stamp (a data
file's last change) counts from that instant. 实时 and 每日 get the configured grace
period (``ckanext.lyg_opendata.freshness.grace_hours``); 不定期 and 不更新 never fall due.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, vocab
from ckanext.lyg_opendata.validation import validate

_ = tk._

# entries that owe the public an update: published and opened (non-open data is not opened)
OBLIGED_FQ = "+review_status:published -open_type:non_open"
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
GRACE_FREQUENCIES = ("realtime", "daily")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def overdue_fq(now: Optional[dt.datetime] = None) -> str:
    """The Solr filter of entries overdue at ``now`` (default: the portal's clock, the same
    clock as every other deadline, rather than Solr's NOW)."""
    now = _utc_naive(now or dt.datetime.now(dt.timezone.utc))
    return f"update_due_date:[* TO {now.isoformat(timespec='milliseconds')}Z]"


def _utc_naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _parse(value: Any) -> Optional[dt.datetime]:
    """A stored date or time stamp as a naive UTC datetime (a bare date: its midnight)."""
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return _utc_naive(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return _utc_naive(dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return None


def _is_date_only(value: Any) -> bool:
    if isinstance(value, dt.datetime):
        return False
    return isinstance(value, dt.date) or bool(_DATE_ONLY.match(str(value or "").strip()))


def _last_update(pkg: dict[str, Any]) -> tuple[Optional[dt.datetime], bool]:
    """(when the data last changed, whether that is a calendar date rather than an instant)."""
    declared = _parse(pkg.get("data_updated"))
    if declared:
        return declared, _is_date_only(pkg.get("data_updated"))
    stamps = [_parse(r.get("last_modified") or r.get("created")) for r in pkg.get("resources") or []]
    stamps = [s for s in stamps if s]
    if stamps:
        return max(stamps), False
    return _parse(pkg.get("metadata_created")), False


def effective_data_updated(pkg: dict[str, Any]) -> Optional[dt.datetime]:
    """数据更新时间: the declared date, else the last change of a data resource, else
    the dataset's creation."""
    return _last_update(pkg)[0]


def data_updated_day(pkg: dict[str, Any]) -> Optional[dt.date]:
    """The day (Beijing time) the data last changed: the 最近更新 of the open list."""
    stamp, date_only = _last_update(pkg)
    if stamp is None:
        return None
    if date_only:
        return stamp.date()
    return stamp.replace(tzinfo=dt.timezone.utc).astimezone(BEIJING).date()


def due_date(pkg: dict[str, Any]) -> Optional[dt.datetime]:
    """The instant (naive UTC) from which the dataset is overdue, or None for 不定期 /
    不更新 / unknown."""
    frequency = pkg.get("update_frequency") or ""
    period = vocab.FREQUENCY_PERIOD.get(frequency)
    stamp, date_only = _last_update(pkg)
    if period is None or stamp is None:
        return None
    if date_only:  # the update day ends at 24:00 Beijing time
        stamp = stamp + dt.timedelta(days=1) - dt.timedelta(hours=8)
    due = stamp + period
    if frequency in GRACE_FREQUENCIES:
        due += dt.timedelta(hours=tk.config.get("ckanext.lyg_opendata.freshness.grace_hours"))
    return due


def due_day(due: Optional[dt.datetime]) -> Optional[dt.date]:
    """The last day (Beijing time) on which the update is still in time."""
    if due is None:
        return None
    last_moment = due.replace(tzinfo=dt.timezone.utc) - dt.timedelta(microseconds=1)
    return last_moment.astimezone(BEIJING).date()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def is_overdue(pkg: dict[str, Any], now: Optional[dt.datetime] = None) -> bool:
    due = due_date(pkg)
    now = _utc_naive(now) if now else now_utc()
    return due is not None and due <= now


def update_status(pkg: dict[str, Any], now: Optional[dt.datetime] = None) -> dict[str, Any]:
    """What the dataset page shows: the due instant, the deadline day, overdue or not."""
    due = due_date(pkg)
    return {"due": due, "due_day": due_day(due), "overdue": is_overdue(pkg, now),
            "last_updated": data_updated_day(pkg)}


# --- the overdue entries of the catalog ---------------------------------------------------

def _iter_search(fq: str, sort: str, page_size: int = 500) -> Iterator[dict[str, Any]]:
    """Every dataset matching ``fq`` (all of them: the caller has checked access)."""
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"ignore_auth": True}, {"fq": fq, "sort": sort, "rows": page_size, "start": start,
                                    "include_private": True})
        yield from result["results"]
        start += page_size
        if start >= result["count"] or not result["results"]:
            return


def overdue_entry(pkg: dict[str, Any], today: Optional[dt.date] = None) -> dict[str, Any]:
    due = due_date(pkg)
    day = due_day(due)
    today = today or dt.datetime.now(BEIJING).date()
    org = pkg.get("organization") or {}
    updated = data_updated_day(pkg)
    return {
        "id": pkg["id"], "name": pkg["name"], "title": pkg.get("title") or pkg["name"],
        "organization": org.get("name"), "organization_title": org.get("title"),
        "update_frequency": pkg.get("update_frequency"),
        "update_frequency_label": vocab.label("update_frequency", pkg.get("update_frequency")),
        "data_updated": updated.isoformat() if updated else None,
        "update_due_date": due.strftime("%Y-%m-%dT%H:%M:%SZ") if due else None,
        "due_day": day.isoformat() if day else None,
        "days_overdue": (today - day).days if day else None,
    }


def overdue_by_organization(org_id: Optional[str] = None,
                            now: Optional[dt.datetime] = None) -> list[dict[str, Any]]:
    """Published, opened entries whose update is overdue now (or whose present due date had
    passed at ``now``), grouped by agency (agencies by title, entries longest overdue
    first)."""
    fq = f"{OBLIGED_FQ} +{overdue_fq(now)} +dataset_type:dataset"
    if org_id:
        fq += f' +owner_org:"{org_id}"'
    groups: dict[str, dict[str, Any]] = {}
    for pkg in _iter_search(fq, "update_due_date asc, title_string asc"):
        org = pkg.get("organization") or {}
        group = groups.setdefault(pkg.get("owner_org") or "", {
            "id": pkg.get("owner_org"), "name": org.get("name"), "title": org.get("title"),
            "count": 0, "datasets": []})
        group["datasets"].append(overdue_entry(pkg))
        group["count"] += 1
    return sorted(groups.values(), key=lambda g: (g["title"] or g["name"] or ""))


# --- the reminder to each agency -----------------------------------------------------------

def reminder(group: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of the mail that tells an agency which entries are overdue."""
    subject = _("Catalog entries overdue for update: %(organization)s (%(count)d)") % {
        "organization": group["title"] or group["name"], "count": group["count"]}
    lines = [
        _("Dear colleagues of %s,") % (group["title"] or group["name"]),
        _("The following catalog entries of your agency have not been updated by the time "
          "their update frequency requires (Art 15). Please update the data, or correct the "
          "update frequency or the date the data was last updated."),
    ]
    for entry in group["datasets"]:
        lines.append("\n".join([
            f"- {entry['title']}",
            "  " + _("Update frequency: %s") % entry["update_frequency_label"],
            "  " + _("Data last updated: %s") % (entry["data_updated"] or "—"),
            "  " + _("Update was due by: %s") % (entry["due_day"] or "—"),
            "  " + tk.url_for("dataset.read", id=entry["name"], _external=True),
        ]))
    lines.append(_("The list of overdue entries: %s") % tk.url_for(
        "lyg_opendata_freshness.overdue", organization=group["name"], _external=True))
    return subject, "\n\n".join(lines)


def notify_overdue(org_id: Optional[str] = None) -> list[dict[str, Any]]:
    """Queue one reminder per agency with overdue entries, to its editors and admins.
    Returns, per agency, how many entries are overdue and how many people are told."""
    report = []
    for group in overdue_by_organization(org_id):
        staff = [u for u in notify.agency_staff(group["id"]) if u.email and u.state == "active"]
        if staff:
            subject, body = reminder(group)
            notify.enqueue_mail(staff, subject, body)
        report.append({"organization": group["name"], "count": group["count"],
                       "recipients": len(staff)})
    return report


# --- the action ----------------------------------------------------------------------------

def agency(name_or_id: Optional[str]) -> Optional[model.Group]:
    """The active data-opening body (organization) named, None when none is named;
    ``ObjectNotFound`` for a name that is not one."""
    if not name_or_id:
        return None
    org = model.Group.get(name_or_id)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(_("Data-opening body not found"))
    return org


@tk.side_effect_free
def lyg_opendata_overdue_list(context, data_dict):
    """Published entries whose update is overdue now (Art 15, 39), grouped by agency.

    Supervisors see every agency; an agency's editors and admins may ask for their own.

    :param organization: only this agency (数据开放主体), id or name
    :returns: ``count`` (entries), ``organizations`` (each with ``name``, ``title``,
        ``count`` and ``datasets``: title, update frequency, ``data_updated``,
        ``update_due_date`` (UTC), ``due_day`` (the last day in time, Beijing) and
        ``days_overdue``), and ``checked_at`` (UTC)
    """
    v = tk.get_validator
    data = validate(data_dict, {"organization": [v("ignore_missing"), v("unicode_safe")]})
    org = agency(data.get("organization"))
    if org is not None:
        data["organization"] = org.id
    tk.check_access("lyg_opendata_overdue_list", context, data)
    groups = overdue_by_organization(org.id if org else None)
    return {"count": sum(g["count"] for g in groups), "organizations": groups,
            "checked_at": now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")}
