"""Who may do what in the review workflow: the allow/deny matrix by role."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins")
# the matrix reads one world built once (matrix_world); the other tests clean up per test
PER_TEST = pytest.mark.usefixtures("clean_db", "clean_index")

EDITORS = {"agency_editor", "agency_admin", "sysadmin"}
REVIEWERS = {"supervisor", "sysadmin"}
INSIDERS = {"agency_editor", "agency_admin", "supervisor", "sysadmin"}
REGISTERED = set(ROLES) - {"anonymous"}

MATRIX = {
    # auth function: (state the dataset is in, roles allowed)
    "lyg_opendata_review_submit": ("draft", EDITORS),
    "lyg_opendata_review_approve": ("pending", REVIEWERS),
    "lyg_opendata_review_return": ("pending", REVIEWERS),
    "lyg_opendata_review_withdraw": ("published", INSIDERS),
    "lyg_opendata_review_history": ("pending", INSIDERS),
    "lyg_opendata_review_change_show": ("published", INSIDERS),
    "lyg_opendata_review_change_approve": ("published", REVIEWERS),
    "lyg_opendata_review_change_return": ("published", REVIEWERS),
    "lyg_opendata_review_queue": (None, REVIEWERS),
    "lyg_opendata_review_my_submissions": (None, REGISTERED),
    "lyg_opendata_withdrawal_list": (None, set(ROLES)),
}


@pytest.fixture
def dataset_in(people, agency, reviewer):
    """A dataset of ``agency`` in the given review state, submitted by a clerk who is
    none of the roles tested (so four eyes does not interfere)."""
    return dataset_maker(agency, reviewer)


@pytest.fixture(scope="module")
def matrix_world(shared_db):
    """The people and a dataset in each review state, built once: the matrix only asks
    the auth functions."""
    from tests.conftest import make_agency, make_people, make_reviewer, make_sysadmin
    agency = make_agency(make_sysadmin())
    people = make_people(agency)
    make = dataset_maker(agency, make_reviewer())
    return people, {state: make(state) for state in ("draft", "pending", "published")}


def dataset_maker(agency, reviewer):
    from ckan.tests import factories
    clerk = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agency["id"], "username": clerk["name"], "role": "editor"})

    def make(state):
        from tests.conftest import catalog_fields
        ds = tk.get_action("package_create")({"user": clerk["name"]}, catalog_fields(
            owner_org=agency["id"], name=f"perm-{state}", title="权限测试"))
        if state in ("pending", "published"):
            tk.get_action("lyg_opendata_review_submit")(
                {"user": clerk["name"]}, {"id": ds["id"], "desensitized": True})
        if state == "published":
            tk.get_action("lyg_opendata_review_approve")({"user": reviewer["name"]}, {"id": ds["id"]})
        return ds
    return make


@pytest.mark.parametrize("auth_name", sorted(MATRIX))
def test_review_permission_matrix(auth_name, matrix_world):
    people, datasets = matrix_world
    state, allowed = MATRIX[auth_name]
    data = {"id": datasets[state]["id"]} if state else {}
    for role in ROLES:
        user = people[role]
        context = {"user": user["name"] if user else "", "model": model}
        if role in allowed:
            assert helpers.call_auth(auth_name, context, **data), (auth_name, role)
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(auth_name, context, **data)
                pytest.fail(f"{auth_name} allowed {role}")


@PER_TEST
def test_review_pages_by_role(app, people):
    for role in ROLES:
        user = people[role]
        headers = {"Authorization": user["token"]} if user else {}
        queue = app.get("/opendata/review", headers=headers)
        assert queue.status_code == (200 if role in REVIEWERS else 403), role
        mine = app.get("/opendata/my-submissions", headers=headers)
        assert mine.status_code == (200 if role != "anonymous" else 403), role
        assert app.get("/opendata/withdrawn", headers=headers).status_code == 200


@PER_TEST
def test_review_buttons_post_endpoint_enforces_auth(app, people, dataset_in):
    ds = dataset_in("pending")
    # an agency editor cannot approve through the form endpoint
    resp = app.post(f"/dataset/{ds['name']}/review/approve",
                    headers={"Authorization": people["agency_editor"]["token"]})
    assert resp.status_code == 403
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": ds["id"]})["review_status"] == "pending"
    resp = app.post(f"/dataset/{ds['name']}/review/approve",
                    headers={"Authorization": people["supervisor"]["token"]}, follow_redirects=False)
    assert resp.status_code == 302
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": ds["id"]})["review_status"] == "published"
    assert app.post("/dataset/no-such/review/approve",
                    headers={"Authorization": people["supervisor"]["token"]}).status_code == 404
    assert app.post(f"/dataset/{ds['name']}/review/explode",
                    headers={"Authorization": people["supervisor"]["token"]}).status_code == 404


@PER_TEST
def test_supervisor_reads_submitted_entries_of_any_agency_but_not_drafts(people, dataset_in):
    pending = dataset_in("pending")
    draft = dataset_in("draft")
    ctx = {"user": people["supervisor"]["name"], "model": model}
    assert helpers.call_auth("package_show", ctx, id=pending["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("package_show", ctx, id=draft["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("package_show", {"user": people["other_agency_editor"]["name"],
                                           "model": model}, id=pending["id"])


@PER_TEST
def test_header_links_to_the_review_pages_by_role(app, people):
    for role in ROLES:
        user = people[role]
        body = app.get("/dataset/", headers={"Authorization": user["token"]} if user else {}).body
        assert ("/opendata/review" in body) == (role in REVIEWERS), role
        assert ("/opendata/calendar" in body) == (role in REVIEWERS), role
        assert ("/opendata/my-submissions" in body) == (role in {"agency_editor", "agency_admin",
                                                                 "other_agency_editor"}), role
