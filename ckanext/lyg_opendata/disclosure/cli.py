"""CLI commands of disclosure on application (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import datetime as dt

import click

from ckanext.lyg_opendata.clitools import request_scope


@click.group(short_help="Disclosure on application (依申请公开): reminders.")
def disclosure():
    """Disclosure on application (依申请公开): reminders of answers due or overdue."""


@disclosure.command("remind")
@click.option("--today", default=None, help="Take this Beijing day as today (YYYY-MM-DD; testing).")
@click.option("--dry-run", is_flag=True, help="List what is due, send nothing.")
@click.pass_context
def remind(ctx, today, dry_run):
    """Remind each agency of its applications due within 3 working days or overdue, and the
    supervisors of the overdue ones (once a day each). Run daily (config/crontab)."""
    from ckanext.lyg_opendata.disclosure import reminders
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
    click.echo(f"applications for disclosure due or overdue: {total}"
               + (" (dry run, nothing sent)" if dry_run else ""))


COMMANDS: list = [disclosure]
