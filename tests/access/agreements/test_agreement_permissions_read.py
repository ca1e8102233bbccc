"""The read-only part of the agreement permission matrix (test_agreement_permissions.py):
reading agreements and grants, and the lists by scope. These tests only read, so the world
(the people, the grantee's signed agreement with its grant and a second, unsigned
agreement) is built once for the module instead of once per test and role."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from tests.access.agreements.test_agreement_permissions import (
    AGENCY_SCOPE, ALL, ALL_SCOPE, READERS, SIGNED_IN, allowed, call, make_state)
from tests.access.agreements.conftest import (
    approver, make_cond_dataset, make_grantee, signer)

# one world for the whole module (the tests read it): no clean_db per test
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(scope="module")
def read_world(shared_db):
    """What the fixtures of test_agreement_permissions.py build for ``state``, in their
    order: the agency (its admin the sysadmin), the reviewer, the published conditional
    dataset, the people of every role, the grantee, then the agreements."""
    from tests.conftest import (
        dataset_creator, make_agency, make_people, make_reviewer, make_sysadmin, publisher)
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    reviewer = make_reviewer()
    create, publish = dataset_creator(sysadmin, agency), publisher(sysadmin, reviewer)
    cond_dataset = make_cond_dataset(lambda **kwargs: publish(create(**kwargs)))
    people = make_people(agency)
    grantee = make_grantee()
    approve = approver(cond_dataset, people, grantee)
    state = make_state(signer(approve, grantee), approve)
    return state, people, grantee


@pytest.fixture
def state(read_world):
    return read_world[0]


@pytest.fixture
def people(read_world):
    return read_world[1]


@pytest.fixture
def grantee(read_world):
    return read_world[2]


@pytest.mark.parametrize("role", ALL)
def test_reading_agreements_and_grants(role, state, people, grantee):
    grant = state["grant"]
    assert allowed("lyg_opendata_agreement_show", role, people, grantee,
                   {"id": grant["agreement_id"]}) == (role in READERS)
    assert allowed("lyg_opendata_grant_show", role, people, grantee,
                   {"id": grant["id"]}) == (role in READERS)


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("action", ["lyg_opendata_agreement_list", "lyg_opendata_grant_list",
                                    "lyg_opendata_usage_report_list"])
def test_lists_by_scope(role, action, state, people, grantee):
    for scope, who in (("mine", SIGNED_IN), ("agency", AGENCY_SCOPE), ("all", ALL_SCOPE)):
        assert allowed(action, role, people, grantee, {"scope": scope}) == (role in who), scope


@pytest.mark.parametrize("role, count", [("grantee", 1), ("registered", 0),
                                         ("other_agency_editor", 0), ("agency_editor", 1),
                                         ("supervisor", 1)])
def test_what_each_scope_holds(role, count, state, people, grantee):
    scope = {"grantee": "mine", "registered": "mine", "supervisor": "all"}.get(role, "agency")
    grants = call("lyg_opendata_grant_list", role, people, grantee, {"scope": scope})
    assert grants["count"] == count
    agreements = call("lyg_opendata_agreement_list", role, people, grantee, {"scope": scope})
    assert agreements["count"] == 2 * count
    reports = call("lyg_opendata_usage_report_list", role, people, grantee, {"scope": scope})
    assert reports["count"] == count


def test_another_agencys_list_is_refused(state, people, grantee):
    with pytest.raises(tk.NotAuthorized):
        call("lyg_opendata_grant_list", "other_agency_editor", people, grantee,
             {"scope": "agency", "organization": "lyg-jtj-test"})
    with pytest.raises(tk.ValidationError) as err:
        call("lyg_opendata_grant_list", "agency_editor", people, grantee,
             {"scope": "agency", "organization": "no-such-org"})
    assert "organization" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        call("lyg_opendata_grant_list", "agency_editor", people, grantee, {"scope": "everything"})
    assert "scope" in err.value.error_dict
