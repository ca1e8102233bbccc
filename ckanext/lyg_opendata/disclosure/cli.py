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


COMMANDS: list = [disclosure]
