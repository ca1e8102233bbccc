"""Validators of the catalog schema (schemas/dataset.yaml). Errors are field-level and
translated."""
from __future__ import annotations

import re
from typing import Any

import ckan.lib.helpers as h
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Missing, missing

from ckanext.lyg_opendata import vocab

_ = tk._
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _empty(value: Any) -> bool:
    return value is missing or value is None or isinstance(value, Missing) or \
        (isinstance(value, str) and not value.strip())


def _required_if(open_type: str, message: str):
    def validator(key, data, errors, context):
        value = data.get(key)
        if data.get(("open_type",)) == open_type:
            if _empty(value):
                errors[key].append(message)
                raise tk.StopOnError
        elif _empty(value):
            data.pop(key, None)
            raise tk.StopOnError
    return validator


def lyg_opendata_required_if_conditional(key, data, errors, context):
    """开放条件 is required when the open type is 有条件开放."""
    return _required_if("conditional", _("Conditional data must state its conditions of opening"))(
        key, data, errors, context)


def lyg_opendata_required_if_non_open(key, data, errors, context):
    """不予开放依据 and its explanation are required when the open type is 非开放."""
    return _required_if("non_open", _("Non-open data must state the ground for not opening (Art 7)"))(
        key, data, errors, context)


def lyg_opendata_data_item_code(value: Any, context) -> Any:
    if _empty(value):
        return value
    if not CODE_RE.match(value):
        raise tk.Invalid(_("A code starts with a lower-case letter and holds only "
                           "lower-case letters, digits and underscores, e.g. parking_name"))
    return value


def lyg_opendata_dataset_checks(key, data, errors, context):
    """After validation: at least one data item, item codes unique in the dataset.

    Errors of the repeating field are per row, as scheming's form and error list read them
    (a list of one dict per row): "no data item" is the error of the first row's name,
    the row the form shows empty."""
    indexes = sorted({k[1] for k in data if len(k) == 3 and k[0] == "data_items"})
    if not indexes:
        errors.setdefault(("data_items", 0, "name_zh"), []).append(
            _("At least one data item is required (Art 11)"))
        return
    seen: dict[str, int] = {}
    for i in indexes:
        code = data.get(("data_items", i, "code"))
        if _empty(code):
            continue
        if code in seen:
            errors.setdefault(("data_items", i, "code"), []).append(
                _('The code "%s" is used by another data item of this dataset') % code)
        seen[code] = i


def lyg_opendata_not_before_start(key, data, errors, context):
    start, end = data.get(("temporal_start",)), data.get(key)
    if not _empty(start) and not _empty(end) and str(end) < str(start):
        errors[key].append(_("The end of the temporal coverage is before its start"))


def lyg_opendata_resource_code(key, data, errors, context):
    value = data.get(key)
    if _empty(value):
        data.pop(key, None)
        raise tk.StopOnError
    pattern = tk.config.get("ckanext.lyg_opendata.resource_code_pattern")
    if not re.match(pattern, value):
        errors[key].append(_("The resource code does not have the required format (%s)") % pattern)
        return
    package_id = data.get(("id",))
    query = model.Session.query(model.Package.id).filter(
        model.Package.extras["resource_code"].astext == value, model.Package.state != "deleted")
    if package_id and not _empty(package_id):
        query = query.filter(model.Package.id != package_id)
    name = data.get(("name",))
    if name and not _empty(name):
        query = query.filter(model.Package.name != name)
    if query.first():
        errors[key].append(_("The resource code %s is already used by another dataset") % value)


def lyg_opendata_server_managed(key, data, errors, context):
    """Fields set by the server (review status, publication date, desensitisation
    confirmation). The catalog guard fills them in; here they are only kept or dropped."""
    if _empty(data.get(key)):
        data.pop(key, None)
        raise tk.StopOnError


def lyg_opendata_normalize_format(value: Any, context) -> Any:
    """CSV, XLSX, JSON, XML, API, SHP, PDF … whatever case or MIME type is given."""
    if _empty(value):
        return value
    raw = str(value).strip().lstrip(".")
    upper = raw.upper()
    if upper in vocab.FORMAT_ALIASES:
        return vocab.FORMAT_ALIASES[upper]
    unified = h.unified_resource_format(raw)
    return unified.upper() if unified else upper


def lyg_opendata_machine_readable(key, data, errors, context):
    """Set by the server from the format."""
    fmt = data.get(key[:-1] + ("format",))
    data[key] = bool(not _empty(fmt) and str(fmt).upper() in vocab.MACHINE_READABLE_FORMATS)
