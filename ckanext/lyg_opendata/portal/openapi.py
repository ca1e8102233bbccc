"""The OpenAPI 3.1 description of the action API (``/api/openapi.json``): this extension's
actions and the core read actions people use, generated from the registered action
functions (their docstrings' ``:param:`` lines and whether they are side-effect free), so
it follows the code."""
from __future__ import annotations

import inspect
import re
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

CORE_READ_ACTIONS = [
    "package_search", "package_show", "resource_show", "package_list",
    "organization_list", "organization_show", "group_list", "group_show", "tag_list",
    "datastore_search", "datastore_info", "status_show", "help_show",
]

_PARAM = re.compile(r"^\s*:param\s+(?:(\w[\w\[\], ]*)\s+)?(\w+):\s*(.*)$")
_TYPE = re.compile(r"^\s*:type\s+(\w+):\s*(.*)$")


def _lyg_actions() -> list[str]:
    names: set[str] = set()
    for plugin in p.PluginImplementations(p.IActions):
        names.update(n for n in plugin.get_actions() if n.startswith("lyg_opendata_"))
    return sorted(names)


def _parse(doc: str) -> tuple[str, str, list[dict[str, Any]]]:
    doc = inspect.cleandoc(doc or "")
    lines = doc.splitlines()
    summary = lines[0].strip() if lines else ""
    text, params, types = [], [], {}
    current = None
    for line in lines:
        m, t = _PARAM.match(line), _TYPE.match(line)
        if m:
            current = {"name": m.group(2), "description": m.group(3).strip()}
            params.append(current)
        elif t:
            types[t.group(1)] = t.group(2).strip()
            current = None
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            current["description"] += " " + line.strip()
        elif line.strip().startswith(":"):
            current = None
        elif not params:
            text.append(line)
    for param in params:
        param["type"] = types.get(param["name"], "")
    return summary, "\n".join(text).strip(), params


def _schema_for(type_: str) -> dict[str, Any]:
    t = type_.lower()
    if t.startswith(("int", "integer")):
        return {"type": "integer"}
    if t.startswith(("bool",)):
        return {"type": "boolean"}
    if t.startswith("list"):
        return {"type": "array", "items": {}}
    if t.startswith("dict"):
        return {"type": "object"}
    return {"type": "string"}


def _operation(name: str) -> dict[str, Any]:
    func = tk.get_action(name)
    summary, description, params = _parse(func.__doc__)
    read = bool(getattr(func, "side_effect_free", False))
    body = {"type": "object", "properties": {
        prm["name"]: {**_schema_for(prm["type"]), "description": prm["description"]}
        for prm in params}}
    responses = {
        "200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ActionResponse"}}}},
        "403": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"},
        "409": {"$ref": "#/components/responses/Error"},
    }
    post = {"operationId": name, "summary": summary or name, "description": description,
            "tags": ["lyg_opendata" if name.startswith("lyg_opendata_") else "ckan"],
            "requestBody": {"required": False, "content": {"application/json": {"schema": body}}},
            "responses": responses}
    item: dict[str, Any] = {"post": post}
    if read:
        item["get"] = {
            "operationId": name + "_get", "summary": summary or name, "description": description,
            "tags": post["tags"],
            "parameters": [{"name": prm["name"], "in": "query", "required": False,
                            "description": prm["description"], "schema": _schema_for(prm["type"])}
                           for prm in params],
            "responses": responses}
    return item


def document() -> dict[str, Any]:
    site = tk.config.get("ckan.site_url").rstrip("/")
    names = [n for n in CORE_READ_ACTIONS if _exists(n)] + _lyg_actions()
    return {
        "openapi": "3.1.0",
        "info": {"title": tk.config.get("ckan.site_title") + " API",
                 "version": "3",
                 "description": "CKAN action API of the portal: core read actions and the "
                                "lyg_opendata actions (catalog review, open list, applications, "
                                "agreements, objections, access log). Each action answers "
                                "POST with a JSON body; side-effect-free actions also answer GET "
                                "with query parameters. Authenticate with an API token in the "
                                "Authorization header."},
        "servers": [{"url": site}],
        "components": {
            "securitySchemes": {"apiToken": {"type": "apiKey", "in": "header",
                                             "name": "Authorization"}},
            "schemas": {"ActionResponse": {"type": "object", "required": ["success"], "properties": {
                "help": {"type": "string"}, "success": {"type": "boolean"},
                "result": {}, "error": {"type": "object"}}}},
            "responses": {"Error": {"description": "Not authorized, not found or invalid input",
                                    "content": {"application/json": {"schema": {
                                        "$ref": "#/components/schemas/ActionResponse"}}}}},
        },
        "security": [{}, {"apiToken": []}],
        "paths": {f"/api/3/action/{n}": _operation(n) for n in names},
    }


def _exists(name: str) -> bool:
    try:
        tk.get_action(name)
        return True
    except KeyError:
        return False
