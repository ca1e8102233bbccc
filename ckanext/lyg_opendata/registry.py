"""What the plugin registers with CKAN, collected from the domains (``tk.blanket.*`` in
plugin.py takes these functions).

Each domain module lists what it registers in its ``__all__`` and is named here once; a
module that also holds other things is named with the functions it registers. One function
per kind merges them. The modules are imported when CKAN asks (after the plugins are loaded),
so that the chains of another plugin's functions are registered only while that plugin is
loaded: CKAN refuses a chained function without its parent, and the plugins change per test
and deployment.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any, Callable, Iterable, Mapping, Union

# a module's __all__, or (module, its names) or (module, {registered name: attribute})
Source = Union[str, tuple[str, Union[Iterable[str], Mapping[str, str]]]]

ACTIONS: tuple[Source, ...] = (
    ("catalog.action", (
        "lyg_opendata_review_approve", "lyg_opendata_review_change_approve",
        "lyg_opendata_review_change_return", "lyg_opendata_review_change_show",
        "lyg_opendata_review_history", "lyg_opendata_review_my_submissions",
        "lyg_opendata_review_queue", "lyg_opendata_review_return", "lyg_opendata_review_submit",
        "lyg_opendata_review_withdraw", "lyg_opendata_withdrawal_list")),
    ("catalog.openlist", ("lyg_opendata_open_list",)),
    ("catalog.freshness", ("lyg_opendata_overdue_list",)),
    ("workdays.action", (
        "lyg_opendata_calendar_year_list", "lyg_opendata_calendar_year_load",
        "lyg_opendata_calendar_year_show", "lyg_opendata_workdays_add")),
    ("search", ("lyg_opendata_search_suggest",)),
    ("access.redaction", ("dcat_dataset_show",)),
    ("catalog.guard", ("bulk_update_private", "bulk_update_public", "package_create",
                       "package_update")),
    "access.applications.action",
    "access.agreements.action",
    "access.enforcement.action",
    "access.enforcement.activity",
    "audit.action",
    "objections.action",
    "objections.withdrawal",
    "objections.queues",
    "objections.reports",
    "participation.action",
    "participation.ratings",
    "participation.publishers",
    "participation.suggestions",
    "showcase.action",
    "data.action",
    "disclosure.action",
    "disclosure.proactive.action",
    ("disclosure.complaints", (
        "lyg_opendata_disclosure_complaint_create", "lyg_opendata_disclosure_complaint_show",
        "lyg_opendata_disclosure_complaint_list", "lyg_opendata_disclosure_complaint_answer",
        "lyg_opendata_disclosure_complaint_withdraw")),
    "evaluation.action",
    "evaluation.reports.action",
    "evaluation.public_scorecards",
    ("evaluation.quality_history", ("lyg_opendata_quality_history",)),
    "dcat.deletions",
    "dcat.messages",
    ("identity.security.audit", ("api_token_revoke", "lyg_opendata_security_event_list",
                                 "member_create", "member_delete", "user_delete")),
    ("identity.security.password", ("user_create", "user_update")),
    "identity.org_action",
    "identity.privacy",
)

AUTH_FUNCTIONS: tuple[Source, ...] = (
    ("catalog.auth", (
        "lyg_opendata_review_approve", "lyg_opendata_review_change_approve",
        "lyg_opendata_review_change_return", "lyg_opendata_review_change_show",
        "lyg_opendata_review_history", "lyg_opendata_review_my_submissions",
        "lyg_opendata_review_queue", "lyg_opendata_review_return", "lyg_opendata_review_submit",
        "lyg_opendata_review_withdraw", "lyg_opendata_withdrawal_list")),
    ("catalog.openlist_auth", ("lyg_opendata_open_list",)),
    ("catalog.freshness_auth", ("lyg_opendata_overdue_list",)),
    ("workdays.auth", (
        "lyg_opendata_calendar_year_list", "lyg_opendata_calendar_year_load",
        "lyg_opendata_calendar_year_show", "lyg_opendata_workdays_add")),
    ("search", {"lyg_opendata_search_suggest": "lyg_opendata_search_suggest_auth"}),
    "access.applications.auth",
    "access.agreements.auth",
    "access.enforcement.auth",
    "audit.auth",
    "objections.auth",
    "participation.auth",
    "participation.ratings_auth",
    ("showcase.auth", {
        "lyg_opendata_showcase_create": "auth_create", "lyg_opendata_showcase_update": "auth_update",
        "lyg_opendata_showcase_show": "auth_show", "lyg_opendata_showcase_list": "auth_list",
        "lyg_opendata_showcase_publish": "auth_review", "lyg_opendata_showcase_return": "auth_review",
        "lyg_opendata_showcase_withdraw": "auth_withdraw"}),
    "data.auth",
    "evaluation.auth",
    ("evaluation.reports.auth", {
        "lyg_opendata_evaluation_report_generate": "auth_generate",
        "lyg_opendata_evaluation_report_update": "auth_update",
        "lyg_opendata_evaluation_report_publish": "auth_publish",
        "lyg_opendata_evaluation_report_discard": "auth_discard",
        "lyg_opendata_evaluation_report_show": "auth_show",
        "lyg_opendata_evaluation_report_list": "auth_list"}),
    ("evaluation.public_scorecards", {"lyg_opendata_scorecard_public": "auth_public"}),
    ("evaluation.quality_history", {"lyg_opendata_quality_history": "auth_history"}),
    "disclosure.auth",
    "disclosure.proactive.auth",
    ("disclosure.complaints", {
        "lyg_opendata_disclosure_complaint_create": "auth_create",
        "lyg_opendata_disclosure_complaint_show": "auth_show",
        "lyg_opendata_disclosure_complaint_list": "auth_list",
        "lyg_opendata_disclosure_complaint_answer": "auth_answer",
        "lyg_opendata_disclosure_complaint_withdraw": "auth_withdraw"}),
    ("dcat.deletions", {"lyg_opendata_harvest_deletions_confirm": "auth_confirm"}),
    ("identity.security.audit", {"lyg_opendata_security_event_list": "auth_event_list"}),
    "identity.org_auth",
    ("identity.privacy", {"lyg_opendata_privacy_export": "auth_export",
                          "lyg_opendata_account_erase": "auth_erase",
                          "lyg_opendata_account_erasure_show": "auth_erasure_show"}),
)

HELPERS: tuple[Source, ...] = (
    "helpers",
    "access.applications.helpers",
    "access.agreements.helpers",
    "audit.helpers",
    "objections.helpers",
    "participation.helpers",
    "showcase.helpers",
    "data.helpers",
    "portal.helpers",
    ("evaluation.quality", {"lyg_opendata_quality": "helper_quality"}),
    "identity.oidc_helpers",
    ("identity.security.third_party", ("user_image",)),
)

BLUEPRINTS: tuple[Source, ...] = (
    ("catalog.views", ("catalog",)),
    ("catalog.openlist_views", ("openlist_blueprint",)),
    ("catalog.freshness_views", ("freshness_blueprint",)),
    ("frontend", ("frontend",)),
    ("access.enforcement.guard", ("guard_blueprint",)),
    ("workdays.views", ("calendar_blueprint",)),
    ("dcat.endpoints", {"dcat_endpoints": "endpoints"}),
    ("portal.views", ("portal_blueprint",)),
    "access.applications.views",
    "access.agreements.views",
    "audit.views",
    "objections.views",
    "participation.views",
    "showcase.views",
    # the disclosure blueprint (disclosure/views.py) with the yearly report's routes added by
    # report_views.py, which imports it (views.py importing report_views back was a cycle)
    ("disclosure.report_views", ("disclosure_blueprint",)),
    "disclosure.proactive.views",
    "data.views",
    "evaluation.views",
    ("evaluation.reports.views", ("report_blueprint",)),
    "identity.oidc_views",
    "identity.security.views",
    "identity.org_views",
    "identity.privacy_views",
)

VALIDATORS: tuple[Source, ...] = (
    ("catalog.validators", (
        "lyg_opendata_data_item_code", "lyg_opendata_dataset_checks",
        "lyg_opendata_machine_readable", "lyg_opendata_normalize_format",
        "lyg_opendata_not_before_start", "lyg_opendata_required_if_conditional",
        "lyg_opendata_required_if_non_open", "lyg_opendata_resource_code",
        "lyg_opendata_server_managed")),
    # core's validator of that name, made safe (inputs.py): every schema gets this one
    ("inputs", ("limit_to_configured_maximum", "natural_number_validator")),
    ("validation", {"lyg_opendata_date": "iso_date"}),
)

# the ``ckan lyg-opendata`` sub-commands: each module lists its click commands in COMMANDS
COMMANDS: tuple[str, ...] = (
    "workdays.cli",
    "access.applications.cli",
    "access.agreements.cli",
    "audit.cli",
    "objections.cli",
    "data.cli",
    "dcat.deletions",
    "portal.cli",
    "participation.cli",
    "disclosure.cli",
    "identity.cli",
    "evaluation.cli",
)

# chained functions of other plugins: registered only while that plugin is loaded
REQUIRES = {"datastore_search": "datastore", "datastore_info": "datastore",
            "datastore_search_sql": "datastore", "dcat_dataset_show": "dcat",
            "activity_create": "activity", "harvest_job_report": "harvest",
            "harvest_job_show": "harvest", "harvest_source_show_status": "harvest",
            "harvest_object_show": "harvest"}

_PACKAGE = "ckanext.lyg_opendata."


def collect(sources: Iterable[Source]) -> dict[str, Any]:
    """``{registered name: object}`` of the sources, in their order."""
    out: dict[str, Any] = {}
    for source in sources:
        path, names = (source, None) if isinstance(source, str) else source
        module = import_module(_PACKAGE + path)
        if names is None:
            names = module.__all__
        pairs = names.items() if isinstance(names, Mapping) else ((n, n) for n in names)
        for name, attribute in pairs:
            if name in out:
                raise ValueError(f"{name} is registered twice ({path})")
            out[name] = getattr(module, attribute)
    return out


def _loaded(names: dict[str, Any]) -> dict[str, Any]:
    from ckan.plugins import plugin_loaded
    return {name: obj for name, obj in names.items()
            if name not in REQUIRES or plugin_loaded(REQUIRES[name])}


def finders() -> dict[str, Callable[[str], Any]]:
    """The function that finds the row an action's ``id`` names: 404 before the auth
    function runs (``authz.authorize_first``). Imported when CKAN asks, like the rest."""
    from ckanext.lyg_opendata.access.applications import workflow as applications
    from ckanext.lyg_opendata.objections import reports as objection_reports
    from ckanext.lyg_opendata.objections import workflow
    finders: dict[str, Callable[[str], Any]] = {}
    for name in ("show", "events", "withdraw", "request_info", "supply_info", "approve",
                 "refuse"):
        finders[f"lyg_opendata_application_{name}"] = applications.get
    for name in ("show", "accept", "reject", "answer", "dispute", "withdraw_dataset",
                 "affected_users", "return_to_agency", "hide", "merge", "reassign", "close"):
        finders[f"lyg_opendata_objection_{name}"] = workflow.get
    for name in ("show", "update"):
        finders[f"lyg_opendata_report_{name}"] = objection_reports.get_report
    from ckanext.lyg_opendata.participation import workflow as participation
    for name in ("show", "route", "claim", "answer", "supplement", "withdraw", "hide", "support"):
        finders[f"lyg_opendata_data_request_{name}"] = participation.get
    from ckanext.lyg_opendata.evaluation import workflow as rectification
    for name in ("show", "respond", "return", "escalate", "close"):
        finders[f"lyg_opendata_rectification_{name}"] = rectification.get
    from ckanext.lyg_opendata.evaluation.reports import workflow as reports
    for name in ("show", "update", "publish", "discard"):
        finders[f"lyg_opendata_evaluation_report_{name}"] = reports.get
    from ckanext.lyg_opendata.participation import ratings
    for name in ("hide", "answer"):
        finders[f"lyg_opendata_rating_{name}"] = ratings.get
    from ckanext.lyg_opendata.disclosure import workflow as disclosure
    for name in ("show", "request_correction", "amend", "extend", "transfer", "answer",
                 "withdraw", "lapse"):
        finders[f"lyg_opendata_disclosure_{name}"] = disclosure.get
    from ckanext.lyg_opendata.disclosure import complaints
    for name in ("show", "answer", "withdraw"):
        finders[f"lyg_opendata_disclosure_complaint_{name}"] = complaints.get
    from ckanext.lyg_opendata.disclosure.proactive import workflow as govinfo
    for name in ("show", "update", "publish", "withdraw"):
        finders[f"lyg_opendata_govinfo_{name}"] = govinfo.get
    from ckanext.lyg_opendata.participation import suggestions
    for name in ("show", "answer", "close"):
        finders[f"lyg_opendata_suggestion_{name}"] = suggestions.get
    from ckanext.lyg_opendata.identity import organisations
    for name in ("show", "verify", "refuse", "withdraw"):
        finders[f"lyg_opendata_org_link_{name}"] = organisations.get
    return finders


def get_actions() -> dict[str, Any]:
    """Every action; each ``lyg_opendata_*`` one authorises before it validates (authz.py)."""
    from ckanext.lyg_opendata import authz, inputs
    return _loaded(inputs.guarded(authz.authorizing_first(collect(ACTIONS), finders())))


def get_auth_functions() -> dict[str, Any]:
    return _loaded(collect(AUTH_FUNCTIONS))


def get_helpers() -> dict[str, Any]:
    return collect(HELPERS)


def get_blueprints() -> list[Any]:
    return list(collect(BLUEPRINTS).values())


def get_validators() -> dict[str, Any]:
    return collect(VALIDATORS)


def commands() -> list[Any]:
    """Every domain's click commands (cli.py adds them to the ``ckan lyg-opendata`` group)."""
    return [command for path in COMMANDS for command in import_module(_PACKAGE + path).COMMANDS]


def get_commands() -> list[Any]:
    """The ``ckan lyg-opendata`` group (cli.py), with every domain's commands."""
    return [import_module(_PACKAGE + "cli").lyg_opendata]
