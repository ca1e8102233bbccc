"""Tables of applications for government information disclosure (依申请公开, 政府信息公开条例
Art 27-37, the city's 政府信息公开指南 part 二). Schema changes go through alembic
(migration/lyg_opendata, 0011_disclosure)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns
from ckanext.lyg_opendata.tables import new_id as _uuid
from ckanext.lyg_opendata.tables import utcnow as _utcnow


class DisclosureRequest(tk.BaseModel):
    """One application for disclosure, online or a registered letter/fax.

    The applicant's personal data (name of a natural person, ID number, phone, email,
    address, contact person, legal representative) is seen only by the applicant, the
    handling agency and supervisors (``present.request_dict`` masks it for anyone else)."""
    __tablename__ = "lyg_opendata_disclosure_request"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    number = sa.Column(sa.UnicodeText, nullable=False, unique=True)   # receipt number
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                                index=True)
    previous_organization_id = sa.Column(sa.UnicodeText,
                                         sa.ForeignKey("group.id", ondelete="SET NULL"))
    channel = sa.Column(sa.UnicodeText, nullable=False)               # online | letter | fax
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    registered_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    applicant_type = sa.Column(sa.UnicodeText, nullable=False)        # individual | organization
    organization_kind = sa.Column(sa.UnicodeText)                     # report column (法人)
    applicant_name = sa.Column(sa.UnicodeText)
    id_type = sa.Column(sa.UnicodeText)
    id_number = sa.Column(sa.UnicodeText)
    credit_code = sa.Column(sa.UnicodeText)
    legal_representative = sa.Column(sa.UnicodeText)
    contact_person = sa.Column(sa.UnicodeText)
    phone = sa.Column(sa.UnicodeText)
    email = sa.Column(sa.UnicodeText)
    address = sa.Column(sa.UnicodeText)
    description = sa.Column(sa.UnicodeText, nullable=False)
    purpose = sa.Column(sa.UnicodeText)
    delivery = sa.Column(sa.UnicodeText, nullable=False)              # portal | email | post | collect
    letter_name = sa.Column(sa.UnicodeText)                           # scanned letter
    letter_path = sa.Column(sa.UnicodeText)
    letter_mimetype = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="received", index=True)
    received_on = sa.Column(sa.Date, nullable=False)
    # the clock: working days after this Beijing day (receipt, amended application, transfer)
    clock_start = sa.Column(sa.Date, nullable=False)
    deadline_days = sa.Column(sa.Integer, nullable=False, default=15)
    extension_days = sa.Column(sa.Integer, nullable=False, default=0)
    extension_reason = sa.Column(sa.UnicodeText)
    extended_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    extended_at = sa.Column(sa.DateTime)
    correction_request = sa.Column(sa.UnicodeText)
    correction_requested_on = sa.Column(sa.Date)
    amended_on = sa.Column(sa.Date)
    outcome = sa.Column(sa.UnicodeText)
    answer_text = sa.Column(sa.UnicodeText)
    withheld_category = sa.Column(sa.UnicodeText)
    withheld_reason = sa.Column(sa.UnicodeText)
    legal_basis = sa.Column(sa.UnicodeText)
    where_to_find = sa.Column(sa.UnicodeText)
    holder_name = sa.Column(sa.UnicodeText)
    holder_contact = sa.Column(sa.UnicodeText)
    answer_file_name = sa.Column(sa.UnicodeText)
    answer_file_path = sa.Column(sa.UnicodeText)
    answer_file_mimetype = sa.Column(sa.UnicodeText)
    answered_at = sa.Column(sa.DateTime)
    answered_on = sa.Column(sa.Date)
    answered_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    withdrawal_reason = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class DisclosureEvent(EventColumns, tk.BaseModel):
    """One step in an application's timeline (who, in which role, when, from, to, text)."""
    __tablename__ = "lyg_opendata_disclosure_event"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_disclosure_request.id",
                                                         ondelete="CASCADE"),
                           nullable=False, index=True)
    actor_role = sa.Column(sa.UnicodeText)            # applicant | agency | supervisor
    text = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB)


class DisclosureComplaint(tk.BaseModel):
    """A complaint (投诉/举报, 条例 Art 51; the guide's 四) by an applicant who thinks the agency
    failed to handle the application lawfully, to the supervisors (migration 0023)."""
    __tablename__ = "lyg_opendata_disclosure_complaint"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_disclosure_request.id",
                                                         ondelete="CASCADE"),
                           nullable=False, index=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    ground = sa.Column(sa.UnicodeText, nullable=False)        # codes.COMPLAINT_GROUNDS
    text = sa.Column(sa.UnicodeText, nullable=False)
    status = sa.Column(sa.UnicodeText, nullable=False, default="filed", index=True)
    filed_on = sa.Column(sa.Date, nullable=False)
    finding = sa.Column(sa.UnicodeText)                       # upheld | not_upheld
    answer_text = sa.Column(sa.UnicodeText)
    answered_on = sa.Column(sa.Date)
    answered_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class DisclosureComplaintEvent(EventColumns, tk.BaseModel):
    __tablename__ = "lyg_opendata_disclosure_complaint_event"

    complaint_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_disclosure_complaint.id",
                                                           ondelete="CASCADE"),
                             nullable=False, index=True)
    text = sa.Column(sa.UnicodeText)


class DisclosureReportFigures(tk.BaseModel):
    """The figures of an agency's yearly report that the portal does not hold (part 二: 行政许可,
    行政处罚, 行政强制 decisions, 行政事业性收费; part 四: 行政复议, 行政诉讼), entered by its staff."""
    __tablename__ = "lyg_opendata_disclosure_report_figures"

    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                                primary_key=True)
    year = sa.Column(sa.Integer, primary_key=True)
    figures = sa.Column(JSONB, nullable=False, default=dict)
    updated_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated = sa.Column(sa.DateTime, nullable=False, default=_utcnow, onupdate=_utcnow)
