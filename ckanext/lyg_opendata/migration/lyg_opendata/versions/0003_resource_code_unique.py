"""资源代码 unique among datasets that are not deleted, enforced by the database

The validator gives the friendly field error; this index keeps two simultaneous requests
with the same code from both succeeding.

Revision ID: 0003_resource_code_unique
Revises: 0002_calendar
Create Date: 2026-11-26
"""
from alembic import op

revision = "0003_resource_code_unique"
down_revision = "0002_calendar"
branch_labels = None
depends_on = None

INDEX = "lyg_opendata_resource_code_uniq"


def upgrade():
    op.execute(
        f"CREATE UNIQUE INDEX {INDEX} ON package ((extras->>'resource_code')) "
        "WHERE state <> 'deleted' AND extras ? 'resource_code'")


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
