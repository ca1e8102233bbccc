"""CLI commands of account security (COMMANDS are added to ``ckan lyg-opendata``):
``identity totp-key``, ``identity totp-rotate``, ``identity unlock``."""
from __future__ import annotations

import click


@click.group(short_help="Account security: TOTP keys, sign-in locks")
def identity():
    """Account security (docs/identity-security.md)."""


@identity.command("totp-key")
def totp_key():
    """Print a new key for ckanext.lyg_opendata.identity.totp.encryption_keys."""
    from ckanext.lyg_opendata.identity.security import secretbox
    click.echo(secretbox.new_key())


@identity.command("totp-rotate")
@click.option("--dry-run", is_flag=True, help="Count, change nothing.")
def totp_rotate(dry_run):
    """Re-encrypt every stored TOTP secret with the first configured key (after a new key
    was put first in encryption_keys; the old key can be removed afterwards)."""
    from ckanext.lyg_opendata.identity.security import totp
    try:
        done = totp.rotate_secrets(dry_run=dry_run)
    except Exception as err:  # a key missing or wrong: say which, change nothing
        raise click.ClickException(str(err))
    click.echo(f"secrets re-encrypted: {done}" + (" (dry run)" if dry_run else ""))


@identity.command("unlock")
@click.option("--login", help="The account (name or email) to unlock.")
@click.option("--address", help="The client address to unlock.")
def unlock(login, address):
    """Lift a sign-in lock (failed sign-ins) before it ends by itself."""
    if not login and not address:
        raise click.UsageError("give --login or --address")
    from ckanext.lyg_opendata.identity.security import throttle
    throttle.unlock(login=login, address=address)
    click.echo("unlocked")


COMMANDS = [identity]
