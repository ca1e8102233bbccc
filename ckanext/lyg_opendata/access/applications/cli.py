"""``ckan lyg-opendata applications …`` (COMMANDS are added to ``ckan lyg-opendata``)."""
from __future__ import annotations

import contextlib

import click


@contextlib.contextmanager
def _request(ctx: click.Context):
    """A request context of the CKAN app, for translations, links and the database session."""
    from ckanext.lyg_opendata.clitools import request_scope

    with request_scope(ctx):
        yield


@click.group(short_help="Applications for conditional data (申请): deadline reminders.")
def applications():
    """Applications for conditional data (申请, Art 19)."""


@applications.command("remind")
@click.option("--dry-run", is_flag=True, help="List the reminders that are due, send nothing.")
@click.pass_context
def remind(ctx, dry_run):
    """Remind the agencies of applications whose deadline is near (the configured number of
    working days before it) or has passed; each reminder once per application (notice and
    email to the agency's editors and admins). Run daily (config/crontab)."""
    from ckanext.lyg_opendata.access.applications import reminders

    with _request(ctx):
        report = reminders.send_reminders(dry_run=dry_run)
    for line in report:
        click.echo(f"{line['kind']}: {line['id']} {line['title']} (due {line['due_on']}, "
                   f"{line['days_left']} working days left, {line['recipients']} recipients)")
    click.echo(f"reminders: {len(report)}" + (" (dry run, nothing sent)" if dry_run else ""))


@applications.command("erase-personal-data")
@click.option("--dry-run", is_flag=True, help="List the applications concerned, change nothing.")
@click.pass_context
def erase_personal_data(ctx, dry_run):
    """Erase the contact details of applications whose retention period (the privacy
    notice's ``applications.retention_years`` after the decision or the granted term) is
    over. The record of the decision stays. Run daily (config/crontab)."""
    from ckanext.lyg_opendata.access.applications import reminders

    with _request(ctx):
        ids = reminders.erase_personal_data(dry_run=dry_run)
    for app_id in ids:
        click.echo(f"erased: {app_id}")
    click.echo(f"applications: {len(ids)}" + (" (dry run, nothing changed)" if dry_run else ""))


COMMANDS: list = [applications]
