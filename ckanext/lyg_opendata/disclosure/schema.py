"""navl schemas of disclosure on application: every field error at once, field by field."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.applications.schema import credit_code_validator, phone_validator
from ckanext.lyg_opendata.disclosure import codes
from ckanext.lyg_opendata.objections.schema import max_length, min_length, no_blocked_words
from ckanext.lyg_opendata.validation import iso_date, whole_number
from ckanext.lyg_opendata.validation import one_of as choice
from ckanext.lyg_opendata.validation import validate  # noqa: F401  (schema.validate)

_ = tk._


def v(name: str):
    return tk.get_validator(name)


def one_of(kind: str):
    return codes.one_of(kind, labels=True)


def text(required: bool = True, minimum: int = 2, maximum: int = 5000) -> list:
    first = [v("not_empty")] if required else [v("ignore_missing")]
    checks = [min_length(minimum)] if required else []
    return first + [v("unicode_safe"), v("strip_value")] + checks + [max_length(maximum), no_blocked_words]


def short(required: bool = False, maximum: int = 200) -> list:
    first = [v("not_empty")] if required else [v("ignore_missing")]
    return first + [v("unicode_safe"), v("strip_value"), max_length(maximum)]


workdays_number = whole_number(1, 15, lambda: _("Enter a whole number of working days"),
                               lambda: _("An extension is between 1 and %d working days") % 15)


def id_schema() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def applicant_schema() -> dict:
    return {
        "organization": [v("not_empty"), v("unicode_safe")],
        "applicant_type": [v("not_empty"), v("unicode_safe"), one_of("applicant_type")],
        "organization_kind": [v("ignore_missing"), v("unicode_safe"), one_of("organization_kind")],
        "applicant_name": short(required=True, maximum=100),
        "id_type": [v("ignore_missing"), v("unicode_safe"), one_of("id_type")],
        "id_number": short(maximum=40),
        "credit_code": [v("ignore_empty"), v("unicode_safe"), credit_code_validator],
        "legal_representative": short(maximum=50),
        "contact_person": short(maximum=50),
        "phone": [v("not_empty"), v("unicode_safe"), phone_validator],
        "email": [v("ignore_missing"), v("unicode_safe"), v("strip_value"), v("email_validator")],
        "address": short(maximum=300),
        "description": text(minimum=5),
        "purpose": text(required=False, maximum=1000),
        "delivery": [v("not_empty"), v("unicode_safe"), one_of("delivery")],
    }


def create_schema() -> dict:
    return {**applicant_schema(),
            "accept_privacy": [v("not_missing"), v("boolean_validator"), _true]}


def received_on(value: Any, context) -> dt.date:
    """The Beijing day the agency received a letter (the day it signed for it, 签收), a fax or
    an application in person: a date, not after today, not before 1 January of last year (a
    letter older than that is a typing error: its year's report is closed)."""
    from ckanext.lyg_opendata.workdays import today_beijing
    day = iso_date(value, context)
    today = today_beijing()
    if day > today:
        raise tk.Invalid(_("The day of receipt cannot be after today (%s)") % today.isoformat())
    earliest = dt.date(today.year - 1, 1, 1)
    if day < earliest:
        raise tk.Invalid(_("The day of receipt cannot be before %s") % earliest.isoformat())
    return day


def register_schema() -> dict:
    return {**applicant_schema(),
            "channel": [v("not_empty"), v("unicode_safe"), choice(
                ("letter", "fax", "in_person"), shown=lambda c: codes.label("channel", c))],
            "received_on": [v("ignore_missing"), received_on],
            "letter": [v("ignore_missing")]}


def _true(value, context):
    if value is not True:
        raise tk.Invalid(_("Agree to the privacy notice to apply"))
    return value


def cross_field_errors(data: dict) -> dict[str, list[str]]:
    """A natural person gives an ID type and number (a resident ID checked); a legal person
    or other organization its 统一社会信用代码, kind, legal representative and contact person."""
    errors: dict[str, list[str]] = {}
    missing = [_("Missing value")]
    if data.get("applicant_type") == "individual":
        for name in ("id_type", "id_number"):
            if not data.get(name):
                errors[name] = missing
        number = re.sub(r"\s", "", data.get("id_number") or "").upper()
        if data.get("id_type") == "resident_id" and number:
            if not check_resident_id(number):
                errors["id_number"] = [_("This resident identity card number is not valid "
                                         "(18 characters with a correct check digit)")]
            data["id_number"] = number
        for name in ("credit_code", "legal_representative", "organization_kind"):
            data[name] = None
    elif data.get("applicant_type") == "organization":
        for name in ("credit_code", "organization_kind", "legal_representative", "contact_person"):
            if not data.get(name):
                errors[name] = missing
        data["id_type"] = data["id_number"] = None
    if data.get("delivery") == "email" and not data.get("email"):
        errors["email"] = [_("Give an email address to receive the answer by email")]
    if data.get("delivery") == "post" and not data.get("address"):
        errors["address"] = [_("Give a postal address to receive the answer by post")]
    return errors


def reason_schema(required: bool = True) -> dict:
    return {**id_schema(), "text": text(required=required)}


def amend_schema() -> dict:
    # received_on: the agency records an amended letter (an application it registered)
    return {**id_schema(), "description": text(minimum=5),
            "purpose": text(required=False, maximum=1000),
            "received_on": [v("ignore_missing"), received_on]}


def withdraw_schema() -> dict:
    # received_on: the agency records a withdrawal letter (an application it registered)
    return {**reason_schema(required=False), "received_on": [v("ignore_missing"), received_on]}


def extend_schema() -> dict:
    return {**id_schema(), "days": [v("not_empty"), workdays_number], "text": text()}


def transfer_schema() -> dict:
    return {**id_schema(), "organization": [v("not_empty"), v("unicode_safe")], "text": text()}


def answer_schema() -> dict:
    return {
        **id_schema(),
        "outcome": [v("not_empty"), v("unicode_safe"), one_of("outcome")],
        "answer_text": text(),
        "withheld_category": [v("ignore_missing"), v("unicode_safe"), one_of("withheld_category")],
        "withheld_reason": text(required=False),
        "legal_basis": text(required=False, maximum=1000),
        "where_to_find": text(required=False, maximum=1000),
        "holder_name": short(maximum=200),
        "holder_contact": short(maximum=300),
        "file": [v("ignore_missing")],
    }


def list_schema() -> dict:
    return {
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "status": [v("ignore_missing"), v("unicode_safe"), codes.one_of("status", "open", "all")],
        "overdue": [v("ignore_missing"), v("boolean_validator")],
    }


year_validator = whole_number(2008, 2100, lambda: _("Enter a year, e.g. 2026"))


def report_schema() -> dict:
    return {"year": [v("ignore_missing"), year_validator],
            "organization": [v("ignore_missing"), v("unicode_safe")]}


ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")


def check_resident_id(value: str) -> bool:
    """The 18-digit resident ID number (GB 11643-1999) with its check digit (python-stdnum)."""
    from stdnum.cn import ric
    return bool(ID_NUMBER_RE.match(value)) and ric.is_valid(value)
