"""Actions of disclosure on application (依申请公开, 政府信息公开条例 Art 27-37).

Applications are never public: the applicant, the handling agency and supervisors see them
(the agency that transferred one away keeps a masked view). Free of charge (财税〔2017〕20号).
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata.disclosure import access, files, notices, present, schema, workflow  # noqa: F401 (notices: receivers)
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

_ = tk._

__all__ = [
    "lyg_opendata_disclosure_create",
    "lyg_opendata_disclosure_register",
    "lyg_opendata_disclosure_show",
    "lyg_opendata_disclosure_queue",
    "lyg_opendata_disclosure_my_list",
    "lyg_opendata_disclosure_request_correction",
    "lyg_opendata_disclosure_amend",
    "lyg_opendata_disclosure_extend",
    "lyg_opendata_disclosure_transfer",
    "lyg_opendata_disclosure_answer",
    "lyg_opendata_disclosure_withdraw",
    "lyg_opendata_disclosure_lapse",
    "lyg_opendata_disclosure_yearly_report",
    "lyg_opendata_disclosure_report_figures_update",
]


def _agency(name_or_id: str, field: str = "organization") -> model.Group:
    org = model.Group.get(name_or_id or "")
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({field: [_("No such agency")]})
    return org


def _new(context, data: dict[str, Any], org: model.Group, channel: str,
         applicant_id, registered_by) -> DisclosureRequest:
    # online: the day it is submitted; a letter, fax or visit: the day the agency received
    # it (条例 Art 31: a letter on the day the agency signed for it), as the staff record it
    today = data.get("received_on") or workdays.today_beijing()
    req = DisclosureRequest(
        number=workflow.next_number(today), organization_id=org.id, channel=channel,
        user_id=applicant_id, registered_by=registered_by,
        applicant_type=data["applicant_type"], organization_kind=data.get("organization_kind"),
        applicant_name=data["applicant_name"], id_type=data.get("id_type"),
        id_number=data.get("id_number"), credit_code=data.get("credit_code"),
        legal_representative=data.get("legal_representative"),
        contact_person=data.get("contact_person"), phone=data["phone"],
        email=data.get("email"), address=data.get("address"),
        description=data["description"], purpose=data.get("purpose"),
        delivery=data["delivery"], status="received", received_on=today, clock_start=today,
        deadline_days=workflow.DEADLINE_DAYS, extension_days=0)
    model.Session.add(req)
    model.Session.flush()
    return req


def lyg_opendata_disclosure_create(context, data_dict):
    """Apply online for the disclosure of government information (logged-in users).

    :param organization: the agency asked (id or name)
    :param applicant_type: ``individual`` (自然人) or ``organization`` (法人或其他组织)
    :param applicant_name: name of the person or organization
    :param id_type, id_number: a natural person's identity document
    :param credit_code, organization_kind, legal_representative, contact_person: an
        organization's 统一社会信用代码 (checked), kind, legal representative, contact person
    :param phone: contact phone; :param email: (required for ``delivery=email``)
    :param address: (required for ``delivery=post``)
    :param description: the information asked for; :param purpose: optional
    :param delivery: ``portal``, ``email``, ``post`` or ``collect``
    :param accept_privacy: must be true
    :returns: the application with its receipt number and due date
    """
    data = schema.validate(data_dict, schema.create_schema(), schema.cross_field_errors)
    org = _agency(data["organization"])
    user = access.user_obj(context.get("user"))
    req = _new(context, data, org, "online", user.id if user else None, None)
    workflow.record(req, context.get("user"), "submit", None, "received", role="applicant")
    workflow.shared.commit(context)
    return present.request_dict(req, context.get("user"))


def lyg_opendata_disclosure_register(context, data_dict):
    """Register an application received by letter, fax or in person (agency staff); the
    scanned letter may be attached. The clock starts from the day of receipt, not from the
    registration (条例 Art 31: a letter is received on the day the agency signed for it).

    :param channel: ``letter``, ``fax`` or ``in_person``
    :param received_on: the day of receipt (YYYY-MM-DD, Beijing; not after today, not before
        1 January of last year; default: today)
    :param letter: the scanned letter (multipart upload, optional)
    (other fields as ``lyg_opendata_disclosure_create``, without ``accept_privacy``)
    """
    data = schema.validate(data_dict, schema.register_schema(), schema.cross_field_errors)
    org = _agency(data["organization"])
    tk.check_access("lyg_opendata_disclosure_register", context, {"organization": org.id})
    upload = files.read_upload(data_dict.get("letter"), "letter")
    user = access.user_obj(context.get("user"))
    req = _new(context, data, org, data["channel"], None, user.id if user else None)
    if upload:
        req.letter_path = files.store_upload(req.id, "letter", upload)
        req.letter_name = upload["name"]
        req.letter_mimetype = upload["mimetype"]
    workflow.record(req, context.get("user"), "register", None, "received", role="agency",
                    data={"channel": req.channel, "received_on": req.received_on.isoformat()})
    workflow.shared.commit(context)
    return present.request_dict(req, context.get("user"))


@tk.side_effect_free
def lyg_opendata_disclosure_show(context, data_dict):
    """One application with its timeline, as the caller may see it.

    :param id: the application's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    req = workflow.get(data["id"])
    return present.request_dict(req, context.get("user"))


def _listing(query, user, overdue: bool | None) -> dict[str, Any]:
    cal = workdays.Calendar()
    out = [present.request_dict(r, user, cal, events=False)
           for r in query.order_by(DisclosureRequest.received_on.desc(), DisclosureRequest.number.desc())]
    if overdue is not None:
        out = [r for r in out if r["overdue"] == overdue]
    return {"count": len(out), "results": out,
            "overdue_count": sum(1 for r in out if r["overdue"])}


def _status_filter(query, status: str):
    if status == "open":
        return query.filter(DisclosureRequest.status.in_(workflow.OPEN_STATES))
    if status and status != "all":
        return query.filter(DisclosureRequest.status == status)
    return query


@tk.side_effect_free
def lyg_opendata_disclosure_queue(context, data_dict):
    """Applications of the caller's agencies (supervisors: all), with overdue flags.

    :param organization: only this agency (optional)
    :param status: ``open`` (default), ``all`` or a status
    :param overdue: only overdue (true) or not overdue (false) ones
    """
    data = schema.validate(data_dict, schema.list_schema())
    user = context.get("user")
    query = model.Session.query(DisclosureRequest)
    if not roles.is_supervisor(user):
        query = query.filter(DisclosureRequest.organization_id.in_(roles.editable_org_ids(user) or [""]))
    if data.get("organization"):
        org = _agency(data["organization"])
        query = query.filter(DisclosureRequest.organization_id == org.id)
    query = _status_filter(query, data.get("status", "open"))
    return _listing(query, user, data.get("overdue"))


@tk.side_effect_free
def lyg_opendata_disclosure_my_list(context, data_dict):
    """The caller's own applications (every status)."""
    user = access.user_obj(context.get("user"))
    query = model.Session.query(DisclosureRequest).filter(
        DisclosureRequest.user_id == (user.id if user else ""))
    return _listing(query, context.get("user"), None)


def _move(context, data_dict, action: str, sch: dict, **extra) -> dict:
    data = schema.validate(data_dict, sch)
    fields = {k: val for k, val in data.items() if k != "id"}
    fields.update(extra)
    req = workflow.transition(context, data["id"], action, **fields)
    return present.request_dict(req, context.get("user"))


def lyg_opendata_disclosure_request_correction(context, data_dict):
    """Ask the applicant to amend an unclear application (补正, Art 30): the clock stops
    and starts again from the amended application.

    :param id: the application; :param text: what to amend, and by when
    """
    return _move(context, data_dict, "request_correction", schema.reason_schema())


def lyg_opendata_disclosure_amend(context, data_dict):
    """The applicant amends the application (补正): received anew today. For an application
    registered from a letter, fax or visit (no account) the handling agency records the
    amended application it received: received anew on ``received_on`` (条例 Art 30: the
    period counts from the day the amended application is received).

    :param id: the application; :param description: the amended description
    :param purpose: optional
    :param received_on: (the agency, registered applications only; required there) the day
        the amended application was received: not before the amendment was asked for, not
        after today, not after the time to amend
    """
    return _move(context, data_dict, "amend", schema.amend_schema())


def lyg_opendata_disclosure_extend(context, data_dict):
    """Extend the answer period once, by at most 15 working days, with a reason; approved
    by the agency's head (its admins).

    :param id: the application; :param days: 1-15; :param text: the reason
    """
    return _move(context, data_dict, "extend", schema.extend_schema())


def lyg_opendata_disclosure_transfer(context, data_dict):
    """Transfer the application to the agency that handles it (its clock starts again).

    :param id: the application; :param organization: the other agency; :param text: why
    """
    return _move(context, data_dict, "transfer", schema.transfer_schema())


def lyg_opendata_disclosure_answer(context, data_dict):
    """Answer the application with one outcome and what it requires: ``partial`` and
    ``withheld`` a category, reasons and legal basis; ``already_public`` where to find it;
    ``not_held`` the agency that holds it and its contact (when known); ``public`` and
    ``partial`` may attach the information (``file``, multipart upload).

    :param id: the application; :param outcome: see ``codes.OUTCOMES``
    :param answer_text: the answer
    """
    data = schema.validate(data_dict, schema.answer_schema())
    upload = files.read_upload(data_dict.get("file"), "file")
    fields = {k: val for k, val in data.items() if k not in ("id", "file")}
    req = workflow.transition(context, data["id"], "answer", upload=upload, **fields)
    return present.request_dict(req, context.get("user"))


def lyg_opendata_disclosure_withdraw(context, data_dict):
    """The applicant withdraws the application. For an application registered from a letter,
    fax or visit (no account) the handling agency records the withdrawal it received by post.

    :param id: the application; :param text: reason, or the agency's note (optional)
    :param received_on: (the agency, registered applications only; required there) the day
        the withdrawal letter was received: not after today, not before the application's
        receipt
    """
    return _move(context, data_dict, "withdraw", schema.withdraw_schema())


def lyg_opendata_disclosure_lapse(context, data_dict):
    """Close an application that was not amended in time: deemed withdrawn (条例 Art 30,
    视为放弃申请). The platform's daily job (``ckan lyg-opendata disclosure lapse``) calls it
    for every application whose time to amend (``workflow.correction_due``) has ended; before
    that day it is a field error.

    :param id: the application
    """
    return _move(context, data_dict, "lapse", schema.id_schema())


@tk.side_effect_free
def lyg_opendata_disclosure_yearly_report(context, data_dict):
    """The yearly report's table of applications received and handled (national format of
    2021, part 三), of one agency or, without ``organization``, of the whole city.

    :param year: the year (default: this year)
    :param organization: the agency (id or name; agency staff: one of theirs)
    """
    from ckanext.lyg_opendata.disclosure import report
    data = schema.validate(data_dict, schema.report_schema())
    org = _agency(data["organization"]) if data.get("organization") else None
    if org is not None:
        tk.check_access("lyg_opendata_disclosure_yearly_report", context, {"organization": org.id})
    from ckanext.lyg_opendata.disclosure import report_parts
    year = data.get("year") or workdays.today_beijing().year
    out = report.table(year, org.id if org else None)
    out.update(report_parts.parts(year, org.id if org else None))
    out["organization_title"] = org.title if org else None
    return out


def lyg_opendata_disclosure_report_figures_update(context, data_dict):
    """Enter the figures of an agency's yearly report that the portal does not hold (the
    agency's editors and admins): part 二 ``decisions.licensing``, ``decisions.penalty``,
    ``decisions.enforcement`` (本年处理决定数量), ``fees`` (本年收费金额, 万元); part 四
    ``<group>.<result>`` for the groups ``reconsideration``, ``litigation_direct``,
    ``litigation_after`` and the results ``upheld``, ``corrected``, ``other``, ``pending``.

    :param organization: the agency; :param year: the year
    :param figures: an object of the figures above (those sent replace the stored ones)
    :returns: the yearly report of the agency
    """
    from ckanext.lyg_opendata.disclosure import report_parts
    data = schema.validate(data_dict, {**schema.report_schema(),
                                       "organization": [tk.get_validator("not_empty"),
                                                        tk.get_validator("unicode_safe")],
                                       "year": [tk.get_validator("not_empty"), schema.year_validator],
                                       "figures": [tk.get_validator("not_missing")]})
    org = _agency(data["organization"])
    tk.check_access("lyg_opendata_disclosure_report_figures_update", context, {"organization": org.id})
    figures, errors = report_parts.clean_figures(data_dict.get("figures"))
    if errors:
        raise tk.ValidationError(errors)
    user = access.user_obj(context.get("user"))
    report_parts.save(org.id, data["year"], figures, user.id if user else None)
    workflow.shared.commit(context)
    return lyg_opendata_disclosure_yearly_report(
        {**context, "ignore_auth": True}, {"year": data["year"], "organization": org.id})
