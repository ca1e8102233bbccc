"""The DataStore data dictionary from the catalog entry's 数据项 (``data_items``: name_zh,
code, type, description): after xloader has loaded a table (all columns as text, COPY),
columns whose id is a 数据项 code get its label, description and type; the other columns
get a type guessed from their values (integer / decimal, when every value parses and no
value has a leading zero, so codes and numbers such as 0518… stay text). Types are
changed with ALTER TABLE … USING on the DataStore's write engine and kept as the
dictionary's ``type_override``, so that the next load of a replaced file keeps them.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

# 数据项 type -> DataStore type
TYPE_MAP = {"integer": "int", "decimal": "numeric", "date": "timestamp",
            "datetime": "timestamp", "string": "text", "code": "text", "boolean": "text"}
PG_TYPES = {"int": "integer", "numeric": "numeric", "timestamp": "timestamp", "text": "text"}

_INT = r"^-?(0|[1-9][0-9]{0,14})$"
_NUM = r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$"


def data_items(pkg: model.Package) -> dict[str, dict[str, Any]]:
    try:
        items = json.loads(pkg.extras.get("data_items") or "[]")
    except ValueError:
        return {}
    return {str(it.get("code")): it for it in items if isinstance(it, dict) and it.get("code")}


def _q(name: str) -> str:
    return '"%s"' % name.replace('"', '""')


def _guess(conn, table: str, column: str) -> str:
    """int / numeric when every non-empty value is one (and there is at least one)."""
    row = conn.execute(sa.text(
        f"SELECT count(*) FILTER (WHERE v <> ''), "
        f"bool_and(v ~ '{_INT}') FILTER (WHERE v <> ''), "
        f"bool_and(v ~ '{_NUM}') FILTER (WHERE v <> '') "
        f"FROM (SELECT btrim({_q(column)}::text) AS v FROM {_q(table)}) t")).one()
    if not row[0]:
        return "text"
    if row[1]:
        return "int"
    if row[2]:
        return "numeric"
    return "text"


def _alter(engine, table: str, column: str, target: str) -> bool:
    pg = PG_TYPES[target]
    using = f"NULLIF(btrim({_q(column)}::text), '')::{pg}"
    try:
        with engine.begin() as conn:
            # a table still locked by its loader: give up the type rather than wait forever
            conn.execute(sa.text("SET LOCAL lock_timeout = '60s'"))
            conn.execute(sa.text(
                f"ALTER TABLE {_q(table)} ALTER COLUMN {_q(column)} TYPE {pg} USING {using}"))
        return True
    except sa.exc.DBAPIError as e:
        log.info("column %s of %s stays text: %s", column, table, e.orig)
        return False


def apply(resource_id: str) -> list[dict[str, Any]]:
    """Types and labels for a loaded table; returns the fields as the DataStore has them."""
    import gc
    from ckanext.datastore.backend.postgres import get_write_engine
    # a loader's connection dropped without close() keeps its transaction (and its lock on
    # the new table) until collected; the ALTERs below would wait for it
    gc.collect()
    res = model.Resource.get(resource_id)
    if res is None:
        return []
    context = {"ignore_auth": True, "user": tk.get_action("get_site_user")(
        {"ignore_auth": True}, {})["name"]}
    try:
        info = tk.get_action("datastore_info")(context, {"id": resource_id})
    except tk.ObjectNotFound:
        return []
    items = data_items(res.package)
    engine = get_write_engine()
    fields = []
    changed = False
    for field in info.get("fields", []):
        if field["id"].startswith("_"):
            continue
        item = items.get(field["id"])
        current = field.get("type")
        target = current
        if item is not None:
            target = TYPE_MAP.get(item.get("type") or "string", "text")
        elif current == "text":
            with engine.connect() as conn:
                target = _guess(conn, resource_id, field["id"])
        if target != current and target in PG_TYPES and current in ("text",) + tuple(PG_TYPES):
            if _alter(engine, resource_id, field["id"], target):
                changed = True
            else:
                target = current
        new_info = dict(field.get("info") or {})
        if item is not None:
            new_info["label"] = item.get("name_zh") or new_info.get("label", "")
            if item.get("description"):
                new_info["notes"] = item["description"]
        if target != "text":
            new_info["type_override"] = target
        fields.append({"id": field["id"], "type": target, "info": new_info})
    if fields:
        tk.get_action("datastore_create")(context, {
            "resource_id": resource_id, "force": True, "fields": fields})
    if changed:
        log.info("data dictionary of %s: %s", resource_id,
                 ", ".join(f"{f['id']}={f['type']}" for f in fields))
    return fields
