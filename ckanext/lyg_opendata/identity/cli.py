"""CLI commands of account security (COMMANDS are added to ``ckan lyg-opendata``):
``identity totp-key``, ``identity totp-rotate``, ``identity unlock``,
``identity purge-addresses``."""
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


@identity.command("purge-addresses")
@click.option("--dry-run", is_flag=True, help="Count the entries concerned, change nothing.")
@click.option("--today", help="The Beijing day to count from (YYYY-MM-DD; default: today).")
@click.pass_context
def purge_addresses(ctx, dry_run, today):
    """Shorten the client addresses (and mask the unknown names typed at failed sign-ins) of
    the security log's entries older than
    ckanext.lyg_opendata.identity.security_log.address_days (at least 183). Run daily
    (config/crontab)."""
    from ckanext.lyg_opendata.clitools import parse_day, request_scope
    from ckanext.lyg_opendata.identity.security import retention

    day = parse_day(today)
    with request_scope(ctx):
        try:
            count = retention.purge(day, dry_run=dry_run)
        except ValueError as err:
            raise click.ClickException(str(err))
        days = retention.address_days()
    click.echo(f"security log entries older than {days} days with a full address or name: "
               f"{count}" + (" (dry run, nothing changed)" if dry_run else " (shortened)"))


COMMANDS = [identity]
