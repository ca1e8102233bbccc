"""CKAN ckan.tests.logic.action.test_update, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckan.tests.logic.action.test_update import *  # noqa: F401,F403
