"""Actions of the access log (Art 21)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.audit import reading
from ckanext.lyg_opendata.audit.model import CHANNELS
from ckanext.lyg_opendata.validation import iso_date, one_of

__all__ = ["lyg_opendata_access_log_list"]

_ = tk._
MAX_LIMIT = 1000
MIN_REASON = 5


_date = iso_date


def _limit(value: Any, context) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise tk.Invalid(_("Must be a whole number"))
    if not 1 <= value <= MAX_LIMIT:
        raise tk.Invalid(_("Must be between {low} and {high}").format(low=1, high=MAX_LIMIT))
    return value


def _offset(value: Any, context) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise tk.Invalid(_("Must be a whole number"))
    if value < 0:
        raise tk.Invalid(_("Must be 0 or more"))
    return value


def list_schema() -> dict:
    v = tk.get_validator
    ignore_missing, empty_str = v("ignore_missing"), v("unicode_safe")
    default, boolean = v("default"), v("boolean_validator")
    return {
        "package": [ignore_missing, empty_str],
        "organization": [ignore_missing, empty_str],
        "user": [ignore_missing, empty_str],
        "channel": [ignore_missing, one_of(CHANNELS)],
        "date_from": [ignore_missing, _date],
        "date_to": [ignore_missing, _date],
        "limit": [default(50), _limit],
        "offset": [default(0), _offset],
        "unmasked": [default(False), boolean],
        "reason": [ignore_missing, empty_str],
    }


def _blank_to_missing(data_dict: dict) -> dict:
    return {k: v for k, v in (data_dict or {}).items()
            if not (isinstance(v, str) and not v.strip())}


def validate(data_dict: dict) -> dict[str, Any]:
    """Validated filters (field errors as ``tk.ValidationError``), names resolved to ids."""
    data, errors = tk.navl_validate(_blank_to_missing(data_dict), list_schema())
    if errors:
        raise tk.ValidationError(errors)
    if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
        raise tk.ValidationError({"date_to": [_("The end date is before the start date")]})
    if data["unmasked"] and len((data.get("reason") or "").strip()) < MIN_REASON:
        raise tk.ValidationError({"reason": [
            _("Give the reason for seeing personal data (at least {n} characters)")
            .format(n=MIN_REASON)]})
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        if org is None or not org.is_organization:
            raise tk.ValidationError({"organization": [_("No such organization")]})
        data["org_id"] = org.id
    if data.get("package"):
        pkg = model.Package.get(data["package"])
        # a dataset purged since keeps its records: its id still filters them
        data["package_id"] = pkg.id if pkg else data["package"]
    if data.get("user"):
        user = model.User.get(data["user"])
        if user is not None:
            data["user_id"] = user.id
        else:
            data["user_name"] = data["user"]
    return data


def scope_org_ids(user) -> Optional[list[str]]:
    """None: every record (supervisors, sysadmins); else the organizations whose records
    the user sees (the agencies where they are editor or admin)."""
    if roles.is_supervisor(user):
        return None
    return roles.editable_org_ids(user)


def filters_for(user, data: dict[str, Any]) -> reading.Filters:
    return reading.Filters(package_id=data.get("package_id"), org_id=data.get("org_id"),
                       user_id=data.get("user_id"), user_name=data.get("user_name"),
                       channel=data.get("channel"), date_from=data.get("date_from"),
                       date_to=data.get("date_to"), scope_org_ids=scope_org_ids(user))


def disclosure_filters(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in ("package", "organization", "user", "channel",
                                     "date_from", "date_to")}


def present(record: dict[str, Any], unmasked: bool) -> dict[str, Any]:
    record = record if unmasked else reading.masked(record)
    out = {}
    for key, value in record.items():
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return out


@tk.side_effect_free
def lyg_opendata_access_log_list(context, data_dict):
    """The access log of conditional data (Art 21), newest first. Agencies' editors and
    admins see the records of their organizations' datasets; supervisors and sysadmins
    see all. Personal data is masked (user name partly, IP's last octet, no user id or
    user agent) unless a supervisor or sysadmin asks ``unmasked`` with a ``reason``;
    that request is itself recorded.

    :param package: dataset id or name
    :param organization: organization id or name
    :param user: user id or name
    :param channel: ``ui``, ``api``, ``datastore`` or ``preview``
    :param date_from: first Beijing day (YYYY-MM-DD)
    :param date_to: last Beijing day (YYYY-MM-DD)
    :param limit: records per page (1–1000, default 50)
    :param offset: records to skip (default 0)
    :param unmasked: show personal data (supervisors and sysadmins; needs ``reason``)
    :param reason: why personal data is needed
    :returns: ``{"count", "limit", "offset", "masked", "results": [record…]}``
    """
    tk.check_access("lyg_opendata_access_log_list", context, data_dict)
    data = validate(data_dict)
    user = context.get("user")
    filters = filters_for(user, data)
    if data["unmasked"]:
        reading.note_disclosure(user=user, reason=data["reason"].strip(), how="api",
                            filters=disclosure_filters(data))
    total = reading.count(filters)
    rows = reading.query(filters, data["limit"], data["offset"], total)
    return {"count": total, "limit": data["limit"], "offset": data["offset"],
            "masked": not data["unmasked"],
            "results": [present(r, data["unmasked"]) for r in rows]}
