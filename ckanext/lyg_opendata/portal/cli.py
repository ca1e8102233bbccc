"""CLI of the portal's face (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import request_scope


@click.group(short_help="The portal's public face: home page figures.")
def portal():
    """The portal's public face."""


@portal.command("refresh-figures")
@click.pass_context
def refresh_figures(ctx):
    """Recompute the home page and statistics page figures and cache them in Redis
    (run every few minutes from config/crontab; the cache also expires by itself)."""
    from ckanext.lyg_opendata.portal import figures
    with request_scope(ctx):
        result = figures.refresh()
        figures.stats_refresh()
    click.echo(f"datasets {result['datasets']}, agencies {result['agencies']}, "
               f"resources {result['resources']}, downloads {result['downloads']}, "
               f"API calls {result['api_calls']}")


COMMANDS = [portal]
