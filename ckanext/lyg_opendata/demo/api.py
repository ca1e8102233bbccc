"""How the demo loader calls CKAN: the action API as the site user or a named user
(auth ignored), and whether something of that name exists already."""
from __future__ import annotations

from typing import Any, Callable


import ckan.model as model
import ckan.plugins.toolkit as tk


Progress = Callable[[str], None]


def context(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": True}


def site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)({"ignore_auth": True}, {"id": name})
        return True
    except tk.ObjectNotFound:
        return False


def act(action: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    """An objection action as ``user`` (their own rights: the agency's clerk for handling)."""
    return tk.get_action(action)({"user": user, "model": model}, data)
