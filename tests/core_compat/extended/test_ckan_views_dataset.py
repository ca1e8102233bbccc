"""CKAN ckan.tests.controllers.test_package, from the installed wheel, against the project's plugins (see conftest.py)."""
from ckan.tests.controllers.test_package import *  # noqa: F401,F403
