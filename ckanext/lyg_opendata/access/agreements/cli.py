"""CLI commands of grants and usage reports (COMMANDS are added to `ckan lyg-opendata`):

    ckan lyg-opendata grants expire            tell grantees whose term ended (once)
    ckan lyg-opendata grants report-reminders  usage reports due soon / overdue

Both run daily from config/crontab. Validity never depends on them: a grant stops working
at 24:00 Beijing time on its last day whether or not ``expire`` ran.
"""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import parse_day as _day
from ckanext.lyg_opendata.clitools import request_scope as _scope


@click.group(short_help="Grants of conditional data and usage reports (Art 19, 24, 40)")
def grants():
    """Grants of conditional data and their usage reports."""


@grants.command("expire")
@click.option("--today", default=None, help="Act as if today (Beijing) were this date.")
@click.pass_context
def expire(ctx, today):
    """Notify the grantees whose grant's term has ended (each grant once)."""
    from ckanext.lyg_opendata.access.agreements import grants as agreement_grants
    with _scope(ctx):
        done = agreement_grants.expire_notify(_day(today))
        for grant in done:
            click.echo(f"{grant.id}: ended {grant.ends_on.isoformat()}, grantee notified")
        click.echo(f"grants expired and notified: {len(done)}")


@grants.command("report-reminders")
@click.option("--today", default=None, help="Act as if today (Beijing) were this date.")
@click.pass_context
def report_reminders(ctx, today):
    """Remind grantees of usage reports due soon, and grantees and agencies of overdue
    ones (each reminder once)."""
    from ckanext.lyg_opendata.access.agreements import reports as agreement_reports
    with _scope(ctx):
        counts = agreement_reports.report_reminders(_day(today))
        click.echo(f"usage reports due soon: {counts['due_soon']}, "
                   f"overdue: {counts['overdue']} (reminders sent)")


COMMANDS = [grants]
