"""Workflows have one shape: a row with a status and an events table (who, when, from, to,
reason). How an event row is given out, whatever the workflow."""
from __future__ import annotations

from typing import Any, Callable

import ckan.model as model


def event_dict(event: Any, label: Callable[[str], str], **subject: str) -> dict[str, Any]:
    """An event row as the API gives it; ``subject`` names what it belongs to
    (``package_id=…``, ``application_id=…``)."""
    actor = model.Session.get(model.User, event.actor_id) if event.actor_id else None
    return {
        "id": event.id, **subject, "action": event.action,
        "action_label": label(event.action),
        "from_status": event.from_status, "to_status": event.to_status,
        "reason": event.reason, "data": event.data,
        "actor": actor.name if actor else None,
        "actor_display_name": actor.display_name if actor else None,
        "created": event.created.isoformat(),
    }
