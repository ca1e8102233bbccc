"""Malformed input gives a field error, never an HTTP 500 (issue 11), where CKAN itself
would stop with an unhandled exception. Found by the fuzzer (tests/security/fuzzing.py).

- ``limit_to_configured_maximum`` replaces core's validator of that name (IValidators: a
  plugin's validator of a core name is the one every schema gets, core's package_search
  ``rows`` and activity-list ``limit`` as ours): core's ``int()`` lets a list, a dict or an
  infinite number through as TypeError/OverflowError, even after ``natural_number_validator``
  refused the value (navl runs every validator of a field).
- ``natural_number_validator`` replaces core's (the same way): core's compares the result of
  ``int_validator`` with 0, and that is None for an empty or blank text (a TypeError, found by
  the fuzzer in a ``limit`` of ``""``); here an empty text is not a natural number.
- ``guard_core_actions`` wraps the core actions the extension chains: a few parameters
  core uses without checking their type (``TEXT_OR_TEXT_LIST``, ``WHOLE_NUMBERS``), a text
  with a NUL
  character (PostgreSQL refuses it in any text: ``ValueError``), or an identifier
  (``id``, ``*_id``) that is not text (``{"id": 3}``: ``text = integer``; a list: unhashable)
  is a field error before core reads it.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan.lib.navl import validators as navl

_ = tk._

__all__ = ["limit_to_configured_maximum", "natural_number_validator"]


def limit_to_configured_maximum(config_option: str, default_limit: int) -> Callable[..., Any]:
    core = navl.limit_to_configured_maximum(config_option, default_limit)

    def validator(value: Any) -> Any:
        try:
            return core(value)
        except (TypeError, OverflowError):
            raise tk.Invalid(_("Must be a whole number"))
    return validator


def natural_number_validator(value: Any, context: Any) -> Any:
    number = tk.get_validator("int_validator")(value, context)
    if number is None or number < 0:
        raise tk.Invalid(_("Must be a natural number"))
    return number


def _identifier_key(key: Any) -> bool:
    return isinstance(key, str) and (key == "id" or key.endswith("_id"))


# parameters of core actions that core joins as text without checking it is text
TEXT_OR_TEXT_LIST = {"package_search": ("fl",)}
# numbers that reach core's int() unchecked: the DataStore's schema took core's
# limit_to_configured_maximum when it was imported, before this plugin's replaced it
WHOLE_NUMBERS = {"datastore_search": ("limit", "offset")}


def _whole_number_like(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (int, str))


def _text_or_text_list(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value))


def _nul_fields(data_dict: Any, prefix: str = "") -> list[str]:
    found = []
    if isinstance(data_dict, dict):
        for key, value in data_dict.items():
            found += _nul_fields(value, prefix or str(key))
    elif isinstance(data_dict, (list, tuple)):
        for value in data_dict:
            found += _nul_fields(value, prefix)
    elif isinstance(data_dict, str) and "\x00" in data_dict:
        found.append(prefix or "data")
    return found


def input_errors(data_dict: Any, action: str = "",
                 identifiers: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """The field errors of an action's input that would otherwise be a 500;
    ``identifiers``: more keys that name an object (beside ``id`` and ``*_id``)."""
    if not isinstance(data_dict, dict):
        return {}
    errors: dict[str, list[str]] = {}
    for key in TEXT_OR_TEXT_LIST.get(action, ()):
        if data_dict.get(key) not in (None, "") and not _text_or_text_list(data_dict[key]):
            errors[key] = [_("Must be a text or a list of texts")]
    for key in WHOLE_NUMBERS.get(action, ()):
        if data_dict.get(key) is not None and not _whole_number_like(data_dict[key]):
            errors[key] = [_("Must be a whole number")]
    for key in _nul_fields(data_dict):
        errors[key] = [_("Text may not contain the control character NUL (\\0)")]
    for key, value in data_dict.items():
        if (_identifier_key(key) or key in identifiers) and value is not None \
                and not isinstance(value, str) \
                and key not in errors:
            errors[key] = [_("Must be text: the id or name of an object")]
    return errors


def _core_row_ids(data_dict: Any) -> Any:
    """Core's own bulk actions and ``organization_purge`` call ``package_patch`` with each id
    as a one-column SQLAlchemy row (``Session.query(Package.id)``), which core reads as a
    key: such an id is its text (no request can send a row)."""
    from sqlalchemy.engine import Row
    if not isinstance(data_dict, dict):
        return data_dict
    rows = {key: value[0] for key, value in data_dict.items()
            if _identifier_key(key) and isinstance(value, Row) and len(value) == 1
            and isinstance(value[0], str)}
    return {**data_dict, **rows} if rows else data_dict


def guard(name: str, action: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a chained core action (``next_, context, data_dict``)."""
    @functools.wraps(action)
    def wrapper(next_, context, data_dict):
        data_dict = _core_row_ids(data_dict)
        errors = input_errors(data_dict, name)
        if errors:
            raise tk.ValidationError(errors)
        return action(next_, context, data_dict)
    return wrapper


def guarded(actions: dict[str, Any]) -> dict[str, Any]:
    """The actions, each chained core one wrapped in ``guard`` (registry.py)."""
    return {name: guard(name, fn) if not name.startswith("lyg_opendata_")
            and getattr(fn, "chained_action", False) else fn
            for name, fn in actions.items()}
