"""CKAN ckan.tests.logic.auth.test_create, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckan.tests.logic.auth.test_create import *  # noqa: F401,F403
