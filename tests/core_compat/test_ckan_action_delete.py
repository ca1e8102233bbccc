"""CKAN ckan.tests.logic.action.test_delete, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckan.tests.logic.action.test_delete import *  # noqa: F401,F403
