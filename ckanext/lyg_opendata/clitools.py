"""Shared by the ``ckan lyg-opendata`` commands."""
from __future__ import annotations

import contextlib
import datetime as dt
import importlib
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


def parse_day(value: Optional[str], param_hint: str = "--today") -> Optional[dt.date]:
    """A ``YYYY-MM-DD`` option as a date (None when not given); a usage error otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint=param_hint)


def remind_command(reminders: str, what: str, help: str) -> click.Command:
    """The daily ``remind`` command of a workflow (config/crontab).

    ``reminders`` names the workflow's module (imported when the command runs) whose
    ``remind(day, dry_run=…)`` returns one line per agency (``organization``, ``count``,
    ``overdue``, ``recipients``); ``what`` names the rows in the total ("objections")."""

    @click.command("remind", help=help)
    @click.option("--today", default=None,
                  help="Take this Beijing day as today (YYYY-MM-DD; testing).")
    @click.option("--dry-run", is_flag=True, help="List what is due, send nothing.")
    @click.pass_context
    def remind(ctx, today, dry_run):
        day = parse_day(today)
        with request_scope(ctx):
            report = importlib.import_module(reminders).remind(day, dry_run=dry_run)
        for line in report:
            click.echo(f"{line['organization'] or '-'}: {line['count']} due or overdue "
                       f"({line['overdue']} overdue), notice to {line['recipients']} person(s)")
        total = sum(line["count"] for line in report)
        click.echo(f"{what} due or overdue: {total}"
                   + (" (dry run, nothing sent)" if dry_run else ""))

    return remind
