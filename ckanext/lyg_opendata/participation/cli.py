"""CLI commands of participation (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import datetime as dt

import click

from ckanext.lyg_opendata.clitools import request_scope


@click.group("data-requests", short_help="Data requests (数据需求): reminders of answers due.")
def data_requests():
    """Data requests (数据需求, Art 18): reminders to agencies of answers due or overdue."""


@data_requests.command("remind")
@click.option("--today", default=None, help="Take this Beijing day as today (YYYY-MM-DD; testing).")
@click.option("--dry-run", is_flag=True, help="List what is due, send nothing.")
@click.pass_context
def remind(ctx, today, dry_run):
    """Remind each agency of its data requests due within objections.remind_days working days
    or overdue (one notice and mail per agency). Run once a day (config/crontab)."""
    from ckanext.lyg_opendata.participation import reminders

    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--today")
    with request_scope(ctx):
        report = reminders.remind(day, dry_run=dry_run)
    for line in report:
        click.echo(f"{line['organization'] or '-'}: {line['count']} due or overdue "
                   f"({line['overdue']} overdue), notice to {line['recipients']} person(s)")
    total = sum(line["count"] for line in report)
    click.echo(f"data requests due or overdue: {total}" + (" (dry run, nothing sent)" if dry_run else ""))


COMMANDS: list = [data_requests]
