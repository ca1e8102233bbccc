"""Retention of applicants' personal data (依申请公开): once an application has been answered
or withdrawn for ``ckanext.lyg_opendata.disclosure.retention_years`` (default 3), its
applicant is pseudonymised — ``ckan lyg-opendata disclosure erase-personal-data``.

Erased: a natural person's ID type and number, phone, email, postal address, contact person,
legal representative and the scanned letter; a natural person's name is replaced by its
masked form (王*明). Kept: the receipt number, the agency, the dates and the clock, the
applicant type and organization kind (the yearly report's columns), a legal person's name,
the description, the answer and its outcome (the report's rows) and the timeline, with an
event recording the erasure.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.applications.settings import add_years
from ckanext.lyg_opendata.audit.reading import mask_name
from ckanext.lyg_opendata.disclosure import files, report, workflow
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.workdays import today_beijing

ERASED = ("id_type", "id_number", "phone", "email", "address", "contact_person",
          "legal_representative")


def retention_years() -> int:
    return int(tk.config.get("ckanext.lyg_opendata.disclosure.retention_years"))


def erasable(today: Optional[dt.date] = None) -> list[DisclosureRequest]:
    """Answered or withdrawn applications past the retention period that still hold personal
    data."""
    cutoff = add_years(today or today_beijing(), -retention_years())
    query = model.Session.query(DisclosureRequest).filter(
        DisclosureRequest.status.in_(("answered", "withdrawn")),
        sa.or_(*(getattr(DisclosureRequest, name).isnot(None) for name in ERASED),
               DisclosureRequest.letter_path.isnot(None))).order_by(DisclosureRequest.number)
    out = []
    for req in query:
        ended = report._finished_on(req) or req.received_on
        if ended <= cutoff:
            out.append(req)
    return out


def erase(today: Optional[dt.date] = None, dry_run: bool = False,
          progress: Callable[[str], None] = lambda _m: None) -> list[str]:
    """Pseudonymise the applicants of the applications past their retention period; each
    one committed on its own, so that a run stopped half-way leaves whole records."""
    rows = erasable(today)
    numbers = []
    for i, req in enumerate(rows, 1):
        numbers.append(req.number)
        if not dry_run:
            for name in ERASED:
                setattr(req, name, None)
            if req.applicant_type == "individual":
                req.applicant_name = mask_name(req.applicant_name)
            if req.letter_path:
                try:
                    files.absolute(req.letter_path).unlink(missing_ok=True)
                except tk.ObjectNotFound:
                    pass
                req.letter_path = req.letter_name = req.letter_mimetype = None
            workflow.record(req, None, "erase_personal_data", req.status, req.status,
                            role="system", data={"retention_years": retention_years()})
            model.Session.commit()
        if i % 50 == 0 or i == len(rows):
            progress(f"  {i}/{len(rows)} {req.number}")
    return numbers
