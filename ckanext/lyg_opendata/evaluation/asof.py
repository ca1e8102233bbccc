"""Figures as of a past instant (the yearly report of a year that has ended: 31 December
24:00 Beijing time), reconstructed from the stored events and dates rather than from the
rows' present state.

- a workflow row's status at an instant: the ``to_status`` of its last event before it
  (``status_at``); a row without such an event did not exist yet or is in its first state;
- the public catalog at an instant (``public_packages_at``): datasets whose review status
  then was ``published`` (the last review event before the instant), not deleted now.

What cannot be reconstructed is named in ``APPROXIMATE`` (the report states it): the open
type and the catalog fields (completeness) are the present ones, a dataset deleted since is
not counted, and the updates overdue are counted by the present due dates (an entry updated
since cannot be dated back).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata.i18n import N_

# figure -> why it is not exactly the figure at the instant (shown on the report)
APPROXIMATE = {
    "datasets": N_("Datasets by open type: published at the year's end by the review "
                   "events, with their present open type; datasets deleted since are not "
                   "counted."),
    "open_list_complete_share": N_("Open-list completeness: the present catalog fields of "
                                   "the datasets published at the year's end."),
    "freshness_overdue": N_("Updates overdue: entries whose present due date had passed at "
                            "the year's end; an entry updated since cannot be dated back."),
}


def status_at(event_cls, key, at: dt.datetime):
    """The status of the workflow row ``key`` (a column) at ``at``: the target state of its
    last event before then (NULL without one). A correlated scalar subquery."""
    e = event_cls.__table__
    fk = next(c for c in e.c if c.foreign_keys and c.name != "actor_id")
    # (events of one instant: the order they were made in cannot be told apart; distinct
    # instants in practice)
    return sa.select(e.c.to_status).where(
        fk == key, e.c.created < at, e.c.to_status.isnot(None)).order_by(
        e.c.created.desc(), e.c.id.desc()).limit(1).scalar_subquery()


def public_packages_at(at: dt.datetime):
    """The public catalog's rows of ``model.package_table`` at ``at`` (see the module)."""
    from ckanext.lyg_opendata.catalog.model import ReviewEvent
    p = model.package_table
    return sa.and_(p.c.state == "active", p.c.type == "dataset",
                   status_at(ReviewEvent, p.c.id, at) == "published")
