"""What "the public catalog" is, as a SQL clause over CKAN's package table: active, not
private, published datasets (Art 12: public only after review). Used by the statistics
figures and the quality scores; no imports of the domains."""
from __future__ import annotations

import sqlalchemy as sa

import ckan.model as model


def packages():
    """The clause selecting the public catalog's rows of ``model.package_table``."""
    p = model.package_table
    return sa.and_(p.c.state == "active", p.c.private.is_(False), p.c.type == "dataset",
                   p.c.extras["review_status"].astext == "published")
