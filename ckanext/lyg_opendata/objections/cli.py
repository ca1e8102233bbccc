"""CLI commands of objections (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import remind_command


@click.group(short_help="Objections (异议): reminders of answers due.")
def objections():
    """Objections (异议, Art 20): reminders to agencies of answers due or overdue."""


objections.add_command(remind_command(
    "ckanext.lyg_opendata.objections.reminders", "objections",
    """Remind each agency of its objections due within objections.remind_days working days
    or overdue (one notice and mail per agency a day). Run daily (config/crontab)."""))


COMMANDS: list = [objections]
