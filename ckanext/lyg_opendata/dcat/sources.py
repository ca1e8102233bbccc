"""A harvest source's configuration and the harvest settings: the source's JSON configuration
(``{"trusted": true}``: its imports are published without review, docs/dcat.md), the
download size limit and the share of a source's entries one sync may delete."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

TRUSTED = "trusted"


def source_config(source) -> dict:
    try:
        config = json.loads(source.config or "{}")
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def is_trusted(source) -> bool:
    return source_config(source).get(TRUSTED) is True


def max_size_mb() -> int:
    return tk.config.get("ckanext.dcat.max_file_size")


def max_delete_share() -> float:
    return float(tk.config.get("ckanext.lyg_opendata.harvest.max_delete_share"))
