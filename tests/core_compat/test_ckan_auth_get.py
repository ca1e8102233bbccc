"""CKAN ckan.tests.logic.auth.test_get, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckan.tests.logic.auth.test_get import *  # noqa: F401,F403
