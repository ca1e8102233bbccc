"""The messages of a harvest job report, shown in the reader's language.

ckanext-harvest stores a gather or object error as text (``harvest_gather_error.message``,
``harvest_object_error.message``) when the job runs, in a consumer process that has no
reader, and its pages and actions show that text as stored. This harvester stores a msgid
and its parameters instead (``Message(...).stored()``: ``lyg-i18n:{"msgid": …, "params":
…}``), and the chained actions below render them with ``tk._`` in the language of the
request that reads the report (the page's language, or the API's ``/en/api/…``):
``harvest_job_report``, ``harvest_job_show`` and ``harvest_source_show_status`` (their
error summaries), ``harvest_object_show``. A message stored by someone else (ckanext-harvest
itself, another harvester, an older row) is shown translated when it is a msgid of the
catalog, else as stored.

Parameters are data (a URL, a guid, a parser's own words) and stay as they are, except a
nested message (translated too) and a validation error summary (``{field: message}``, each
field name and message translated).
"""
from __future__ import annotations

import json
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan.logic import auth_audit_exempt

PREFIX = "lyg-i18n:"

__all__ = ["harvest_job_report", "harvest_job_show", "harvest_object_show",
           "harvest_source_show_status"]


class Message:
    """A msgid (marked with ``N_`` where it is written) and its parameters. ``str()`` is
    the English text (logs, exceptions); ``stored()`` what goes into the database."""

    def __init__(self, msgid: str, **params: Any):
        self.msgid = msgid
        self.params = params

    def as_json(self) -> dict:
        return {"msgid": self.msgid,
                "params": {k: v.as_json() if isinstance(v, Message) else v
                           for k, v in self.params.items()}}

    def stored(self) -> str:
        return PREFIX + json.dumps(self.as_json(), ensure_ascii=False, sort_keys=True)

    def __str__(self) -> str:
        return _render(self.as_json(), lambda s: s)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"


def stored(message: Message | str) -> str:
    return message.stored() if isinstance(message, Message) else str(message)


def _param(value: Any, translate: Callable[[str], str]) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return _render(value, translate)
    if isinstance(value, dict):  # a validation error summary: {field: message or [messages]}
        return "; ".join(
            f"{translate(str(field))}: "
            f"{', '.join(translate(str(m)) for m in (msgs if isinstance(msgs, list) else [msgs]))}"
            for field, msgs in value.items())
    return value


def _render(data: dict, translate: Callable[[str], str]) -> str:
    params = {k: _param(v, translate) for k, v in (data.get("params") or {}).items()}
    msgid = data["msgid"]
    try:
        return translate(msgid) % params
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        return msgid % params


def _translate(msgid: str) -> str:
    try:
        return tk._(msgid)
    except Exception:  # no application context (a script): English
        return msgid


def render(text: str | None) -> str | None:
    """A stored message in the current request's language."""
    if not text:
        return text
    if text.startswith(PREFIX):
        try:
            data = json.loads(text[len(PREFIX):])
            return _render(data, _translate)
        except (ValueError, KeyError, TypeError):
            return text
    return _translate(text)


# --- the actions that show stored messages, chained ----------------------------------
# ckanext-harvest 1.6.3 registers its action functions as auth functions too (a mutable
# default argument shared by its get_actions and get_auth_functions); CKAN's auth audit then
# expects ``check_access("harvest_job_report")``, which the original (it checks
# ``harvest_job_show``) never calls. The checks stay the originals' own: these chains call
# them first and only rewrite the messages of what they return.

def _summaries(job: dict | None) -> None:
    if not isinstance(job, dict):
        return
    for key in ("gather_error_summary", "object_error_summary"):
        rendered: dict[str, int] = {}
        for row in job.get(key) or []:
            message = render(row["message"])
            rendered[message] = rendered.get(message, 0) + row["error_count"]
        if key in job:
            job[key] = [{"message": m, "error_count": c} for m, c in rendered.items()]


@tk.chained_action
@auth_audit_exempt
@tk.side_effect_free
def harvest_job_report(original_action, context, data_dict):
    report = original_action(context, data_dict)
    for error in report.get("gather_errors", []):
        error["message"] = render(error["message"])
    for obj in report.get("object_errors", {}).values():
        for error in obj.get("errors", []):
            error["message"] = render(error["message"])
    return report


@tk.chained_action
@auth_audit_exempt
@tk.side_effect_free
def harvest_job_show(original_action, context, data_dict):
    job = original_action(context, data_dict)
    _summaries(job)
    return job


@tk.chained_action
@auth_audit_exempt
@tk.side_effect_free
def harvest_source_show_status(original_action, context, data_dict):
    status = original_action(context, data_dict)
    _summaries(status.get("last_job"))
    return status


@tk.chained_action
@auth_audit_exempt
@tk.side_effect_free
def harvest_object_show(original_action, context, data_dict):
    obj = original_action(context, data_dict)
    for error in obj.get("errors", []):
        error["message"] = render(error.get("message"))
    return obj
