"""Shared by the ``ckan lyg-opendata`` commands."""
from __future__ import annotations

import contextlib
from typing import Optional

import click


def request_scope(ctx: Optional[click.Context] = None):
    """A request context of the CKAN app for a command: texts (notices, emails, output) in
    the portal's default language, ``url_for`` with the site URL, the database session."""
    import flask

    ctx = ctx or click.get_current_context(silent=True)
    app = ctx.meta.get("flask_app") if ctx is not None else None
    if app is None or flask.has_request_context():
        return contextlib.nullcontext()
    return app.test_request_context()
