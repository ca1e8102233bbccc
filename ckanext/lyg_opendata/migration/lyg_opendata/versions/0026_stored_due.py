"""Stored due dates of open items (issue 19; docs/performance.md "Lists at scale"): an
objection's ``due_on`` and an application's ``pause_left`` (the working days left when the
clock stopped for a request for information), written at every change of the clock and
when the calendar is loaded (``workflow.store_due``); backfilled here on the calendar as
stored, with every application's ``due_on`` / ``due_provisional`` computed again.
Indexes: open applications by due date (covering the queue's columns), decided ones of
one status by due date, the objection queue in due-date order.

Revision ID: 0026_stored_due
Revises: 0025_list_indexes
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0026_stored_due"
down_revision = "0025_list_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("lyg_opendata_objection", sa.Column("due_on", sa.Date))
    op.add_column("lyg_opendata_application", sa.Column("pause_left", sa.Integer))
    # the workflows' own computation (they register their stored columns when imported)
    from sqlalchemy.orm import Session
    from ckanext.lyg_opendata import workflow
    from ckanext.lyg_opendata.access.applications import workflow as _applications  # noqa: F401
    from ckanext.lyg_opendata.objections import workflow as _objections  # noqa: F401
    session = Session(bind=op.get_bind())
    workflow.recompute_due(session)
    session.flush()
    op.alter_column("lyg_opendata_objection", "due_on", nullable=False)
    # the open applications (a few thousand among 100,000) without visiting the table
    op.create_index("ix_lyg_opendata_application_open_due", "lyg_opendata_application",
                    ["due_on", sa.text("created DESC"), "id"],
                    postgresql_include=["status", "pause_left", "org_id"],
                    postgresql_where=sa.text("status IN ('submitted', 'info_requested')"))
    # decided applications of one status (?status=approved …) in due-date order
    op.create_index("ix_lyg_opendata_application_status_due", "lyg_opendata_application",
                    ["status", "due_on", sa.text("created DESC"), "id"],
                    postgresql_where=sa.text("status NOT IN ('submitted', 'info_requested')"))
    op.create_index("ix_lyg_opendata_objection_due", "lyg_opendata_objection",
                    ["due_on", "created", "id"])


def downgrade():
    op.drop_index("ix_lyg_opendata_objection_due", "lyg_opendata_objection")
    op.drop_index("ix_lyg_opendata_application_status_due", "lyg_opendata_application")
    op.drop_index("ix_lyg_opendata_application_open_due", "lyg_opendata_application")
    op.drop_column("lyg_opendata_application", "pause_left")
    op.drop_column("lyg_opendata_objection", "due_on")
