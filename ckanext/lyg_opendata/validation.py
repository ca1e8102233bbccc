"""Validating an action's input: CKAN's navl schemas, and one way to turn their errors into a
field-level ``ValidationError`` (every field's messages at once)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Mapping, Optional

import ckan.plugins.toolkit as tk

_ = tk._


def validate(data_dict: Any, schema: dict,
             cross: Optional[Callable[[dict], Mapping[str, list]]] = None) -> dict[str, Any]:
    """The validated data; a field-level ``ValidationError`` otherwise.

    ``cross(data)`` checks the rules across fields; its errors are added for the fields that
    have none of their own. A body that is not an object is an error of its own (``data``)."""
    if data_dict is None:
        data_dict = {}
    if not isinstance(data_dict, dict):
        raise tk.ValidationError({"data": [_("Send the fields as an object")]})
    data, errors = tk.navl_validate(dict(data_dict), schema)
    errors = {key: messages for key, messages in errors.items() if messages}
    if cross is not None:
        errors.update({key: messages for key, messages in cross(data).items()
                       if key not in errors})
    if errors:
        raise tk.ValidationError(errors)
    return data


def one_of(choices: Iterable[str], shown: Optional[Callable[[str], str]] = None):
    """A validator: the value is one of ``choices``, else "Choose one of: a, b" listing the
    choices (or ``shown(choice)`` of each, e.g. its label). CKAN's ``one_of`` with this
    portal's message."""
    choices = tuple(choices)

    def validator(value: Any, context) -> Any:
        if value not in choices:
            listed = [shown(c) for c in choices] if shown else choices
            raise tk.Invalid(_("Choose one of: %s") % ", ".join(listed))
        return value
    return validator


def iso_date(value: Any, context) -> dt.date:
    """A day, ``YYYY-MM-DD`` (a date or datetime passes as its day); registered as the
    validator ``lyg_opendata_date``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise tk.Invalid(_("Enter a date as YYYY-MM-DD"))


def boolean(value: Any, context) -> bool:
    """A validator: true or false, from a bool or a form's text (true/false, 1/0, yes/no,
    on/off; empty is false), else "Give true or false". CKAN's ``boolean_validator`` turns
    anything it does not know into false; this one says so."""
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    low = str(value).strip().lower()
    if low in ("true", "1", "yes", "on"):
        return True
    if low in ("false", "0", "no", "off"):
        return False
    raise tk.Invalid(_("Give true or false"))


def whole_number(low: int, high: int, invalid: Callable[[], str],
                 out_of_range: Optional[Callable[[], str]] = None):
    """A validator: a whole number written in digits (an int, or its text; a bool, a float or
    a list is refused) from ``low`` to ``high``, returned as an int. ``invalid()`` and
    ``out_of_range()`` give the translated messages (the second defaults to the first): each
    field keeps its own wording (working days, a year, a score)."""
    def validator(value: Any, context) -> int:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise tk.Invalid(invalid())
        if not low <= number <= high:
            raise tk.Invalid((out_of_range or invalid)())
        return number
    return validator


def min_length(n: int):
    """A validator: at least ``n`` characters once stripped (the stripped text is kept)."""
    def validator(value: Any, context) -> str:
        text = str(value).strip() if value is not None else ""
        if len(text) < n:
            raise tk.Invalid(_("Please write at least %d characters") % n)
        return text
    return validator


def max_length(n: int):
    """A validator: at most ``n`` characters."""
    def validator(value: Any, context) -> Any:
        if value and len(value) > n:
            raise tk.Invalid(_("Please write at most %d characters") % n)
        return value
    return validator
