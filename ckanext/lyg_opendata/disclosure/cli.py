"""CLI commands of disclosure on application (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import remind_command


@click.group(short_help="Disclosure on application (依申请公开): reminders.")
def disclosure():
    """Disclosure on application (依申请公开): reminders of answers due or overdue."""


disclosure.add_command(remind_command(
    "ckanext.lyg_opendata.disclosure.reminders", "applications for disclosure",
    """Remind each agency of its applications due within 3 working days or overdue, and the
    supervisors of the overdue ones (once a day each). Run daily (config/crontab)."""))


@disclosure.command("erase-personal-data")
@click.option("--dry-run", is_flag=True, help="List the applications concerned, change nothing.")
@click.option("--today", help="The day to count from (YYYY-MM-DD; default: today, Beijing).")
@click.pass_context
def erase_personal_data(ctx, dry_run, today):
    """Pseudonymise the applicants of applications answered or withdrawn longer ago than
    ``ckanext.lyg_opendata.disclosure.retention_years`` (docs/disclosure.md "Retention").
    Run daily (config/crontab)."""
    from ckanext.lyg_opendata.clitools import parse_day, request_scope
    from ckanext.lyg_opendata.disclosure import retention

    with request_scope(ctx):
        numbers = retention.erase(parse_day(today), dry_run=dry_run, progress=click.echo)
    click.echo(f"applications: {len(numbers)}" + (" (dry run, nothing changed)" if dry_run else ""))


COMMANDS: list = [disclosure]
