"""CLI commands of disclosure on application (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import remind_command


@click.group(short_help="Disclosure on application (依申请公开): daily jobs.")
def disclosure():
    """Disclosure on application (依申请公开): reminders of answers due or overdue,
    applications not amended in time, the applicants' personal data after retention."""


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


@disclosure.command("lapse")
@click.option("--dry-run", is_flag=True, help="List the applications concerned, change nothing.")
@click.pass_context
def lapse(ctx, dry_run):
    """Close the applications not amended in time (补正): deemed withdrawn (条例 Art 30); the
    applicant and the agency are told. Today is the Beijing day; one run at a time. Run
    daily (config/crontab)."""
    from ckanext.lyg_opendata.clitools import once_a_day, request_scope
    from ckanext.lyg_opendata.disclosure import lapse as lapsing
    from ckanext.lyg_opendata.workdays import today_beijing

    with request_scope(ctx):
        if dry_run:
            lines = lapsing.run(dry_run=True, progress=click.echo)
        else:
            # the lock only: a second run the same day finds nothing left to close
            with once_a_day("ckanext.lyg_opendata.disclosure.lapse", today_beijing()) as state:
                if state == "busy":
                    click.echo("applications not amended in time: another run is closing them; "
                               "nothing done")
                    return
                lines = lapsing.run(progress=click.echo)
    closed = sum(1 for line in lines if line["closed"])
    click.echo(f"applications not amended in time: {len(lines)}, closed as withdrawn: {closed}"
               + (" (dry run, nothing changed)" if dry_run else ""))


@disclosure.command("reindex-catalog")
@click.pass_context
def reindex_catalog(ctx):
    """Write every published entry of the proactive disclosure catalog (主动公开) into the Solr
    index again and remove the documents of entries unpublished or gone since. Run after
    `ckan search-index clear` or a rebuilt Solr core; safe to run at any time."""
    from ckanext.lyg_opendata.clitools import request_scope
    from ckanext.lyg_opendata.disclosure.proactive import search

    def progress(done: int, total: int) -> None:
        click.echo(f"indexed {done}/{total}")

    with request_scope(ctx):
        result = search.reindex(progress)
    click.echo(f"government information entries indexed: {result['indexed']}, removed from the "
               f"index: {result['removed']}")


COMMANDS: list = [disclosure]
