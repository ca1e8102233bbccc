"""Who may do what with data requests: the allow/deny matrix by role (the requester is the
``registered`` user; the request is routed to ``agency``)."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata.participation import auth as participation_auth

from tests.conftest import ROLES
from tests.participation.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
SUPERVISORS = {"supervisor", "sysadmin"}
AGENCY = {"agency_editor", "agency_admin", "sysadmin"}  # sysadmin: the platform operator
ANY_AGENCY = {"other_agency_editor", "agency_editor", "agency_admin", "supervisor", "sysadmin"}
REQUESTER = {"registered"}

# (auth function, state of the request or None, roles allowed)
MATRIX = [
    ("lyg_opendata_data_request_create", None, LOGGED_IN),
    ("lyg_opendata_data_request_show", "submitted", EVERYONE),
    ("lyg_opendata_data_request_show", "hidden", SUPERVISORS | REQUESTER),
    ("lyg_opendata_data_request_list", None, EVERYONE),
    ("lyg_opendata_data_request_route", "submitted", SUPERVISORS),
    ("lyg_opendata_data_request_claim", "submitted", ANY_AGENCY),
    ("lyg_opendata_data_request_answer", "assigned", AGENCY),
    ("lyg_opendata_data_request_supplement", "need_info", REQUESTER),
    ("lyg_opendata_data_request_withdraw", "submitted", REQUESTER),
    ("lyg_opendata_data_request_hide", "submitted", SUPERVISORS),
    ("lyg_opendata_data_request_support", "submitted", LOGGED_IN),
]


def test_every_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == set(participation_auth.__all__)


@pytest.mark.parametrize("auth_name,state,allowed", MATRIX,
                         ids=[f"{a.split('lyg_opendata_')[1]}-{s}" for a, s, _r in MATRIX])
def test_data_request_permission_matrix(auth_name, state, allowed, people, in_state):
    data = {"id": in_state(state)["id"]} if state else {}
    for role in ROLES:
        context = ctx(people[role])
        if role in allowed:
            assert helpers.call_auth(auth_name, context, **data), (auth_name, role)
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(auth_name, context, **data)
                pytest.fail(f"{auth_name} allowed {role}")


def test_refusals_through_the_action_api(app, people, in_state):
    """The same rules over HTTP: 403 for the wrong role, never a 500."""
    req = in_state("assigned")
    calls = [("lyg_opendata_data_request_answer", "other_agency_editor",
              {"id": req["id"], "answer": "need_info", "text": "请补充。"}),
             ("lyg_opendata_data_request_route", "agency_editor",
              {"id": req["id"], "organization": "lyg-other-agency"}),
             ("lyg_opendata_data_request_withdraw", "supervisor", {"id": req["id"]}),
             ("lyg_opendata_data_request_create", "anonymous",
              {"title": "公交实时数据", "description": "公交实时到站数据。"})]
    for action, role, data in calls:
        headers = {"Authorization": people[role]["token"]} if people[role] else {}
        response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        assert response.status_code == 403, (action, role, response.status_code)


def test_pages_by_role(app, people, in_state):
    req = in_state("submitted")
    pages = {
        "/opendata/data-requests": EVERYONE,
        f"/opendata/data-requests/{req['id']}": EVERYONE,
        "/opendata/data-requests/new": LOGGED_IN,
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
