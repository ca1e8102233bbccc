"""CLI commands of the application workflow (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

COMMANDS: list = []
