"""Tables of objections (异议, Art 20) and reports (举报, Art 25, 38). Schema changes go
through alembic (migration/lyg_opendata, 0006_objections)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns
from ckanext.lyg_opendata.tables import new_id as _uuid
from ckanext.lyg_opendata.tables import utcnow as _utcnow


class Objection(tk.BaseModel):
    """An objection that open data is wrong or incomplete, routed to an agency.

    ``raised_by``, ``contact`` and ``raised_ip`` (a keyed hash, for rate limits) are personal
    details: never in a public output."""
    __tablename__ = "lyg_opendata_objection"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    resource_id = sa.Column(sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="SET NULL"))
    data_item_code = sa.Column(sa.UnicodeText)
    # the agency that answers it (the dataset's owner unless a supervisor reassigned it)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                                index=True)
    type = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    contact = sa.Column(sa.UnicodeText)
    raised_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    raised_ip = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    # the deadline clock: working days from this Beijing day (receipt, dispute, reassignment)
    clock_start = sa.Column(sa.Date, nullable=False)
    deadline_days = sa.Column(sa.Integer, nullable=False)
    # the answer's due date (``deadline_days`` working days after ``clock_start``), stored
    # for the queues' order, filter and counts: written at every flush that changes the
    # clock and when the calendar is loaded (``workflow.store_due``)
    due_on = sa.Column(sa.Date, nullable=False)
    accepted_at = sa.Column(sa.DateTime)
    decision_reason = sa.Column(sa.UnicodeText)       # why it was rejected
    answer_outcome = sa.Column(sa.UnicodeText)        # corrected | partly_corrected | no_error
    answer_text = sa.Column(sa.UnicodeText)
    answer_activity_id = sa.Column(sa.UnicodeText)    # the dataset change that fixed it
    answer_public = sa.Column(sa.Boolean, nullable=False, default=True)
    answered_at = sa.Column(sa.DateTime)
    dispute_text = sa.Column(sa.UnicodeText)
    disputed_at = sa.Column(sa.DateTime)
    moderation_reason = sa.Column(sa.UnicodeText)     # hide / close / merge: kept in the record
    merged_into = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_objection.id",
                                                          ondelete="SET NULL"))
    evidence_name = sa.Column(sa.UnicodeText)
    evidence_path = sa.Column(sa.UnicodeText)         # relative to ckan.storage_path
    evidence_mimetype = sa.Column(sa.UnicodeText)
    evidence_size = sa.Column(sa.Integer)
    last_reminded = sa.Column(sa.Date)


class ObjectionEvent(EventColumns, tk.BaseModel):
    """One step in an objection's timeline (who, in which role, when, from, to, text)."""
    __tablename__ = "lyg_opendata_objection_event"

    objection_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_objection.id",
                                                           ondelete="CASCADE"),
                             nullable=False, index=True)
    actor_role = sa.Column(sa.UnicodeText)            # raiser | agency | supervisor | system
    text = sa.Column(sa.UnicodeText)
    public = sa.Column(sa.Boolean, nullable=False, default=True)
    data = sa.Column(JSONB)


class Report(tk.BaseModel):
    """A report (举报) of improper use of public data by a data user: never public; the
    reporter's identity is for supervisors only."""
    __tablename__ = "lyg_opendata_report"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL"),
                           index=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                                index=True)
    reported_party = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    contact = sa.Column(sa.UnicodeText)
    reported_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                            index=True)
    reported_ip = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class ReportEvent(EventColumns, tk.BaseModel):
    """One step in a report's handling."""
    __tablename__ = "lyg_opendata_report_event"

    report_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_report.id", ondelete="CASCADE"),
                          nullable=False, index=True)
    actor_role = sa.Column(sa.UnicodeText)
    text = sa.Column(sa.UnicodeText)
