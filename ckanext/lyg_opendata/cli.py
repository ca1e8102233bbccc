"""``ckan lyg-opendata …`` commands (registered with ``tk.blanket.cli``)."""
from __future__ import annotations

import click

__all__ = ["lyg_opendata"]


@click.group(name="lyg-opendata", short_help="连云港市公共数据开放平台 commands")
def lyg_opendata():
    pass


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
def demo_load(synthetic, admin, admin_email, admin_password_file):
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
    counts = loader.load(synthetic=synthetic, progress=click.echo, password=password)
    click.echo("demo content: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))

