"""CLI commands of participation (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import remind_command


@click.group("data-requests", short_help="Data requests (数据需求): reminders of answers due.")
def data_requests():
    """Data requests (数据需求, Art 18): reminders to agencies of answers due or overdue."""


data_requests.add_command(remind_command(
    "ckanext.lyg_opendata.participation.reminders", "data requests",
    """Remind each agency of its data requests due within objections.remind_days working days
    or overdue (one notice and mail per agency). Run once a day (config/crontab)."""))


COMMANDS: list = [data_requests]
