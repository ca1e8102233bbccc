"""The readable export page's words (``/user/privacy-data``): each exported column's label,
coded values as their labels (the domains' own code lists), dates in the portal's format,
datasets/organisations/data requests by their titles. Internal identifiers, file paths and
staff ids are left to the JSON download."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.i18n import N_

_ = tk._

__all__ = ["readable"]

LABELS = {
    # who / what
    "package_id": N_("Dataset"), "organization_id": N_("Organisation"),
    "org_id": N_("Organisation"), "suggested_org_id": N_("Suggested organisation"),
    "previous_organization_id": N_("Previous organisation"), "request_id": N_("Data request"),
    "number": N_("Number"), "title": N_("Title"), "subject": N_("Subject"),
    "type": N_("Type"), "kind": N_("Event"), "category": N_("Kind of suggestion"), "status": N_("Status"),
    "channel": N_("Channel of application"), "ground": N_("Ground"), "capacity": N_("Role"),
    "name": N_("Name"),
    # the person and their contact
    "applicant_type": N_("Applicant type"), "applicant_name": N_("Applicant name"),
    "organization_kind": N_("Kind of organisation"), "id_type": N_("Identity document"),
    "id_number": N_("Identity document number"), "credit_code": N_("Unified social credit code"),
    "legal_representative": N_("Legal representative"), "contact_person": N_("Contact person"),
    "contact_name": N_("Contact name"), "contact_phone": N_("Contact phone"),
    "contact_email": N_("Contact email"), "contact": N_("Contact"), "phone": N_("Phone"),
    "email": N_("Email"), "address": N_("Address"), "login": N_("Sign-in name"),
    "show_name": N_("Name shown publicly"), "reported_party": N_("Reported party"),
    "raised_ip": N_("IP address"), "reported_ip": N_("IP address"),
    "applicant_sign_ip": N_("IP address when signing"),
    "applicant_sign_user_agent": N_("Browser when signing"),
    # what was asked
    "description": N_("Description"), "purpose": N_("Purpose"), "scenario": N_("Scenario of use"),
    "security_measures": N_("Security measures"), "text": N_("Text"), "body": N_("Text"),
    "comment": N_("Comment"), "data_format": N_("Format"), "frequency": N_("Update frequency"),
    "delivery": N_("Delivery"), "letter_name": N_("Application letter"),
    "evidence_name": N_("Evidence"), "evidence_size": N_("Evidence size (bytes)"),
    "data_item_code": N_("Data item"), "link": N_("Link"),
    "quality": N_("Data quality"), "timeliness": N_("Timeliness"), "usability": N_("Usability"),
    "term_start": N_("Term of use from"), "term_end": N_("Term of use until"),
    "conditions_accepted": N_("Conditions accepted"),
    "privacy_notice_version": N_("Privacy notice version"), "consent_at": N_("Consent given at"),
    "dispute_text": N_("Dispute"), "correction_request": N_("Correction requested"),
    "info_request": N_("Information requested"), "info_reply": N_("Information supplied"),
    "withdrawal_reason": N_("Reason for withdrawal"),
    # the answer
    "answer": N_("Answer"), "answer_text": N_("Answer"), "answer_outcome": N_("Outcome"),
    "outcome": N_("Kind of answer"), "finding": N_("Finding"), "answer_public": N_("Answer public"),
    "decision_reason": N_("Reason for the decision"), "refusal_reason": N_("Reason for refusal"),
    "refusal_basis": N_("Legal basis of the refusal"), "legal_basis": N_("Legal basis"),
    "conditions_of_use": N_("Conditions of use"),
    "granted_term_start": N_("Granted from"), "granted_term_end": N_("Granted until"),
    "withheld_category": N_("Reason for withholding"), "withheld_reason": N_("Explanation"),
    "where_to_find": N_("Where to find it"), "holder_name": N_("Holder of the information"),
    "holder_contact": N_("Holder's contact"), "answer_file_name": N_("Answer file"),
    "planned_date": N_("Planned date"), "application_url": N_("Where to apply"),
    "moderation_reason": N_("Moderation reason"), "hidden": N_("Hidden"),
    "hidden_reason": N_("Reason for hiding"), "revoke_reason": N_("Reason for revocation"),
    "extension_days": N_("Extension (working days)"),
    "extension_reason": N_("Reason for the extension"),
    "report_schedule": N_("Reporting schedule"),
    "report_interval_months": N_("Reporting interval (months)"),
    "template_version": N_("Agreement version"), "support_count": N_("Supporters"),
    "detail": N_("Details"),
    # dates and deadlines
    "created": N_("Created"), "modified": N_("Modified"), "received_on": N_("Received on"),
    "filed_on": N_("Complaint filed on"), "clock_start": N_("Time limit starts"),
    "due_on": N_("Due on"), "due_provisional": N_("Due date provisional"),
    "deadline_days": N_("Time limit (working days)"),
    "deadline_workdays": N_("Time limit (working days)"),
    "clock_days": N_("Time limit (working days)"),
    "info_requested_on": N_("Information requested on"),
    "info_supplied_on": N_("Information supplied on"),
    "correction_requested_on": N_("Correction requested on"), "amended_on": N_("Amended on"),
    "accepted_at": N_("Accepted at"), "decided_at": N_("Decided at"), "disputed_at": N_("Disputed at"),
    "extended_at": N_("Extended at"), "answered_at": N_("Answered at"),
    "answered_on": N_("Answered on"), "reminded_on": N_("Reminded on"),
    "overdue_reminded_on": N_("Overdue reminder on"), "last_reminded": N_("Last reminded"),
    "starts_on": N_("Starts on"), "ends_on": N_("Ends on"), "revoked_at": N_("Revoked at"),
    "expiry_notified_at": N_("Expiry notified at"), "agency_signed_at": N_("Signed by the agency"),
    "applicant_signed_at": N_("Signed by the applicant"), "read_at": N_("Read at"),
    "last_access": N_("Last used"),
}

# a column whose meaning depends on the section
SECTION_LABELS = {"agreements_signed": {"number": N_("Agreement number")},
                  "memberships": {"title": N_("Organisation")},
                  "disclosure_complaints": {"request_id": N_("Application number")}}

# where an id names something with a title
_TITLED = {"package_id": "package", "organization_id": "group", "org_id": "group",
           "suggested_org_id": "group", "previous_organization_id": "group",
           "request_id": "data_request"}
# … and where it names something else in one section
_SECTION_TITLED = {"disclosure_complaints": {"request_id": "disclosure_request"}}

# CKAN's own words for the member capacities
_CAPACITIES = {"admin": "Admin", "editor": "Editor", "member": "Member"}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _codes() -> dict[str, dict[str, Callable[[str], str]]]:
    """Per section: a coded column's labels, from the domain's own lists."""
    from ckanext.lyg_opendata.access.applications import workflow as applications
    from ckanext.lyg_opendata.disclosure import codes as disclosure
    from ckanext.lyg_opendata.identity.security import audit
    from ckanext.lyg_opendata.objections import codes as objections
    from ckanext.lyg_opendata.participation import codes as participation
    from ckanext.lyg_opendata.participation import suggestions

    def of(lists, kind):
        return lambda code: lists.label(kind, code)

    return {
        "applications": {"status": applications.status_label,
                         "applicant_type": applications.applicant_type_label},
        "objections": {"status": of(objections, "status"), "type": of(objections, "type"),
                       "answer_outcome": of(objections, "outcome")},
        "reports": {"status": of(objections, "report_status")},
        "data_requests": {"status": of(participation, "status"),
                          "answer": of(participation, "answer"),
                          "data_format": of(participation, "format"),
                          "frequency": of(participation, "frequency"),
                          "legal_basis": of(participation, "legal_basis")},
        "suggestions": {"status": of(suggestions, "status"),
                        "category": of(suggestions, "category")},
        "disclosure_applications": {k: of(disclosure, k) for k in (
            "status", "channel", "applicant_type", "organization_kind", "id_type", "delivery",
            "outcome", "withheld_category")},
        "disclosure_complaints": {"status": of(disclosure, "complaint_status"),
                                  "ground": of(disclosure, "complaint_ground"),
                                  "finding": of(disclosure, "complaint_finding")},
        "security_log": {"kind": audit.kind_label},
        "memberships": {"capacity": lambda code: _(_CAPACITIES.get(code, code))},
    }


def _titles(sections: dict[str, list[dict]]) -> dict[str, dict[str, str]]:
    """The titles of the datasets, organisations and data requests the rows name: one query
    per kind, whatever the number of rows."""
    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
    from ckanext.lyg_opendata.participation.model import DataRequest
    wanted: dict[str, set] = {"package": set(), "group": set(), "data_request": set(),
                              "disclosure_request": set()}
    for section, rows in sections.items():
        titled = {**_TITLED, **_SECTION_TITLED.get(section, {})}
        for row in rows:
            for key, kind in titled.items():
                if isinstance(row.get(key), str):
                    wanted[kind].add(row[key])
    tables = {"package": (model.Package, model.Package.title),
              "group": (model.Group, model.Group.title),
              "data_request": (DataRequest, DataRequest.title),
              "disclosure_request": (DisclosureRequest, DisclosureRequest.number)}
    out: dict[str, dict[str, str]] = {}
    for kind, (table, title) in tables.items():
        out[kind] = dict(model.Session.query(table.id, title).filter(
            table.id.in_(wanted[kind])).all()) if wanted[kind] else {}
    return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            return tk.h.render_datetime(dt.datetime.fromisoformat(value), with_hours=True)
        except ValueError:
            return value
    if isinstance(value, str) and _DATE.match(value):  # a day: no hours, no time zone
        return tk.h.render_datetime(value) or value
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return str(value)


def readable(data: dict, keys: list[str]) -> dict[str, list[list[tuple[str, str]]]]:
    """The export's sections as rows of (label, shown value): only the columns with a label
    and a value; coded values, dates and ids turned into words."""
    sections = {key: data.get(key) or [] for key in keys}
    codes, titles = _codes(), _titles(sections)
    out: dict[str, list[list[tuple[str, str]]]] = {}
    for key, rows in sections.items():
        coded, labels = codes.get(key, {}), {**LABELS, **SECTION_LABELS.get(key, {})}
        titled = {**_TITLED, **_SECTION_TITLED.get(key, {})}
        out[key] = []
        for row in rows:
            fields = []
            for field, value in row.items():
                if field not in labels or value in (None, "", [], {}):
                    continue
                if field in coded and isinstance(value, str):
                    shown = coded[field](value)
                elif field in titled:
                    shown = titles[titled[field]].get(value) or value
                else:
                    shown = _shown(value)
                fields.append((_(labels[field]), shown))
            out[key].append(fields)
    return out
