"""The application form's schema and validators: 统一社会信用代码 per GB 32100-2015, mainland
phone numbers, minimum lengths, the requested term; and the privacy notice shown with it."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any


import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.workdays import today_beijing
from ckanext.lyg_opendata.access.applications.settings import (
    CONFIG, add_years, max_term_years, min_length)
from ckanext.lyg_opendata.access.applications.workflow import APPLICANT_TYPES
from ckanext.lyg_opendata import validation
from ckanext.lyg_opendata.validation import iso_date, one_of
from ckanext.lyg_opendata.validation import validate  # noqa: F401  (schema.validate)

_ = tk._


def privacy_notice() -> str:
    """The privacy notice shown on the form (configurable; a translated default)."""
    text = tk.config.get(CONFIG + "privacy_notice")
    if text:
        return text
    return _(
        "The application keeps the personal data you enter here (name, contact person, phone "
        "number, email address, unified social credit code) and your account name, so that "
        "the data-opening body can examine your application, contact you, conclude the "
        "agreement and trace the use of the data (Art 19, 21, 24). It is seen only by you, "
        "the data-opening body that holds the dataset and the platform operator; supervisors "
        "see the application without the contact details. It is never published with the "
        "dataset. It is kept while the application and any agreement last and for "
        "%(years)d years after, as the record of the decision, and then deleted."
    ) % {"years": int(tk.config.get(CONFIG + "retention_years"))}


# --- validators ---------------------------------------------------------------------------

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(f"^[{CREDIT_CODE_CHARSET}]{{18}}$")


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015), computed by python-stdnum
    (``stdnum.cn.uscc``: 31 - (Σ value × weight mod 31), 31 giving 0)."""
    from stdnum.cn import uscc
    return uscc.calc_check_digit(first17[:17])


def is_valid_credit_code(code: str) -> bool:
    from stdnum.cn import uscc
    return bool(CREDIT_CODE_RE.match(code or "")) and uscc.is_valid(code)


def credit_code_validator(value: Any, context) -> str:
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, ValidationError as StdnumError
    code = re.sub(r"\s", "", str(value or "")).upper()
    format_error = _("A unified social credit code has 18 characters: digits and capital "
                     "letters other than I, O, S, V and Z")
    if not CREDIT_CODE_RE.match(code):
        raise tk.Invalid(format_error)
    try:
        uscc.validate(code)
    except InvalidChecksum:
        raise tk.Invalid(_("This unified social credit code is not valid: its check character "
                           "does not match (GB 32100-2015)"))
    except StdnumError:
        raise tk.Invalid(format_error)
    return code


MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^(?:\+?86-?)?0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def phone_validator(value: Any, context) -> str:
    phone = re.sub(r"[\s()（）]", "", str(value or ""))
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise tk.Invalid(_("Enter a mainland China mobile number (11 digits) or a landline "
                           "number with its area code, e.g. 0518-85821234"))
    return phone


date_validator = iso_date


def min_length_validator(field: str):
    """At least the configured number of characters of ``field``."""
    return validation.min_length(min_length(field))


def true_validator(message: str):
    def validator(value: Any, context) -> bool:
        if value is not True:
            raise tk.Invalid(_(message))
        return value
    return validator


def id_list_validator(value: Any, context) -> list[str]:
    """A list of ids from a list, a comma-separated string, or "all" / empty (= all)."""
    if value in (None, "", "all", ["all"], []):
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(_("A list of data resource ids is expected"))
    if "all" in value:
        return []
    return list(dict.fromkeys(v.strip() for v in value if v.strip()))


def create_schema() -> dict:
    v = tk.get_validator
    opt = [v("ignore_missing"), v("unicode_safe")]
    return {
        "package_id": [v("not_empty"), v("unicode_safe")],
        "purpose": [v("not_empty"), v("unicode_safe"), min_length_validator("purpose")],
        "scenario": [v("not_empty"), v("unicode_safe"), min_length_validator("scenario")],
        "security_measures": [v("not_empty"), v("unicode_safe"),
                              min_length_validator("security_measures")],
        "resource_ids": [v("ignore_missing"), id_list_validator],
        "term_start": [v("not_empty"), date_validator],
        "term_end": [v("not_empty"), date_validator],
        "applicant_type": [v("not_empty"), one_of(APPLICANT_TYPES)],
        "applicant_name": [v("not_empty"), v("unicode_safe"), v("strip_value")],
        "credit_code": [v("ignore_empty"), v("unicode_safe"), credit_code_validator],
        "contact_name": opt + [v("strip_value")],
        "contact_phone": [v("not_empty"), v("unicode_safe"), phone_validator],
        "contact_email": [v("not_empty"), v("unicode_safe"), v("strip_value"),
                          v("email_validator")],
        "accept_conditions": [v("not_missing"), v("boolean_validator"), true_validator(
            N_("Accept the dataset's conditions of opening to apply"))],
        "accept_privacy": [v("not_missing"), v("boolean_validator"), true_validator(
            N_("Agree to the privacy notice to apply"))],
    }


def validate_create(data_dict: dict) -> dict:
    """The form's fields one by one (navl), then the rules across fields; every field
    error at once."""
    data, errors = tk.navl_validate(data_dict, create_schema())
    errors = {k: v for k, v in errors.items() if v}
    errors.update({k: v for k, v in _cross_field_errors(data).items() if k not in errors})
    if errors:
        raise tk.ValidationError(errors)
    return data


def _cross_field_errors(data: dict) -> dict[str, list[str]]:
    """Who applies (an organization names its credit code and contact person) and the
    requested term (from today, ends after it starts, at most N years)."""
    errors: dict[str, list[str]] = {}
    if data.get("applicant_type") == "organization":
        if not data.get("credit_code") and "credit_code" not in errors:
            errors["credit_code"] = [_("Missing value")]
        if not data.get("contact_name"):
            errors["contact_name"] = [_("Missing value")]
    elif data.get("applicant_type") == "individual":
        data["credit_code"] = None
        data["contact_name"] = data.get("contact_name") or data.get("applicant_name")
    start, end = data.get("term_start"), data.get("term_end")
    if isinstance(start, dt.date) and start < today_beijing():
        errors["term_start"] = [_("The term cannot start before today")]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end <= start:
            errors["term_end"] = [_("The term must end after it starts")]
        elif end > add_years(start, max_term_years()):
            errors["term_end"] = [_("The term can be at most %d years") % max_term_years()]
    return errors
