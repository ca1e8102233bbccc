"""Who may do what with objections and reports: the allow/deny matrix by role (the person
who raised the objection, or made the report, is the ``registered`` user)."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata.objections import auth as objection_auth
from ckanext.lyg_opendata.objections.model import Objection

from tests.conftest import ROLES
from tests.objections.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins")
# the tests after the matrix make their own world
PER_TEST = pytest.mark.usefixtures("clean_db", "clean_index")

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


@pytest.fixture(scope="module")
def matrix_world(shared_db):
    """The people, the published dataset and an objection in each state of the matrix,
    built once (as the fixtures of conftest.py build them per test): the matrix only asks
    the auth functions. The raiser's objections stay within the hourly limit (5)."""
    from tests.conftest import (
        dataset_creator, make_agency, make_people, make_reviewer, make_sysadmin, publisher)
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    people = make_people(agency)
    dataset = publisher(sysadmin, make_reviewer())(dataset_creator(sysadmin, agency)(
        name="lyg-parking", title="连云港市公共停车场", notes="全市共有公共停车场 1200 个。"))
    objections = {}
    for status in sorted({s for _a, s, _r in MATRIX if s not in (None, "report")}):
        obj = tk.get_action("lyg_opendata_objection_create")(ctx(people["registered"]), {
            "package_id": dataset["id"], "type": "error",
            "description": "停车场数量应为 1250 个，不是 1200 个。"})
        model.Session.get(Objection, obj["id"]).status = status
        model.repo.commit()
        objections[status] = obj
    return people, dataset, objections.__getitem__


@pytest.mark.parametrize("auth_name,state,allowed", MATRIX,
                         ids=[f"{a.split('lyg_opendata_')[1]}-{s}" for a, s, _r in MATRIX])
def test_objection_permission_matrix(auth_name, state, allowed, matrix_world):
    people, dataset, in_state = matrix_world
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


@PER_TEST
def test_anonymous_visitors_are_asked_to_log_in(app, dataset):
    response = app.get(f"/dataset/{dataset['name']}/objections/new", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_objection_create")({"user": ""}, {
            "package_id": dataset["id"], "type": "error", "description": "数据有误，请核实一下。"})


@PER_TEST
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
