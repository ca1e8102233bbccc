"""The two matrices of the application tests (test_applications.py): every action from every
state, and who may call each action. Each test makes its own application, by an applicant
of its own; the rest of the world (the agency, the people of every role, the published
conditional dataset) only serves as the setting, so it is built once for the module
instead of once per test, status, action and role (see ``shared_db`` in tests/conftest.py).
Another applicant's applications do not change what a test asserts about its own."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.applications import workflow
from tests.access.conftest import SECRET, act, ctx, form_data
from tests.access.test_applications import (
    ALL_ROLES, DECIDE, MAY, _errors, _move_to, _people_with_applicant)

# one world for the whole module: no clean_db per test
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(scope="module")
def matrix_world(shared_db):
    """What the fixtures ``cond_dataset`` and ``people`` build, in their order: the agency
    (its admin the sysadmin), the reviewer, the published conditional dataset, the people."""
    from tests.conftest import (
        dataset_creator, make_agency, make_people, make_reviewer, make_sysadmin, publisher)
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    create, publish = dataset_creator(sysadmin, agency), publisher(sysadmin, make_reviewer())
    cond_dataset = publish(create(
        name="bus-gps", title="公交车辆实时位置", open_type="conditional",
        open_conditions="仅限交通规划研究使用，不得向第三方提供",
        resources=[{"url": SECRET, "format": "CSV", "name": "车辆位置"},
                   {"url": SECRET + "?b", "format": "CSV", "name": "线路站点"}]))
    return cond_dataset, make_people(agency)


@pytest.fixture
def cond_dataset(matrix_world):
    return matrix_world[0]


@pytest.fixture
def people(matrix_world):
    return matrix_world[1]


@pytest.mark.parametrize("status", workflow.STATUSES)
@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
def test_every_action_from_every_state(status, action, apply, people, applicant):
    app_id = _move_to(status, apply, people, applicant)
    who, data = DECIDE[action]
    user = applicant if who == "applicant" else people[who]
    allowed, target = workflow.TRANSITIONS[action]
    before = len(act("lyg_opendata_application_events", applicant, id=app_id))
    if status in allowed:
        result = act(f"lyg_opendata_application_{action}", user, id=app_id, **data)
        assert result["status"] == target
        events = act("lyg_opendata_application_events", applicant, id=app_id)
        assert len(events) == before + 1
        assert (events[-1]["action"], events[-1]["from_status"], events[-1]["to_status"]) == (
            action, status, target)
    else:
        with pytest.raises(tk.ValidationError) as e:
            act(f"lyg_opendata_application_{action}", user, id=app_id, **data)
        assert "status" in _errors(e)
        assert act("lyg_opendata_application_show", applicant, id=app_id)["status"] == status
        assert len(act("lyg_opendata_application_events", applicant, id=app_id)) == before


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", sorted(MAY))
def test_permission_matrix(action, role, apply, people, applicant, cond_dataset):
    users = _people_with_applicant(people, applicant)
    user = users[role]
    app_id = apply()["id"]
    if action == "supply_info":
        act("lyg_opendata_application_request_info", people["agency_editor"], id=app_id,
            message="请补充立项文件。")
    name = f"lyg_opendata_application_{action}"
    data = {"id": app_id}
    if action == "create":
        data = {"package_id": cond_dataset["id"]}
    allowed = role in MAY[action]
    if action == "create" and role == "applicant":
        allowed = True  # allowed to apply; the open one makes it a ValidationError
    try:
        tk.check_access(name, ctx(user), data)
        got = True
    except tk.NotAuthorized:
        got = False
    assert got == allowed, (action, role)
    # and through the action itself
    payload = {"create": lambda: form_data(cond_dataset), **{
        a: (lambda a=a: {"id": app_id, **DECIDE[a][1]}) for a in DECIDE},
        "show": lambda: {"id": app_id}, "events": lambda: {"id": app_id}}[action]()
    if allowed:
        try:
            tk.get_action(name)(ctx(user), payload)
        except tk.ValidationError:
            assert action == "create" and role == "applicant"
    else:
        with pytest.raises(tk.NotAuthorized):
            tk.get_action(name)(ctx(user), payload)
