"""Objections and reports (Art 20, 25, 38)

Revision ID: 0006_objections
Revises: 0005_access_log
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0006_objections"
down_revision = "0005_access_log"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
