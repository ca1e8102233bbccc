"""Who may do what with objections and reports: the allow/deny matrix by role (the person
who raised the objection, or made the report, is the ``registered`` user)."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata.objections import auth as objection_auth

from tests.conftest import ROLES
from tests.objections.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
AGENCY = {"agency_editor", "agency_admin", "sysadmin"}  # sysadmin: the platform operator
SUPERVISORS = {"supervisor", "sysadmin"}
HANDLERS = {"agency_editor", "agency_admin", "supervisor", "sysadmin"}
WITH_QUEUE = HANDLERS | {"other_agency_editor"}  # an agency's queue is its own

# (auth function, state of the objection or None, roles allowed)
MATRIX = [
    ("lyg_opendata_objection_create", None, LOGGED_IN),
    ("lyg_opendata_objection_show", "submitted", EVERYONE),
    ("lyg_opendata_objection_show", "hidden", SUPERVISORS | {"registered"}),
    ("lyg_opendata_objection_list", None, EVERYONE),
    ("lyg_opendata_objection_accept", "submitted", AGENCY),
    ("lyg_opendata_objection_reject", "submitted", AGENCY),
    ("lyg_opendata_objection_answer", "accepted", AGENCY),
    ("lyg_opendata_objection_answer", "escalated", SUPERVISORS),
    ("lyg_opendata_objection_dispute", "answered", {"registered"}),
    ("lyg_opendata_objection_return_to_agency", "escalated", SUPERVISORS),
    ("lyg_opendata_objection_hide", "submitted", SUPERVISORS),
    ("lyg_opendata_objection_merge", "submitted", SUPERVISORS),
    ("lyg_opendata_objection_reassign", "submitted", SUPERVISORS),
    ("lyg_opendata_objection_close", "submitted", SUPERVISORS),
    ("lyg_opendata_objection_withdraw_dataset", "accepted", HANDLERS),
    ("lyg_opendata_objection_affected_users", "accepted", HANDLERS),
    ("lyg_opendata_objection_evidence_download", "submitted", HANDLERS | {"registered"}),
    ("lyg_opendata_objection_queue", None, WITH_QUEUE),
    ("lyg_opendata_objection_my_list", None, LOGGED_IN),
    ("lyg_opendata_report_create", None, LOGGED_IN),
    ("lyg_opendata_report_show", "report", HANDLERS | {"registered"}),
    ("lyg_opendata_report_list", None, WITH_QUEUE),
    ("lyg_opendata_report_update", "report", HANDLERS),
    ("lyg_opendata_report_my_list", None, LOGGED_IN),
]


def test_every_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == set(objection_auth.__all__)


@pytest.mark.parametrize("auth_name,state,allowed", MATRIX,
                         ids=[f"{a.split('lyg_opendata_')[1]}-{s}" for a, s, _r in MATRIX])
def test_objection_permission_matrix(auth_name, state, allowed, people, dataset, in_state):
    if state == "report":
        report = tk.get_action("lyg_opendata_report_create")(ctx(people["registered"]), {
            "package_id": dataset["id"], "reported_party": "某科技公司",
            "description": "把有条件开放的数据转卖给第三方。"})
        data = {"id": report["id"]}
    elif state:
        data = {"id": in_state(state)["id"]}
    else:
        data = {"package_id": dataset["id"]}
    for role in ROLES:
        context = ctx(people[role])
        if role in allowed:
            assert helpers.call_auth(auth_name, context, **data), (auth_name, role)
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(auth_name, context, **data)
                pytest.fail(f"{auth_name} allowed {role}")


def test_anonymous_visitors_are_asked_to_log_in(app, dataset):
    response = app.get(f"/dataset/{dataset['name']}/objections/new", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_objection_create")({"user": ""}, {
            "package_id": dataset["id"], "type": "error", "description": "数据有误，请核实一下。"})


def test_pages_by_role(app, people, dataset, in_state):
    obj = in_state("submitted")
    pages = {
        f"/dataset/{dataset['name']}/objections": EVERYONE,
        f"/opendata/objections/{obj['id']}": EVERYONE,
        "/opendata/objections": WITH_QUEUE,
        "/opendata/objections/moderation": SUPERVISORS,
        "/opendata/my-objections": LOGGED_IN,
        "/opendata/reports": WITH_QUEUE,
        "/opendata/reports/new": LOGGED_IN,
        f"/dataset/{dataset['name']}/objections/new": LOGGED_IN,
    }
    for role in ROLES:
        user = people[role]
        headers = {"Authorization": user["token"]} if user else {}
        for url, allowed in pages.items():
            response = app.get(url, headers=headers, follow_redirects=False)
            if role in allowed:
                assert response.status_code == 200, (url, role, response.status_code)
            else:
                assert response.status_code in (302, 403), (url, role, response.status_code)
