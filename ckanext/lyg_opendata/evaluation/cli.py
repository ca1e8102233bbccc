"""``ckan lyg-opendata quality …``: the quality scores of the datasets and the link checker
(cron: check the links nightly, compute the scores after them)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata.clitools import parse_day, remind_command, request_scope


@click.group(short_help="Quality scores of the datasets and the link checker.")
def quality():
    """Quality scores (evaluation/quality.py) and the link checker (evaluation/linkcheck.py)."""


@quality.command("check-links")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per request.")
@click.option("--per-host-interval", default=1.0, show_default=True,
              help="Seconds between two requests to the same host.")
@click.pass_context
def check_links(ctx, timeout, per_host_interval):
    """Ask every resource address of the published datasets whether it answers."""
    from ckanext.lyg_opendata.evaluation import linkcheck
    with request_scope(ctx):
        todo = linkcheck.targets()
        click.echo(f"{len(todo)} address(es) to check")
        with click.progressbar(length=len(todo), label="checking") as bar:
            done = {"n": 0}

            def progress(i):
                bar.update(i - done["n"])
                done["n"] = i
            results = linkcheck.check_all(todo, timeout=timeout,
                                          per_host_interval=per_host_interval,
                                          progress=progress)
        linkcheck.store(results)
    bad = sum(1 for a in results.values() if not a["ok"])
    click.echo(f"checked {len(results)}, unreachable {bad}")


@quality.command("compute")
@click.option("--today", default=None, help="Take this Beijing day as today (YYYY-MM-DD).")
@click.option("--no-index", is_flag=True, help="Do not re-index the changed datasets.")
@click.pass_context
def compute(ctx, today, no_index):
    """Score every published dataset; store this month's scores; re-index the changed ones."""
    from ckanext.lyg_opendata.evaluation import quality as scores
    day = parse_day(today)
    with request_scope(ctx):
        def progress(done, total):
            click.echo(f"scored {done}/{total}")
        result = scores.compute(progress=progress, today=day)
        indexed = 0 if no_index else scores.reindex(result["changed"])
    click.echo(f"{result['scored']} dataset(s) scored for {result['month']}; "
               f"{len(result['changed'])} changed, {indexed} re-indexed")


@click.group(short_help="Rectification notices (通知整改, Art 39): reminders.")
def rectifications():
    """Rectification notices (通知整改, Art 39): reminders of responses due or overdue."""


rectifications.add_command(remind_command(
    "ckanext.lyg_opendata.evaluation.reminders", "rectification notices",
    """Remind each agency of its rectification notices due within 3 working days or overdue,
    and the supervisors of the overdue ones (once a day each). Run daily (config/crontab)."""))


COMMANDS = [quality, rectifications]
