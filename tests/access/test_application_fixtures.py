"""Moved to tests/access/conftest.py (pytest finds the fixtures there); this module
re-exports its names for the imports not yet updated."""
from tests.access.conftest import *  # noqa: F401,F403
