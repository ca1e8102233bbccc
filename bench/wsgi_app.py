"""The WSGI application gunicorn serves in bench/versus_vanilla.py: CKAN on the config file
named by ``CKAN_INI`` (ours or the vanilla portal's)."""
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

application = make_app(load_config(os.environ["CKAN_INI"]))
