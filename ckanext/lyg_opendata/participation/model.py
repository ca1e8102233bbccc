"""Tables of participation (Art 18, 25): data requests (数据需求) with their events, links to
datasets and supports (+1), and ratings (评价). Schema changes go through alembic
(migration/lyg_opendata, 0008_participation)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns
from ckanext.lyg_opendata.tables import new_id as _uuid
from ckanext.lyg_opendata.tables import utcnow as _utcnow


class DataRequest(tk.BaseModel):
    """A public request for data that is not open yet. ``requested_by`` and ``contact`` are
    personal details: the public sees the requester's name only as they chose (real or
    masked), never their contact."""
    __tablename__ = "lyg_opendata_data_request"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    purpose = sa.Column(sa.UnicodeText)
    data_format = sa.Column(sa.UnicodeText)
    frequency = sa.Column(sa.UnicodeText)
    # the agency the requester thinks holds the data (may be empty) and the one it is routed to
    suggested_org_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"))
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                                index=True)
    requested_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                             index=True)
    show_name = sa.Column(sa.Boolean, nullable=False, default=False)
    contact = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    # the answer clock: ``clock_days`` working days from ``clock_start`` while ``assigned``
    clock_start = sa.Column(sa.Date)
    clock_days = sa.Column(sa.Integer)
    answer = sa.Column(sa.UnicodeText)                # the code of the latest answer
    answer_text = sa.Column(sa.UnicodeText)
    legal_basis = sa.Column(sa.UnicodeText)           # 不予开放: a code of Art 7/8
    planned_date = sa.Column(sa.Date)                 # 将开放
    application_url = sa.Column(sa.UnicodeText)       # 有条件开放
    answered_at = sa.Column(sa.DateTime)
    support_count = sa.Column(sa.Integer, nullable=False, default=0, index=True)
    moderation_reason = sa.Column(sa.UnicodeText)


class DataRequestEvent(EventColumns, tk.BaseModel):
    """One step in a data request's timeline."""
    __tablename__ = "lyg_opendata_data_request_event"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_data_request.id",
                                                         ondelete="CASCADE"),
                           nullable=False, index=True)
    actor_role = sa.Column(sa.UnicodeText)            # requester | agency | supervisor | system
    text = sa.Column(sa.UnicodeText)
    data = sa.Column(JSONB)


class DataRequestDataset(tk.BaseModel):
    """A dataset that answers a request (已开放, or planned for 将开放)."""
    __tablename__ = "lyg_opendata_data_request_dataset"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_data_request.id",
                                                         ondelete="CASCADE"), primary_key=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True, index=True)


class DataRequestSupport(tk.BaseModel):
    """One "+1" of a user for a request (at most one per user: the primary key)."""
    __tablename__ = "lyg_opendata_data_request_support"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_data_request.id",
                                                         ondelete="CASCADE"), primary_key=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        primary_key=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class Rating(tk.BaseModel):
    """A user's rating of a dataset (one per user and dataset, editable), with an optional
    comment that supervisors may hide (with a reason) and the agency may answer."""
    __tablename__ = "lyg_opendata_rating"
    __table_args__ = (sa.UniqueConstraint("package_id", "user_id"),)

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False)
    quality = sa.Column(sa.Integer, nullable=False)
    timeliness = sa.Column(sa.Integer, nullable=False)
    usability = sa.Column(sa.Integer, nullable=False)
    comment = sa.Column(sa.UnicodeText)
    hidden = sa.Column(sa.Boolean, nullable=False, default=False)
    hidden_reason = sa.Column(sa.UnicodeText)
    hidden_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    answer_text = sa.Column(sa.UnicodeText)
    answered_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    answered_at = sa.Column(sa.DateTime)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)
    modified = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class SocialPublisher(tk.BaseModel):
    """An organisation marked 社会数据开放主体 (Art 27: an enterprise, association or research
    body opening its own data through the platform), by a supervisor."""
    __tablename__ = "lyg_opendata_social_publisher"

    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                                primary_key=True)
    type = sa.Column(sa.UnicodeText, nullable=False)
    marked_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class Suggestion(tk.BaseModel):
    """A suggestion (意见建议, Art 18) about the platform, answered by the platform operator;
    not public (the submitter, the operator's staff and supervisors read it)."""
    __tablename__ = "lyg_opendata_suggestion"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    category = sa.Column(sa.UnicodeText, nullable=False)
    text = sa.Column(sa.UnicodeText, nullable=False)
    contact = sa.Column(sa.UnicodeText)
    submitted_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"),
                             index=True)
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)
    answer_text = sa.Column(sa.UnicodeText)
    answered_at = sa.Column(sa.DateTime)
    created = sa.Column(sa.DateTime, nullable=False, default=_utcnow)


class SuggestionEvent(EventColumns, tk.BaseModel):
    """One step in a suggestion's handling."""
    __tablename__ = "lyg_opendata_suggestion_event"

    suggestion_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_suggestion.id",
                                                            ondelete="CASCADE"),
                              nullable=False, index=True)
    text = sa.Column(sa.UnicodeText)
