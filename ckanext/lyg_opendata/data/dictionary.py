"""The DataStore data dictionary from the catalog entry's 数据项 (``data_items``: name_zh,
code, type, description): after xloader has loaded a table (all columns as text, COPY),
columns whose id is a 数据项 code get its label, description and type; the other columns
get a type guessed from their values (integer / decimal, when every value parses and no
value has a leading zero, so codes and numbers such as 0518… stay text). Types are
changed with one ALTER TABLE … USING (one rewrite of the table) on the DataStore's write engine and kept as the
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


def _guess_all(conn, table: str, columns: list[str]) -> dict[str, str]:
    """int / numeric for each column whose non-empty values all are one (and there is at
    least one) — every column in one pass over the table."""
    if not columns:
        return {}
    parts = []
    for c in columns:
        v = f"btrim({_q(c)}::text)"
        parts += [f"count(*) FILTER (WHERE {v} <> '')",
                  f"bool_and({v} ~ '{_INT}') FILTER (WHERE {v} <> '')",
                  f"bool_and({v} ~ '{_NUM}') FILTER (WHERE {v} <> '')"]
    row = conn.execute(sa.text(f"SELECT {', '.join(parts)} FROM {_q(table)}")).one()
    out = {}
    for i, c in enumerate(columns):
        count, is_int, is_num = row[3 * i:3 * i + 3]
        out[c] = "text" if not count else "int" if is_int else "numeric" if is_num else "text"
    return out


def _alter(engine, table: str, changes: dict[str, str]) -> set[str]:
    """Change the columns' types; the columns changed. One ALTER TABLE for all (PostgreSQL
    rewrites the table once); when a value does not fit, column by column."""
    if not changes:
        return set()

    def clause(column: str, target: str) -> str:
        pg = PG_TYPES[target]
        return (f"ALTER COLUMN {_q(column)} TYPE {pg} "
                f"USING NULLIF(btrim({_q(column)}::text), '')::{pg}")

    def run(items: dict[str, str]) -> bool:
        try:
            with engine.begin() as conn:
                # a table still locked by its loader: give up the type rather than wait forever
                conn.execute(sa.text("SET LOCAL lock_timeout = '60s'"))
                conn.execute(sa.text(f"ALTER TABLE {_q(table)} " + ", ".join(
                    clause(c, t) for c, t in items.items())))
            return True
        except sa.exc.DBAPIError as e:
            log.info("columns %s of %s stay as they are: %s", ", ".join(items), table, e.orig)
            return False

    if run(changes):
        return set(changes)
    if len(changes) == 1:
        return set()
    return {c for c, t in changes.items() if run({c: t})}


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
    columns = [f for f in info.get("fields", []) if not f["id"].startswith("_")]
    to_guess = [f["id"] for f in columns if f["id"] not in items and f.get("type") == "text"]
    with engine.connect() as conn:
        guessed = _guess_all(conn, resource_id, to_guess)
    targets, changes = {}, {}
    for field in columns:
        item = items.get(field["id"])
        current = field.get("type")
        target = current
        if item is not None:
            target = TYPE_MAP.get(item.get("type") or "string", "text")
        elif field["id"] in guessed:
            target = guessed[field["id"]]
        targets[field["id"]] = target
        if target != current and target in PG_TYPES and current in ("text",) + tuple(PG_TYPES):
            changes[field["id"]] = target
    done = _alter(engine, resource_id, changes)
    changed = bool(done)
    fields = []
    for field in columns:
        target = targets[field["id"]]
        if field["id"] in changes and field["id"] not in done:
            target = field.get("type")
        new_info = dict(field.get("info") or {})
        item = items.get(field["id"])
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
