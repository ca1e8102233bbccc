"""Tables of the access log (Art 21). Schema changes go through alembic
(migration/lyg_opendata, revision 0005_access_log).

The tables have their own ``MetaData``, not CKAN's: CKAN's ``model.repo.delete_all``
(used between tests, and by some maintenance commands) issues ``DELETE`` on every table
it knows, and the database refuses ``DELETE`` on these (see the triggers in the
migration). No foreign keys: the log outlives the users, datasets and organizations it
names, so it stores their ids (and the user's name at the time) as plain text.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

CHANNELS = ("ui", "api", "datastore", "preview")

access_log = sa.Table(
    "lyg_opendata_access_log", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
    sa.Column("created", sa.DateTime, nullable=False),         # UTC, naive, microseconds
    sa.Column("day", sa.Date, nullable=False),                  # Beijing date of ``created``
    sa.Column("user_id", sa.UnicodeText),
    sa.Column("user_name", sa.UnicodeText),                     # at the time of access
    sa.Column("user_fullname", sa.UnicodeText),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("resource_id", sa.UnicodeText),
    sa.Column("org_id", sa.UnicodeText),                        # the dataset's agency then
    sa.Column("channel", sa.UnicodeText, nullable=False),
    sa.Column("ip", sa.UnicodeText),
    sa.Column("user_agent", sa.UnicodeText),
    sa.Column("grant_id", sa.UnicodeText),
    sa.Column("record_hash", sa.String(64), nullable=False),
)

# One row per closed Beijing day from the first record on, empty days included:
# root = hash over the day's record hashes in id order; seal_hash chains it to the
# previous day's seal_hash.
access_log_seal = sa.Table(
    "lyg_opendata_access_log_seal", metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("record_count", sa.Integer, nullable=False),
    sa.Column("first_id", sa.BigInteger),
    sa.Column("last_id", sa.BigInteger),
    sa.Column("root", sa.String(64), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("seal_hash", sa.String(64), nullable=False),
    sa.Column("sealed_at", sa.DateTime, nullable=False),
)

# Each run of ``ckan lyg-opendata audit purge``: days before ``before_day`` are gone;
# their seals stay, so the chain still verifies.
access_log_purge = sa.Table(
    "lyg_opendata_access_log_purge", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
    sa.Column("purged_at", sa.DateTime, nullable=False),
    sa.Column("before_day", sa.Date, nullable=False),
    sa.Column("retention_days", sa.Integer, nullable=False),
    sa.Column("record_count", sa.Integer, nullable=False),
)

# Each time someone was shown the log unmasked (supervisors and sysadmins, with a reason).
access_log_disclosure = sa.Table(
    "lyg_opendata_access_log_disclosure", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("user_id", sa.UnicodeText),
    sa.Column("user_name", sa.UnicodeText),
    sa.Column("reason", sa.UnicodeText, nullable=False),
    sa.Column("how", sa.UnicodeText, nullable=False),           # "api" | "csv"
    sa.Column("filters", JSONB, nullable=False),
)

TABLES = [access_log, access_log_seal, access_log_purge, access_log_disclosure]
