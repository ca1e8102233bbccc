"""The ``ckan lyg-opendata`` group and its plugin-wide commands (demo, freshness); each
domain's commands are added to it from registry.py (``tk.blanket.cli``)."""
from __future__ import annotations

import click

from ckanext.lyg_opendata import registry
from ckanext.lyg_opendata.clitools import request_scope

__all__ = ["lyg_opendata"]


@click.group(name="lyg-opendata", short_help="连云港市公共数据开放平台 commands")
@click.pass_context
def lyg_opendata(ctx):
    # every command runs in a request context of the app: what it writes (notices, emails,
    # output) is in the portal's default language, not English
    ctx.with_resource(request_scope(ctx))


for _command in registry.commands():
    lyg_opendata.add_command(_command)


@lyg_opendata.group()
def demo():
    """Demo content for the development portal."""


@demo.command("load")
@click.option("--synthetic", type=click.IntRange(min=0), default=0,
              help="Also create N generated datasets (for benchmarks).")
@click.option("--admin", default="admin", show_default=True, help="Sysadmin user name.")
@click.option("--admin-email", default="admin@example.invalid", show_default=True)
@click.option("--admin-password-file", type=click.Path(dir_okay=False),
              help="File holding the sysadmin's password (created with a random one "
                   "if missing). Without it no sysadmin is created.")
@click.pass_context
def demo_load(ctx, synthetic, admin, admin_email, admin_password_file):
    """Create the sysadmin, the agencies and the demo datasets (idempotent)."""
    import os
    import secrets

    from ckanext.lyg_opendata.demo import loader

    if admin_password_file:
        if os.path.exists(admin_password_file):
            with open(admin_password_file, encoding="utf-8") as f:
                password = f.read().strip()
        else:
            password = secrets.token_urlsafe(12)
            with open(os.open(admin_password_file, os.O_WRONLY | os.O_CREAT, 0o600),
                      "w", encoding="utf-8") as f:
                f.write(password + "\n")
        created = loader.ensure_sysadmin(admin, admin_email, password)
        click.echo(f"sysadmin {admin}: {'created' if created else 'exists'}"
                   f" (password in {admin_password_file})")
    else:
        password = None
    # the workflows' notices and emails are written in the portal's language
    with request_scope(ctx):
        counts = loader.load(synthetic=synthetic, progress=click.echo, password=password)
    click.echo("demo content: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))


@lyg_opendata.group()
def freshness():
    """Freshness of the catalog (Art 15, 39): reminders of overdue updates."""


@freshness.command("notify")
@click.option("--organization", default=None,
              help="Only this agency (name or id); default: every agency.")
@click.option("--dry-run", is_flag=True, help="List the overdue entries, send no mail.")
@click.pass_context
def freshness_notify(ctx, organization, dry_run):
    """Email each agency's editors and admins the list of its overdue entries (through the
    job worker). Run daily (config/crontab)."""
    import ckan.model as model

    from ckanext.lyg_opendata.catalog import freshness as logic

    with request_scope(ctx):
        org_id = None
        if organization:
            org = model.Group.get(organization)
            if org is None or not org.is_organization:
                raise click.BadParameter(f"no organization {organization!r}",
                                         param_hint="--organization")
            org_id = org.id
        if dry_run:
            groups = logic.overdue_by_organization(org_id)
            for group in groups:
                click.echo(f"{group['name']}: {group['count']} overdue")
                for entry in group["datasets"]:
                    click.echo(f"  {entry['name']} (due {entry['due_day']})")
            click.echo(f"overdue entries: {sum(g['count'] for g in groups)} (dry run, no mail)")
            return
        report = logic.notify_overdue(org_id)
        for line in report:
            click.echo(f"{line['organization']}: {line['count']} overdue, "
                       f"mail to {line['recipients']} editor(s)")
        click.echo(f"agencies reminded: {sum(1 for r in report if r['recipients'])}, "
                   f"overdue entries: {sum(r['count'] for r in report)}")
