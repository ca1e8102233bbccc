"""``ckan lyg-opendata calendar …``: load, show and list the years of the working-day
calendar (added to the ``lyg-opendata`` group in cli.py)."""
from __future__ import annotations

import contextlib
import os

import click


@contextlib.contextmanager
def _request(ctx: click.Context):
    """A request context of the CKAN app, for translations and the database session."""
    from ckanext.lyg_opendata.clitools import request_scope

    with request_scope(ctx):
        yield


def _fail(errors):
    raise click.ClickException("\n".join(errors))


@click.group(short_help="The working-day calendar (工作日): load and show years.")
def calendar():
    """The working-day calendar (工作日): the years whose holidays and makeup working days
    (调休) are loaded. A deadline in a year that is not loaded is provisional."""


@calendar.command("load")
@click.argument("year", type=int, required=False)
@click.option("--from-library", is_flag=True,
              help="Take the year from the chinesecalendar library (the default without --file).")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
              help="A CSV file date,kind,name (kind: holiday or workday) of the year, "
                   "written from the State Council's notice.")
@click.option("--source", default=None,
              help="Where the schedule comes from, e.g. the notice's number (default: the "
                   "file's or the library's name).")
@click.option("--replace", is_flag=True, help="Replace the year if it is already loaded.")
@click.option("--all-known", is_flag=True,
              help="With --from-library and no YEAR: every year the library knows.")
@click.option("--skip-loaded", is_flag=True,
              help="Leave a year that is already loaded as it is instead of failing.")
@click.pass_context
def load(ctx, year, from_library, path, source, replace, all_known, skip_loaded):
    """Load YEAR's holidays and makeup working days, in one transaction."""
    from ckanext.lyg_opendata.workdays import loader
    import ckan.plugins.toolkit as tk
    _ = tk._

    if from_library and path:
        raise click.UsageError("--from-library and --file exclude each other")
    if all_known and (path or year is not None):
        raise click.UsageError("--all-known takes no YEAR and no --file")
    if year is None and not all_known:
        raise click.UsageError("give a YEAR (or --all-known with --from-library)")
    if replace and skip_loaded:
        raise click.UsageError("--replace and --skip-loaded exclude each other")
    with _request(ctx):
        try:
            years = loader.library_years() if all_known else [loader.check_year(year)]
            data = None
            if path:
                with open(path, "rb") as f:
                    data = f.read()
            loaded, skipped = [], []
            for one in years:
                try:
                    if data is not None:
                        summary = loader.load_csv(one, data, source or f"file {os.path.basename(path)}",
                                                  replace=replace)
                    else:
                        days = loader.library_days(one)
                        summary = loader.store(
                            one, days, source or f"{loader.LIBRARY} {loader.library_version()}",
                            replace=replace)
                    loaded.append(one)
                    if not all_known:
                        click.echo(_("{year} loaded from {source}: {holidays} holidays, "
                                     "{workdays} makeup working days").format(**summary))
                except loader.AlreadyLoaded:
                    if not skip_loaded:
                        raise
                    skipped.append(one)
                    if not all_known:
                        click.echo(_("{year} is already loaded, left as it is").format(year=one))
            if all_known:
                click.echo(_("working-day calendar from {library}: {loaded} years loaded, "
                             "{skipped} already loaded ({first}–{last})").format(
                    library=loader.LIBRARY, loaded=len(loaded), skipped=len(skipped),
                    first=years[0], last=years[-1]))
        except loader.LoadError as e:
            _fail(e.errors)


@calendar.command("show")
@click.argument("year", type=int)
@click.option("--csv", "as_csv", is_flag=True,
              help="Print the year as a CSV file that `load --file` reads (e.g. as the "
                   "start of next year's file).")
@click.pass_context
def show(ctx, year, as_csv):
    """Show YEAR's holidays and makeup working days."""
    import ckan.plugins.toolkit as tk
    from ckanext.lyg_opendata.workdays import labels, loader
    _ = tk._

    with _request(ctx):
        summary = loader.year_summary(year)
        if summary is None:
            _fail([_("{year} is not loaded: deadlines in it are provisional "
                     "(weekends only)").format(year=year)])
        days = loader.year_days(year)
        if as_csv:
            click.echo(loader.to_csv(days), nl=False)
            return
        click.echo(_("{year}: {source}, loaded {loaded_at} by {by}; {holidays} holidays, "
                     "{workdays} makeup working days").format(
            by=summary["loaded_by"] or "-", **summary))
        for day in days:
            click.echo(f"{day.date.isoformat()}  {labels.weekday_label(day.date)}  "
                       f"{labels.kind_label(day.kind)}  {day.name}")


@calendar.command("years")
@click.pass_context
def years(ctx):
    """List the loaded years."""
    import ckan.plugins.toolkit as tk
    from ckanext.lyg_opendata.workdays import loader
    _ = tk._

    with _request(ctx):
        summaries = loader.year_summaries()
        for s in summaries:
            click.echo(_("{year}  {holidays} holidays, {workdays} makeup working days  "
                         "{source}  loaded {loaded_at} by {by}").format(
                by=s["loaded_by"] or "-", **s))
        if not summaries:
            click.echo(_("No year is loaded: every deadline is provisional (weekends only)."))
        known = loader.library_years()
        click.echo(_("Deadlines in other years are provisional. {library} {version} knows "
                     "{first}–{last}.").format(library=loader.LIBRARY,
                                                version=loader.library_version(),
                                                first=known[0], last=known[-1]))


COMMANDS: list = [calendar]
