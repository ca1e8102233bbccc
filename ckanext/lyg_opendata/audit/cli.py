"""CLI commands of the access log (COMMANDS are added to `ckan lyg-opendata`):
``audit seal`` (daily), ``audit verify``, ``audit purge`` (daily)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.audit import seals as audit_seals


@click.group(short_help="Access log (Art 21): seal, verify, purge")
def audit():
    """The access log of conditional data (Art 21)."""


@audit.command("seal")
def seal_command():
    """Seal every closed Beijing day not sealed yet: its root (a hash over the day's record
    hashes) chained to the previous day's seal. Run daily after midnight (config/crontab)."""
    sealed = audit_seals.seal(progress=click.echo)
    click.echo(f"days sealed: {len(sealed)}, records: {sum(s['record_count'] for s in sealed)}")


@audit.command("verify")
@click.option("--quiet", is_flag=True, help="Only the summary and the problems.")
def verify_command(quiet):
    """Check every record's hash, every sealed day's root and the chain of seals. Exits
    with status 1 and names the first broken record (or day) when anything is wrong."""
    result = audit_seals.verify(progress=(lambda s: None) if quiet else click.echo)
    click.echo(f"records checked: {result.records} ({result.unsealed_records} not sealed yet), "
               f"days sealed: {result.days_sealed}, days purged: {result.days_purged}")
    if result.ok:
        click.echo("access log verified: no record or seal was altered")
        return
    click.echo(f"ACCESS LOG BROKEN: {len(result.problems)} problem(s)", err=True)
    click.echo(f"first broken: {result.problems[0]}", err=True)
    for problem in result.problems[1:20]:
        click.echo(f"  also: {problem}", err=True)
    raise SystemExit(1)


@audit.command("purge")
def purge_command():
    """Seal, then delete the records of days older than
    ckanext.lyg_opendata.access_log.retention_days (at least 183). Run daily."""
    try:
        report = audit_seals.purge(progress=click.echo)
    except ValueError as e:
        raise click.ClickException(str(e))
    click.echo(f"records purged: {report['records']} (days before {report['before_day']}, "
               f"retention {report['retention_days']} days)")


COMMANDS = [audit]
