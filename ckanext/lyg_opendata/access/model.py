"""Tables of conditional-data access (Art 19, 21, 24, 40): applications and their timeline,
agreement templates and agreements, grants, usage reports. Schema changes go through alembic
(migration/lyg_opendata/versions/0004_access.py).

One shape for every workflow: a row with a ``status`` and an events table recording each
transition. Anything that changes with the clock (overdue, expired, report due) is computed
at query time from stored dates, never stored as a flag.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns
from ckanext.lyg_opendata.tables import new_id as _uuid
from ckanext.lyg_opendata.tables import utcnow as _utcnow


class Application(tk.BaseModel):
    """An application (申请) for a conditional dataset's data."""
    __tablename__ = "lyg_opendata_application"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    # the agency that answers: the dataset's organization when the application arrived
    org_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"), index=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    # submitted | info_requested | approved | refused | withdrawn
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)

    # who applies: "individual" or "organization" (legal person / other organization)
    applicant_type = sa.Column(sa.UnicodeText, nullable=False, default="individual")
    applicant_name = sa.Column(sa.UnicodeText)          # organization name (or the person's name)
    credit_code = sa.Column(sa.UnicodeText)             # 统一社会信用代码 (GB 32100-2015)
    contact_name = sa.Column(sa.UnicodeText)
    contact_phone = sa.Column(sa.UnicodeText)
    contact_email = sa.Column(sa.UnicodeText)

    purpose = sa.Column(sa.UnicodeText, nullable=False)            # 申请用途
    scenario = sa.Column(sa.UnicodeText, nullable=False)           # 应用场景
    security_measures = sa.Column(sa.UnicodeText, nullable=False)  # 安全保障措施
    resource_ids = sa.Column(JSONB, nullable=False, default=list)  # [] = all resources
    term_start = sa.Column(sa.Date, nullable=False)
    term_end = sa.Column(sa.Date, nullable=False)

    # consent: the dataset's 开放条件 accepted and the privacy notice (its version) agreed to
    conditions_accepted = sa.Column(sa.Boolean, nullable=False, default=False)
    privacy_notice_version = sa.Column(sa.UnicodeText)
    consent_at = sa.Column(sa.DateTime)

    # the Art 19 clock: received (Beijing date), due after N working days; a request for
    # more information pauses it once (paused_on .. resumed_on), and the due date moves
    received_on = sa.Column(sa.Date, nullable=False)
    due_on = sa.Column(sa.Date, nullable=False)
    due_provisional = sa.Column(sa.Boolean, nullable=False, default=False)
    # while waiting for information: the working days the clock had left when it stopped
    # (the due date moves with today: ``workflow.paused_due``); otherwise None. Both are
    # written at every flush that changes the clock and when the calendar is loaded
    # (``workflow.store_due``), for the lists' order, filter and counts.
    pause_left = sa.Column(sa.Integer)
    info_requested_on = sa.Column(sa.Date)
    info_supplied_on = sa.Column(sa.Date)
    info_request = sa.Column(sa.UnicodeText)   # what the agency asked for
    info_reply = sa.Column(sa.UnicodeText)     # what the applicant supplied

    # the decision
    decided_at = sa.Column(sa.DateTime)
    decided_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    conditions_of_use = sa.Column(sa.UnicodeText)               # 利用要求 (approval)
    granted_resource_ids = sa.Column(JSONB)                     # approval
    granted_term_start = sa.Column(sa.Date)
    granted_term_end = sa.Column(sa.Date)
    refusal_reason = sa.Column(sa.UnicodeText)                  # refusal: 理由
    refusal_basis = sa.Column(sa.UnicodeText)                   # refusal: 依据

    # the number of working days this application's deadline counts (the configured value
    # when it arrived: a later change of the setting does not move existing deadlines)
    deadline_workdays = sa.Column(sa.Integer, nullable=False, default=10)
    reminded_on = sa.Column(sa.Date)           # "deadline approaching" reminder sent (once)
    overdue_reminded_on = sa.Column(sa.Date)   # "deadline passed" reminder sent (once)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    modified = sa.Column(sa.DateTime, nullable=False, default=_utcnow, onupdate=_utcnow)


class ApplicationEvent(EventColumns, tk.BaseModel):
    """One transition of an application (who, when, from, to, reason)."""
    __tablename__ = "lyg_opendata_application_event"

    application_id = sa.Column(sa.UnicodeText,
                               sa.ForeignKey("lyg_opendata_application.id", ondelete="CASCADE"),
                               nullable=False, index=True)
    reason = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB)


class AgreementTemplate(tk.BaseModel):
    """The model text (协议示范文本), versioned; the highest active version is current."""
    __tablename__ = "lyg_opendata_agreement_template"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    version = sa.Column(sa.Integer, nullable=False, unique=True)
    title = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText, nullable=False)   # with {placeholders}
    note = sa.Column(sa.UnicodeText)                   # what changed
    created_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class Agreement(tk.BaseModel):
    """The agreement (协议) of one approved application; its text frozen with a SHA-256."""
    __tablename__ = "lyg_opendata_agreement"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    number = sa.Column(sa.UnicodeText, nullable=False, unique=True)   # 协议编号
    application_id = sa.Column(sa.UnicodeText,
                               sa.ForeignKey("lyg_opendata_application.id", ondelete="CASCADE"),
                               nullable=False, unique=True)
    template_id = sa.Column(sa.UnicodeText,
                            sa.ForeignKey("lyg_opendata_agreement_template.id", ondelete="RESTRICT"))
    template_version = sa.Column(sa.Integer)
    text = sa.Column(sa.UnicodeText, nullable=False)
    sha256 = sa.Column(sa.UnicodeText, nullable=False)
    # usage reports (Art 24): "end" (one at the end of the term) or "periodic"
    report_schedule = sa.Column(sa.UnicodeText, nullable=False, default="end")
    report_interval_months = sa.Column(sa.Integer)
    agency_signed_at = sa.Column(sa.DateTime)
    agency_signed_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    applicant_signed_at = sa.Column(sa.DateTime)
    applicant_signed_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    applicant_sign_ip = sa.Column(sa.UnicodeText)
    applicant_sign_user_agent = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class Grant(tk.BaseModel):
    """A user's right to use named resources of a conditional dataset for a term (from a
    signed agreement). Valid while not revoked and starts_on <= today (Beijing) <= ends_on."""
    __tablename__ = "lyg_opendata_grant"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    agreement_id = sa.Column(sa.UnicodeText,
                             sa.ForeignKey("lyg_opendata_agreement.id", ondelete="CASCADE"),
                             nullable=False, unique=True)
    application_id = sa.Column(sa.UnicodeText,
                               sa.ForeignKey("lyg_opendata_application.id", ondelete="CASCADE"),
                               nullable=False)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    resource_ids = sa.Column(JSONB, nullable=False, default=list)   # the granted resources
    starts_on = sa.Column(sa.Date, nullable=False)
    ends_on = sa.Column(sa.Date, nullable=False)
    revoked_at = sa.Column(sa.DateTime)
    revoked_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    revoke_reason = sa.Column(sa.UnicodeText)
    expiry_notified_at = sa.Column(sa.DateTime)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class UsageReport(tk.BaseModel):
    """A usage report (Art 24) due from a grantee; submitted when ``submitted_at`` is set."""
    __tablename__ = "lyg_opendata_usage_report"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    grant_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_grant.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    period_start = sa.Column(sa.Date, nullable=False)
    period_end = sa.Column(sa.Date, nullable=False)
    due_on = sa.Column(sa.Date, nullable=False)
    usage = sa.Column(sa.UnicodeText)       # what the data was used for
    results = sa.Column(sa.UnicodeText)     # results achieved
    incidents = sa.Column(sa.UnicodeText)   # security incidents, if any
    submitted_at = sa.Column(sa.DateTime)
    submitted_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    reminded_on = sa.Column(sa.Date)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)

