"""Enforcement of the access rules of conditional data (Art 17, 19, 21) on every surface; the
rules themselves are ``access.rights`` (who may use what) and ``access.redaction`` (what the
others get). ``action``: the chained core actions; ``activity``: the activity stream's
chains; ``auth``: the chained core auth functions (files, DataStore); ``guard``: the
download guard run before every request."""
