"""CKAN ckan.tests.logic.auth.test_update, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckan.tests.logic.auth.test_update import *  # noqa: F401,F403
