"""CLI commands of grants and usage reports (COMMANDS are added to `ckan lyg-opendata`)."""
from __future__ import annotations

COMMANDS: list = []
