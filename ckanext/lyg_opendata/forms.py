"""What every page of the portal does with its visitor, its read action, a posted form and
a ValidationError: the context, 404/403 pages, field errors, flash messages.

CKAN's form macros (``macros/form/*.html``) take a field's error as a *list* and join it; a
plain string would be shown one character at a time ("请, 填, 写"). ``field_errors`` gives
the lists; a template that prints an error itself joins it (``errors.x|join('；')``).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional

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


def context() -> dict:
    """The action context of the signed-in visitor (an empty user name when anonymous)."""
    user = tk.current_user
    return {"user": user.name if user and user.is_authenticated else ""}


def can(auth_name: str, data_dict: Optional[dict] = None) -> bool:
    """Whether the visitor passes ``auth_name`` (to show a form only to whoever may use it)."""
    try:
        tk.check_access(auth_name, context(), data_dict or {})
        return True
    except tk.NotAuthorized:
        return False


def show(action: str, data_dict: dict, not_found: str) -> dict:
    """The result of a read action; the 404 page (``not_found``, translated) or the 403 page
    with the refusal otherwise. The ids come from the page's address: one the action refuses
    as input (a NUL character, which the actions' input guard rejects) names nothing, 404."""
    try:
        return tk.get_action(action)(context(), data_dict)
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, not_found)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))


def dataset(id: str) -> dict:
    """The dataset a tab or form is about; 404/403 pages when it is absent or not visible."""
    try:
        return tk.get_action("package_show")(context(), {"id": id})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You cannot see this dataset"))


def filled(fields: Iterable[str], form: Optional[Mapping] = None) -> dict:
    """The posted ``fields`` that are not empty (an empty field is as if not sent)."""
    form = tk.request.form if form is None else form
    return {f: form.get(f) for f in fields if form.get(f, "") != ""}


def upload(name: str) -> Any:
    """The uploaded file of the form field ``name``, or None when none was chosen."""
    f = tk.request.files.get(name)
    return f if f is not None and f.filename else None


def submit(action: str, payload: dict) -> tuple[Any, dict[str, list[str]]]:
    """Run a form's create action: ``(result, {})``, or ``(None, field errors)`` to show the
    form again; the 403 page when the visitor may not."""
    try:
        return tk.get_action(action)(context(), payload), {}
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e)), {}
    except tk.ValidationError as e:
        return None, field_errors(e)


def run(action: str, data: dict, done: str,
        describe: Callable[[tk.ValidationError], str] = error_text) -> bool:
    """Run a transition posted from a page: flash ``done`` (translated here) on success, the
    errors (``describe``) on a refusal; the 403/404 pages when the visitor may not or the
    record is gone. The caller redirects back to the record's page."""
    try:
        tk.get_action(action)(context(), data)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    except tk.ValidationError as e:
        tk.h.flash_error(describe(e))
        return False
    tk.h.flash_success(tk._(done))
    return True
