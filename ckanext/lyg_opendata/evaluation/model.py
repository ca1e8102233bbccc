"""Tables of rectification notices (通知整改, Art 39). Schema changes go through alembic
(migration/lyg_opendata, 0009_evaluation)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns
from ckanext.lyg_opendata.tables import new_id as _uuid
from ckanext.lyg_opendata.tables import utcnow


class Rectification(tk.BaseModel):
    """A notice to an agency to rectify, citing one ground of Art 39, with a deadline in
    working days from ``clock_start`` (the Beijing day it was issued, or sent back)."""
    __tablename__ = "lyg_opendata_rectification"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    ground = sa.Column(sa.UnicodeText, nullable=False)
    findings = sa.Column(sa.UnicodeText, nullable=False)       # what the bureau found
    requirement = sa.Column(sa.UnicodeText, nullable=False)    # what the agency must do
    evidence = sa.Column(JSONB)                                # the figures it was pre-filled from
    status = sa.Column(sa.UnicodeText, nullable=False, default="issued", index=True)
    issued_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    clock_start = sa.Column(sa.Date, nullable=False)
    deadline_days = sa.Column(sa.Integer, nullable=False)
    response = sa.Column(sa.UnicodeText)                       # the agency's latest answer
    responded_at = sa.Column(sa.DateTime)
    decision = sa.Column(sa.UnicodeText)                       # why returned, closed or escalated
    closed_at = sa.Column(sa.DateTime)
    escalated_at = sa.Column(sa.DateTime)


class RectificationEvent(EventColumns, tk.BaseModel):
    """One step of a rectification notice (who, when, from, to, text)."""
    __tablename__ = "lyg_opendata_rectification_event"

    rectification_id = sa.Column(sa.UnicodeText,
                                 sa.ForeignKey("lyg_opendata_rectification.id", ondelete="CASCADE"),
                                 nullable=False, index=True)
    text = sa.Column(sa.UnicodeText)


class StaffFiling(tk.BaseModel):
    """An agency's filing of its responsible leader and data-opening staff (Art 35). Each
    filing is a new row: the latest is current, the earlier ones are the history. Names and
    contacts are not public (supervisors and the agency's editors and admins only)."""
    __tablename__ = "lyg_opendata_staff_filing"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    leader_name = sa.Column(sa.UnicodeText, nullable=False)
    leader_post = sa.Column(sa.UnicodeText, nullable=False)
    leader_contact = sa.Column(sa.UnicodeText, nullable=False)
    staff = sa.Column(JSONB, nullable=False)                   # [{"name", "post", "contact"}]
    filed_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    filed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class EvaluationReport(tk.BaseModel):
    """The yearly evaluation report (Art 37): the figures of a year frozen when it was
    generated, the bureau's commentary and its suggestions for improvement. A draft is
    edited and published; a published report never changes (the database refuses it,
    migration 0020) — a new version of the same year replaces it in the public list."""
    __tablename__ = "lyg_opendata_evaluation_report"
    __table_args__ = (sa.UniqueConstraint("year", "version"),)

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    year = sa.Column(sa.Integer, nullable=False, index=True)
    version = sa.Column(sa.Integer, nullable=False)
    title = sa.Column(sa.UnicodeText, nullable=False)
    status = sa.Column(sa.UnicodeText, nullable=False, default="draft", index=True)
    figures = sa.Column(JSONB, nullable=False)                 # platform, cards, average
    commentary = sa.Column(sa.UnicodeText, nullable=False, default="")
    suggestions = sa.Column(JSONB, nullable=False)             # [text, …]
    created_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    modified = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    published_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    published_at = sa.Column(sa.DateTime)


class EvaluationReportEvent(EventColumns, tk.BaseModel):
    """One step of an evaluation report (generated, edited, published, discarded)."""
    __tablename__ = "lyg_opendata_evaluation_report_event"

    report_id = sa.Column(sa.UnicodeText,
                          sa.ForeignKey("lyg_opendata_evaluation_report.id", ondelete="CASCADE"),
                          nullable=False, index=True)
    text = sa.Column(sa.UnicodeText)


class QualityScore(tk.BaseModel):
    """A dataset's quality score (evaluation/quality.py) in a Beijing month ("2026-11"): a
    later run in the same month replaces the month's row; earlier months are the history."""
    __tablename__ = "lyg_opendata_quality_score"

    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True)
    month = sa.Column(sa.UnicodeText, primary_key=True)
    score = sa.Column(sa.Integer, nullable=False)
    rating = sa.Column(sa.UnicodeText, nullable=False)
    indicators = sa.Column(JSONB, nullable=False)
    computed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class LinkCheck(tk.BaseModel):
    """The link checker's latest answer for a resource's address (evaluation/linkcheck.py)."""
    __tablename__ = "lyg_opendata_link_check"

    resource_id = sa.Column(sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"),
                            primary_key=True)
    url = sa.Column(sa.UnicodeText, nullable=False)
    ok = sa.Column(sa.Boolean, nullable=False)
    status = sa.Column(sa.Integer)
    error = sa.Column(sa.UnicodeText)
    checked_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class QualityChange(tk.BaseModel):
    """A dataset's quality score when it changed (evaluation/quality.py ``compute``: a row
    when the score differs from the dataset's last one, the first score included): the
    history the dataset's quality panel and ``lyg_opendata_quality_history`` show. Scores
    only — nothing of the resources."""
    __tablename__ = "lyg_opendata_quality_change"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False)
    day = sa.Column(sa.Date, nullable=False)          # the Beijing day scored (``--today``)
    score = sa.Column(sa.Integer, nullable=False)
    rating = sa.Column(sa.UnicodeText, nullable=False)
    computed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (sa.Index("ix_lyg_opendata_quality_change_package", "package_id",
                               "day", "computed_at"),)
