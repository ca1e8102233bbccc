"""Fixtures of the open list and freshness tests: a user per role around the agency, and
catalog entries of both agencies in every review state."""
import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import catalog_fields

ROLES = ["anonymous", "registered", "other_agency_editor", "agency_editor", "agency_admin",
         "supervisor", "sysadmin"]


def _user(**kwargs):
    return factories.UserWithToken(email=f"{uuid.uuid4().hex}@example.invalid", **kwargs)


# the make_* functions build what the fixtures of the same name give, for module-scoped
# worlds (tests/catalog/test_openlist.py)
def make_other_agency():
    return factories.Organization(name="lyg-tjj-test", title="市统计局")


@pytest.fixture
def other_agency():
    return make_other_agency()


@pytest.fixture
def people(agency, other_agency):
    """One user per role around ``agency`` (None for anonymous): a registered user with no
    organization, an editor of another agency, the agency's editor and admin, a supervisor
    (editor of the supervising organization 市大数据管理局) and a sysadmin; each with a
    unique e-mail address."""
    return make_role_people(agency, other_agency)


def make_role_people(agency, other_agency):
    users = {role: _user() for role in ROLES if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.SysadminWithToken(email=f"{uuid.uuid4().hex}@example.invalid")
    supervisor_org = factories.Organization(
        name=tk.config.get("ckanext.lyg_opendata.supervisor_org"), title="市大数据管理局")
    member = tk.get_action("organization_member_create")
    ctx = {"ignore_auth": True}
    member(ctx, {"id": other_agency["id"], "username": users["other_agency_editor"]["name"],
                 "role": "editor"})
    member(ctx, {"id": agency["id"], "username": users["agency_editor"]["name"], "role": "editor"})
    member(ctx, {"id": agency["id"], "username": users["agency_admin"]["name"], "role": "admin"})
    member(ctx, {"id": supervisor_org["id"], "username": users["supervisor"]["name"],
                 "role": "editor"})
    users["anonymous"] = None
    return users


@pytest.fixture
def zh(app):
    """Run the test inside a request of the app in its default language (zh_Hans_CN). Not
    for tests that make requests: those share its ``g`` and so its cached locale."""
    with app.flask_app.test_request_context("/"):
        yield


def user_name(user):
    return user["name"] if user else ""


def auth_header(user):
    return {"Authorization": user["token"]} if user else {}


@pytest.fixture
def make_entry(sysadmin, reviewer):
    """Create an entry of ``org`` in a review state: draft, pending or published."""
    return entry_maker(sysadmin, reviewer)


def entry_maker(sysadmin, reviewer):
    def make(org, title, status="published", **kwargs):
        data = catalog_fields(owner_org=org["id"], title=title,
                              name=kwargs.pop("name", None) or f"e-{uuid.uuid4().hex[:12]}",
                              **kwargs)
        pkg = tk.get_action("package_create")({"user": sysadmin["name"]}, data)
        if status in ("pending", "published"):
            tk.get_action("lyg_opendata_review_submit")(
                {"user": sysadmin["name"]}, {"id": pkg["id"], "desensitized": True})
        if status == "published":
            tk.get_action("lyg_opendata_review_approve")(
                {"user": reviewer["name"]}, {"id": pkg["id"]})
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": pkg["id"]})
    return make


@pytest.fixture
def catalog(agency, other_agency, make_entry):
    """Entries of both agencies in every state that matters for visibility."""
    return make_catalog(agency, other_agency, make_entry)


def make_catalog(agency, other_agency, make_entry):
    return {
        "a_published": make_entry(agency, "甲局已发布"),
        "a_draft": make_entry(agency, "甲局草稿", status="draft"),
        "a_pending": make_entry(agency, "甲局待审核", status="pending"),
        "a_non_open": make_entry(agency, "甲局非开放", open_type="non_open",
                                 non_open_basis="state_secret", non_open_reason="涉及国家秘密"),
        "b_published": make_entry(other_agency, "乙局已发布"),
        "b_draft": make_entry(other_agency, "乙局草稿", status="draft"),
    }
