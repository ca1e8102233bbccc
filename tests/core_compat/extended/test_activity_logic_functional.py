"""CKAN ckanext.activity.tests.logic.test_functional, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckanext.activity.tests.logic.test_functional import *  # noqa: F401,F403
from ckanext.activity.tests.conftest import activity, activity_factory  # noqa: F401
