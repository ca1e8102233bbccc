"""Tables of the showcase of uses (数据应用, Art 29): an entry, the datasets it cites and its
events. Schema changes go through alembic (migration/lyg_opendata, 0018_showcase)."""
from __future__ import annotations

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns, new_id as _uuid, utcnow


class Showcase(tk.BaseModel):
    """A use of open data (an application, report, visualisation or research). Public once
    published: its title, description, type, link, image, the organisation behind it and the
    datasets it cites. ``submitted_by`` is a person: shown to supervisors only."""
    __tablename__ = "lyg_opendata_showcase"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    type = sa.Column(sa.UnicodeText, nullable=False)
    url = sa.Column(sa.UnicodeText)
    image_url = sa.Column(sa.UnicodeText)
    organization_name = sa.Column(sa.UnicodeText, nullable=False)
    submitted_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    usage_report_id = sa.Column(sa.UnicodeText, sa.ForeignKey(
        "lyg_opendata_usage_report.id", ondelete="SET NULL"), unique=True)
    status = sa.Column(sa.UnicodeText, nullable=False, default="submitted", index=True)
    review_note = sa.Column(sa.UnicodeText)
    published_at = sa.Column(sa.DateTime)
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    modified = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class ShowcaseDataset(tk.BaseModel):
    __tablename__ = "lyg_opendata_showcase_dataset"

    showcase_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_showcase.id", ondelete="CASCADE"),
                            primary_key=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True, index=True)


class ShowcaseEvent(EventColumns, tk.BaseModel):
    __tablename__ = "lyg_opendata_showcase_event"

    showcase_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_showcase.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    text = sa.Column(sa.UnicodeText)
