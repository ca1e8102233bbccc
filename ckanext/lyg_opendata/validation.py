"""Validating an action's input: CKAN's navl schemas, and one way to turn their errors into a
field-level ``ValidationError`` (every field's messages at once)."""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

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
