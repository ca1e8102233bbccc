"""Pages of disclosure on application: the online form, the registration of letters by
agency staff, 我的信息公开申请, the agency queue with overdue flags, an application's page
(timeline and the forms of whoever may act) and its downloads (答复告知书 PDF, the answer's
file, the scanned letter)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, send_file

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata.disclosure import access, codes, complaints, files, pdf, workflow
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.i18n import N_

_ = tk._

__all__ = ["disclosure_blueprint"]

disclosure_blueprint = Blueprint("lyg_opendata_disclosure", __name__)

FORM_FIELDS = ("organization", "applicant_type", "organization_kind", "applicant_name",
               "id_type", "id_number", "credit_code", "legal_representative",
               "contact_person", "phone", "email", "address", "description", "purpose",
               "delivery")


_context = forms.context
_errors = forms.field_errors
_login_first = forms.login_first


def _agencies() -> list[dict]:
    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    return [{"value": "", "text": _("Choose the agency")}] + [
        {"value": o["name"], "text": o["title"] or o["name"]} for o in orgs]


def _choices(kind: str, blank: bool = False) -> list[dict]:
    out = codes.choices(kind)
    return ([{"value": "", "text": _("Choose…")}] + out) if blank else out


def _form_vars(data: dict, errors: dict, agencies: list[dict]) -> dict:
    return {"data": data, "errors": errors, "agencies": agencies,
            "applicant_types": _choices("applicant_type"),
            "organization_kinds": _choices("organization_kind", blank=True),
            "id_types": _choices("id_type", blank=True), "deliveries": _choices("delivery"),
            "channels": [c for c in codes.choices("channel") if c["value"] != "online"],
            "deadline_days": workflow.DEADLINE_DAYS, "today": workdays.today_beijing().isoformat()}


def apply():
    if not tk.current_user.is_authenticated:
        return _login_first()
    data: dict[str, Any] = {"applicant_type": "individual", "delivery": "portal",
                            "id_type": "resident_id",
                            "organization": tk.request.args.get("organization", "")}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FORM_FIELDS}
        payload = {k: v for k, v in data.items() if v}
        payload["accept_privacy"] = form.get("accept_privacy") == "true"
        data["accept_privacy"] = payload["accept_privacy"]
        req, errors = forms.submit("lyg_opendata_disclosure_create", payload)
        if not errors:
            tk.h.flash_success(_("Your application was received: number %(number)s, answer due "
                                 "by %(due)s.") % {"number": req["number"], "due": req["deadline"]})
            return tk.redirect_to("lyg_opendata_disclosure.read", id=req["id"])
    return tk.render("lyg_opendata/disclosure/apply.html", _form_vars(data, errors, _agencies()))


def register():
    if not tk.current_user.is_authenticated:
        return _login_first()
    user = _context()["user"]
    own = roles.editable_org_ids(user)
    if not own and not access.is_sysadmin(user):
        return tk.abort(403, _("Only the agency's staff can register applications received by letter or fax"))
    agencies = [a for a in _agencies() if not a["value"] or access.is_sysadmin(user)
                or (model.Group.get(a["value"]) and model.Group.get(a["value"]).id in own)]
    data: dict[str, Any] = {"applicant_type": "individual", "delivery": "post",
                            "id_type": "resident_id", "channel": "letter",
                            "received_on": workdays.today_beijing().isoformat(),
                            "organization": agencies[1]["value"] if len(agencies) == 2 else ""}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FORM_FIELDS + ("channel", "received_on")}
        payload: dict[str, Any] = {k: v for k, v in data.items() if v}
        payload["received_on"] = data["received_on"]  # required here (the API defaults to today)
        if forms.upload("letter"):
            payload["letter"] = forms.upload("letter")
        req, errors = forms.submit("lyg_opendata_disclosure_register", payload)
        if not errors:
            tk.h.flash_success(_("Registered: number %(number)s, answer due by %(due)s.")
                               % {"number": req["number"], "due": req["deadline"]})
            return tk.redirect_to("lyg_opendata_disclosure.read", id=req["id"])
    return tk.render("lyg_opendata/disclosure/register.html", _form_vars(data, errors, agencies))


def mine():
    if not tk.current_user.is_authenticated:
        return _login_first()
    result = tk.get_action("lyg_opendata_disclosure_my_list")(_context(), {})
    return tk.render("lyg_opendata/disclosure/mine.html", {"result": result})


def queue():
    if not tk.current_user.is_authenticated:
        return _login_first()
    params = {k: v for k, v in tk.request.args.items() if k in ("organization", "status", "overdue") and v}
    try:
        result = tk.get_action("lyg_opendata_disclosure_queue")(_context(), params)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError:
        tk.h.flash_error(_("Unknown filter; showing the open applications"))
        params = {}
        result = tk.get_action("lyg_opendata_disclosure_queue")(_context(), {})
    statuses = [{"value": "open", "text": _("Being handled or awaiting amendment")},
                {"value": "all", "text": _("All")}] + codes.choices("status")
    user = _context()["user"]
    may_register = bool(roles.editable_org_ids(user)) or access.is_sysadmin(user)
    return tk.render("lyg_opendata/disclosure/queue.html", {
        "result": result, "params": params, "statuses": statuses,
        "may_register": may_register,
        "may_list_complaints": forms.can("lyg_opendata_disclosure_complaint_list")})


def _can(name: str, data_dict: dict) -> bool:
    return forms.can(f"lyg_opendata_disclosure_{name}", data_dict)


def read(id: str):
    req = forms.show("lyg_opendata_disclosure_show", {"id": id},
                     _("Application for disclosure not found"))
    data_dict = {"id": id}
    allowed = set(req["allowed_actions"])
    perms = {name: name in allowed and _can(name, data_dict) for name in workflow.TRANSITIONS}
    perms["extend"] = perms["extend"] and not req["extension_days"]
    # past the time to amend: deemed withdrawn (the daily job closes it), no more amending
    amend_ended = bool(req["correction_due"]) and (
        workdays.today_beijing().isoformat() > req["correction_due"])
    perms["amend"] = perms["amend"] and not amend_ended
    # a letter application closed as not amended in time: its amended letter received in time
    # may still be recorded (until the last day to amend), the lapse is undone
    today = workdays.today_beijing().isoformat()
    amend_max = today
    if req["status"] == "withdrawn":
        undo = workflow.lapse_to_undo(workflow.get(id))
        perms["amend"] = perms["amend"] and undo is not None
        amend_max = min(today, undo[1].isoformat()) if undo else today
    perms["notice"] = req["status"] == "answered" and _can("notice_download", data_dict)
    perms["file"] = req["has_answer_file"] and _can("file_download", data_dict)
    perms["letter"] = req["has_letter"] and _can("letter_download", data_dict)
    done = {e["action"] for e in req.get("events", [])}
    perms["letter_notices"] = [{"kind": k, "label": codes.label("event", k)}
                               for k in pdf.LETTER_KINDS if k in done] if (
        req["channel"] != "online" and _can("letter_notice_download", data_dict)) else []
    extra: dict[str, Any] = {"correction_days": workflow.correction_days(),
                             "amend_ended": amend_ended, "amend_max": amend_max,
                             "today": workdays.today_beijing().isoformat()}
    if perms["transfer"]:
        extra["agencies"] = [a for a in _agencies() if a["value"] != req["organization_name"]]
    if perms["answer"]:
        extra["outcomes"] = codes.choices("outcome")
        extra["withheld_categories"] = _choices("withheld_category", blank=True)
        extra["required"] = workflow.REQUIRED
    extra.update(_complaints(req))
    return tk.render("lyg_opendata/disclosure/read.html", {"req": req, "perms": perms, **extra})


def _complaints(req: dict) -> dict[str, Any]:
    """The complaints about this application the visitor may see, and what they may do."""
    found = tk.get_action("lyg_opendata_disclosure_complaint_list")(_context(), {"request_id": req["id"]})
    for c in found["results"]:
        c["may_answer"] = c["status"] == "filed" and forms.can(
            "lyg_opendata_disclosure_complaint_answer", {"id": c["id"]})
        c["may_withdraw"] = c["status"] == "filed" and forms.can(
            "lyg_opendata_disclosure_complaint_withdraw", {"id": c["id"]})
    # one open complaint at a time; an answered application was not left unanswered
    open_one = any(c["status"] == "filed" for c in found["results"])
    grounds = [g for g in codes.choices("complaint_ground")
               if not (req["status"] == "answered" and g["value"] == "not_answered")]
    return {"complaints": found["results"],
            "may_complain": not open_one and forms.can("lyg_opendata_disclosure_complaint_create",
                                                       {"request_id": req["id"]}),
            "complaint_grounds": grounds,
            "complaint_findings": codes.choices("complaint_finding"),
            "complaint_days": complaints.DEADLINE_DAYS}


def complain(id: str):
    data = {"request_id": id, **forms.filled(("ground", "text"))}
    forms.run("lyg_opendata_disclosure_complaint_create", data,
              N_("Your complaint was sent to the supervisors"), describe=_labelled_errors)
    return tk.redirect_to("lyg_opendata_disclosure.read", id=id)


def complaint_act(cid: str, action: str):
    fields = {"answer": ("finding", "answer_text"), "withdraw": ()}.get(action)
    row = model.Session.get(complaints.DisclosureComplaint, cid)
    if fields is None or row is None:
        return tk.abort(404, _("Complaint not found"))
    done = {"answer": N_("The complaint was answered"), "withdraw": N_("The complaint was withdrawn")}[action]
    forms.run(f"lyg_opendata_disclosure_complaint_{action}", {"id": cid, **forms.filled(fields)},
              done, describe=_labelled_errors)
    return tk.redirect_to("lyg_opendata_disclosure.read", id=row.request_id)


def complaint_list():
    if not tk.current_user.is_authenticated:
        return _login_first()
    try:
        result = tk.get_action("lyg_opendata_disclosure_complaint_list")(_context(), {})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    return tk.render("lyg_opendata/disclosure/complaints.html", {"result": result})


ACTIONS = {
    "request_correction": (("text",), N_("The applicant was asked to amend the application")),
    "amend": (("description", "purpose", "received_on"), N_("Your amended application was received; the answer period starts again")),
    "extend": (("days", "text"), N_("The answer period was extended")),
    "transfer": (("organization", "text"), N_("The application was transferred")),
    "answer": (("outcome", "answer_text", "withheld_category", "withheld_reason", "legal_basis",
                "where_to_find", "holder_name", "holder_contact"), N_("The answer was sent to the applicant")),
    "withdraw": (("text", "received_on"), N_("Your application was withdrawn")),
}


def _labelled_errors(e: tk.ValidationError) -> str:
    labels = {"text": _("Text"), "days": _("Working days"), "outcome": _("Kind of answer"),
              "ground": _("Ground of the complaint"), "finding": _("Finding"),
              "answer_text": _("Answer"), "received_on": _("Received on"),
              "description": _("Information asked for")}
    return "；".join(f"{labels.get(k, k)}: {'；'.join(v)}" for k, v in _errors(e).items())


def act(id: str, action: str):
    if action not in ACTIONS:
        return tk.abort(404, _("Unknown action"))
    fields, done = ACTIONS[action]
    data: dict[str, Any] = {"id": id, **forms.filled(fields)}
    if action == "amend" and "received_on" in tk.request.form:  # the agency, an amended letter
        done = N_("The amended application was recorded; the answer period starts again from "
                  "the day it was received")
    if action == "withdraw" and "received_on" in tk.request.form:  # the agency, a letter
        done = N_("The withdrawal received by letter was recorded")
    if action == "answer" and forms.upload("file"):
        data["file"] = forms.upload("file")
    forms.run(f"lyg_opendata_disclosure_{action}", data, done, describe=_labelled_errors)
    if action == "transfer" and not _can("show", {"id": id}):
        return tk.redirect_to("lyg_opendata_disclosure.queue")
    return tk.redirect_to("lyg_opendata_disclosure.read", id=id)


def _private(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def notice(id: str):
    try:
        tk.check_access("lyg_opendata_disclosure_notice_download", _context(), {"id": id})
        req = tk.get_action("lyg_opendata_disclosure_show")(_context(), {"id": id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Application for disclosure not found"))
    if req["status"] != "answered":
        return tk.abort(404, _("The application has not been answered yet"))
    org = model.Session.get(model.Group, req["organization_id"]) if req["organization_id"] else None
    body = pdf.render(req, {"title": org.title if org else ""})
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{req["number"]}.pdf"'
    return _private(response)


def letter_notice(id: str, kind: str):
    """A written notice (补正, 延期, 转送) to post to an applicant who wrote by letter; the
    answer's is the 答复告知书 (``notice``)."""
    try:
        tk.check_access("lyg_opendata_disclosure_letter_notice_download", _context(), {"id": id})
        req = tk.get_action("lyg_opendata_disclosure_show")(_context(), {"id": id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Application for disclosure not found"))
    events = [e for e in req["events"] if e["action"] == kind]
    if kind not in pdf.LETTER_KINDS or not events:
        return tk.abort(404, _("There is no such notice for this application"))
    org = model.Session.get(model.Group, req["organization_id"]) if req["organization_id"] else None
    agency = {"title": org.title if org else ""}
    body = pdf.render_lines(pdf.letter_lines(req, agency, kind, events[-1]), req, agency)
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{req["number"]}-{kind}.pdf"'
    return _private(response)


def _download(id: str, auth: str, path_attr: str, name_attr: str, mime_attr: str):
    try:
        tk.check_access(auth, _context(), {"id": id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    row = model.Session.get(DisclosureRequest, id)
    if row is None or not getattr(row, path_attr):
        return tk.abort(404, _("Attachment not found"))
    try:
        path = files.absolute(getattr(row, path_attr))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Attachment not found"))
    if not path.is_file():
        return tk.abort(404, _("Attachment not found"))
    response = send_file(str(path), mimetype=getattr(row, mime_attr), as_attachment=True,
                         download_name=getattr(row, name_attr) or path.name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)


def answer_file(id: str):
    return _download(id, "lyg_opendata_disclosure_file_download", "answer_file_path",
                     "answer_file_name", "answer_file_mimetype")


def letter(id: str):
    return _download(id, "lyg_opendata_disclosure_letter_download", "letter_path",
                     "letter_name", "letter_mimetype")


_bp = disclosure_blueprint
_bp.add_url_rule("/opendata/disclosure/apply", view_func=apply, methods=["GET", "POST"])
_bp.add_url_rule("/opendata/disclosure/register", view_func=register, methods=["GET", "POST"])
_bp.add_url_rule("/opendata/disclosure", view_func=queue, endpoint="queue")
_bp.add_url_rule("/opendata/my-disclosure", view_func=mine)
_bp.add_url_rule("/opendata/disclosure/complaints", view_func=complaint_list)
_bp.add_url_rule("/opendata/disclosure/<id>/complaint", view_func=complain, methods=["POST"])
_bp.add_url_rule("/opendata/disclosure/complaint/<cid>/<action>", view_func=complaint_act,
                 methods=["POST"])
_bp.add_url_rule("/opendata/disclosure/<id>", view_func=read)
_bp.add_url_rule("/opendata/disclosure/<id>/notice.pdf", view_func=notice)
_bp.add_url_rule("/opendata/disclosure/<id>/letter-notice/<kind>.pdf", view_func=letter_notice)
_bp.add_url_rule("/opendata/disclosure/<id>/file", view_func=answer_file)
_bp.add_url_rule("/opendata/disclosure/<id>/letter", view_func=letter)
_bp.add_url_rule("/opendata/disclosure/<id>/<action>", view_func=act, methods=["POST"])
