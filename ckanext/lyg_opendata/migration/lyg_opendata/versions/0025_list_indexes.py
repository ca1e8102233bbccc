"""Indexes of the lists at scale (issue 19 goal 3; docs/performance.md "Lists at scale"):
decided applications in due-date order (all, and per agency), an applicant's applications
newest first, a dataset's objections newest first.

Revision ID: 0025_list_indexes
Revises: 0024_disclosure_report_figures
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0025_list_indexes"
down_revision = "0024_disclosure_report_figures"
branch_labels = None
depends_on = None

DECIDED = sa.text("status NOT IN ('submitted', 'info_requested')")


def upgrade():
    op.create_index("ix_lyg_opendata_application_decided_due", "lyg_opendata_application",
                    ["due_on", sa.text("created DESC"), "id"], postgresql_where=DECIDED)
    op.create_index("ix_lyg_opendata_application_org_decided_due", "lyg_opendata_application",
                    ["org_id", "due_on", sa.text("created DESC"), "id"], postgresql_where=DECIDED)
    op.create_index("ix_lyg_opendata_application_user_created", "lyg_opendata_application",
                    ["user_id", sa.text("created DESC"), "id"])
    op.create_index("ix_lyg_opendata_objection_package_created", "lyg_opendata_objection",
                    ["package_id", sa.text("created DESC"), "id"])


def downgrade():
    op.drop_index("ix_lyg_opendata_objection_package_created", "lyg_opendata_objection")
    op.drop_index("ix_lyg_opendata_application_user_created", "lyg_opendata_application")
    op.drop_index("ix_lyg_opendata_application_org_decided_due", "lyg_opendata_application")
    op.drop_index("ix_lyg_opendata_application_decided_due", "lyg_opendata_application")
