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


@contextlib.contextmanager
def portal_language():
    """Outside a request — the job worker, a harvest's import stage, a command —, a request
    context of the CKAN app, so that the notices and emails composed there are in the
    portal's default language (``ckan.locale_default``; without any context ``_`` gives
    English) and ``url_for`` has the site URL. Inside a request (or a command's scope)
    nothing changes."""
    import flask

    if flask.has_request_context():
        yield
        return
    from ckan.config import middleware
    scope = middleware._internal_test_request_context  # made with the app (make_app)
    if scope is None:
        yield
        return
    with scope:
        yield


def in_portal_language(func):
    """A job (``tk.enqueue_job``) run in ``portal_language``."""
    import functools

    @functools.wraps(func)
    def run(*args, **kwargs):
        with portal_language():
            return func(*args, **kwargs)
    return run


def parse_day(value: Optional[str], param_hint: str = "--today") -> Optional[dt.date]:
    """A ``YYYY-MM-DD`` option as a date (None when not given); a usage error otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint=param_hint)


REMIND_KEY = "lyg_opendata.remind.%s"  # system_info: the last Beijing day a reminder was sent


@contextlib.contextmanager
def once_a_day(name: str, day: dt.date):
    """Guard of a daily job: yields ``"go"``, ``"done"`` when the job already ran for ``day``
    or ``"busy"`` when another run of it holds the lock. One run at a time across processes (a PostgreSQL session advisory lock on
    a connection of its own); the day is kept in CKAN's ``system_info``
    (``lyg_opendata.remind.<name>``), written by ``mark`` after a run that sent."""
    import sqlalchemy as sa

    import ckan.model as model

    key = REMIND_KEY % name
    conn = model.meta.engine.connect()
    try:
        lock = {"k": key}
        if not conn.execute(sa.text("SELECT pg_try_advisory_lock(hashtext(:k))"), lock).scalar():
            yield "busy"
            return
        try:
            yield "done" if model.get_system_info(key) == day.isoformat() else "go"
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(hashtext(:k))"), lock)
    finally:
        conn.close()


def mark_sent(name: str, day: dt.date) -> None:
    import ckan.model as model
    model.set_system_info(REMIND_KEY % name, day.isoformat())


def remind_command(reminders: str, what: str, help: str) -> click.Command:
    """The daily ``remind`` command of a workflow (config/crontab).

    ``reminders`` names the workflow's module (imported when the command runs) whose
    ``remind(day, dry_run=…)`` returns one line per agency (``organization``, ``count``,
    ``overdue``, ``recipients``; a line with ``text`` is printed as it is and not counted);
    ``what`` names the rows in the total ("objections").

    Once a day: a second run for the same Beijing day sends nothing (``--force`` sends
    again); two runs at once, the second sends nothing. A dry run is never guarded."""

    @click.command("remind", help=help + "\n\nSends at most once a Beijing day (--force: again).")
    @click.option("--today", default=None,
                  help="Take this Beijing day as today (YYYY-MM-DD; testing).")
    @click.option("--dry-run", is_flag=True, help="List what is due, send nothing.")
    @click.option("--force", is_flag=True,
                  help="Send even if the reminders of this day were sent already.")
    @click.pass_context
    def remind(ctx, today, dry_run, force):
        from ckanext.lyg_opendata import workdays

        day = parse_day(today)
        guard_day = day or workdays.today_beijing()
        with request_scope(ctx):
            if dry_run:
                report = importlib.import_module(reminders).remind(day, dry_run=True)
            else:
                with once_a_day(reminders, guard_day) as state:
                    if state == "busy":
                        click.echo(f"{what}: another run is sending reminders; nothing sent")
                        return
                    if state == "done" and not force:
                        click.echo(f"{what}: reminders of {guard_day.isoformat()} were sent "
                                   "already; nothing sent (--force sends again)")
                        return
                    report = importlib.import_module(reminders).remind(day, dry_run=False)
                    mark_sent(reminders, guard_day)
        for line in report:
            if "text" in line:  # a line of its own (e.g. applicants reminded)
                click.echo(line["text"])
                continue
            click.echo(f"{line['organization'] or '-'}: {line['count']} due or overdue "
                       f"({line['overdue']} overdue), notice to {line['recipients']} person(s)")
        total = sum(line["count"] for line in report if "text" not in line)
        click.echo(f"{what} due or overdue: {total}"
                   + (" (dry run, nothing sent)" if dry_run else ""))

    return remind
