"""The WSGI application ``make run`` serves with gunicorn (scripts/dev.sh): CKAN on the
config file named by ``CKAN_INI``. Each gunicorn worker builds its own app; nothing is
shared between them in memory (sessions are signed cookies, caches live in Redis or the
database), so any number of workers — or of machines behind a load balancer — serve alike."""
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

application = make_app(load_config(os.environ["CKAN_INI"]))
