"""CLI commands of participation (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import remind_command, request_scope


@click.group("data-requests", short_help="Data requests (数据需求): reminders of answers due.")
def data_requests():
    """Data requests (数据需求, Art 18): reminders to agencies of answers due or overdue."""


data_requests.add_command(remind_command(
    "ckanext.lyg_opendata.participation.reminders", "data requests",
    """Remind each agency of its data requests due within objections.remind_days working days
    or overdue (one notice and mail per agency). Run once a day (config/crontab)."""))


@data_requests.command("reindex")
@click.pass_context
def reindex(ctx):
    """Write every data request into the Solr index again (not the withdrawn and hidden ones)
    and remove the documents of requests gone since. Run after `ckan search-index clear` or
    a rebuilt Solr core; safe to run at any time."""
    from ckanext.lyg_opendata.participation import search

    def progress(done: int, total: int) -> None:
        click.echo(f"indexed {done}/{total}")

    with request_scope(ctx):
        result = search.reindex(progress)
    click.echo(f"data requests indexed: {result['indexed']}, removed from the index: "
               f"{result['removed']}")


COMMANDS: list = [data_requests]
