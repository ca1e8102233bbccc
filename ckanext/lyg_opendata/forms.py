"""What every form view of the portal does with a ValidationError and an anonymous visitor.

CKAN's form macros (``macros/form/*.html``) take a field's error as a *list* and join it; a
plain string would be shown one character at a time ("请, 填, 写"). ``field_errors`` gives
the lists; a template that prints an error itself joins it (``errors.x|join('；')``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def field_errors(e: tk.ValidationError) -> dict[str, list[str]]:
    """Field -> its messages."""
    out = {}
    for key, msgs in (e.error_dict or {}).items():
        msgs = msgs if isinstance(msgs, list) else [msgs]
        out[key] = [str(m) for m in msgs]
    return out


def error_text(e: tk.ValidationError) -> str:
    """All messages in one line (a flash message, a 400 page)."""
    return "；".join(m for msgs in field_errors(e).values() for m in msgs)


def login_first():
    """To the sign-in page, and back here afterwards."""
    return tk.redirect_to("user.login", came_from=tk.request.full_path.rstrip("?"))
