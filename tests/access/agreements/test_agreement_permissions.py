"""Who may call each action of agreements, grants and usage reports: the permission matrix
over the people fixture's roles plus the grantee (the applicant who signed)."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

ALL = ROLES + ["grantee"]
READERS = {"grantee", "agency_editor", "agency_admin", "supervisor", "sysadmin"}
MANAGERS = {"agency_editor", "agency_admin", "supervisor", "sysadmin"}
SIGNED_IN = set(ALL) - {"anonymous"}
AGENCY_SCOPE = {"agency_editor", "agency_admin", "other_agency_editor", "supervisor", "sysadmin"}
ALL_SCOPE = {"supervisor", "sysadmin"}
BODY = "协议 {agreement_number}：{agency} 与 {applicant}"
REPORT = {"usage": "用于停车诱导模型的训练和验证工作，共使用两次", "results": "模型准确率提升百分之五",
          "incidents": "无"}


def user_of(role, people, grantee):
    return grantee if role == "grantee" else people[role]


def call(action, role, people, grantee, data):
    user = user_of(role, people, grantee)
    return tk.get_action(action)({"user": user["name"] if user else ""}, data)


def allowed(action, role, people, grantee, data):
    try:
        call(action, role, people, grantee, data)
        return True
    except tk.NotAuthorized:
        return False


@pytest.fixture
def state(signed, approve, people, grantee):
    """A signed agreement with its grant, and a second, unsigned agreement of the grantee."""
    return make_state(signed, approve)


def make_state(signed, approve):
    grant = signed()
    other = tk.get_action("package_show")({"ignore_auth": True}, {"id": grant["package_id"]})
    unsigned = approve(resources=(2,))
    return {"grant": grant, "unsigned": unsigned, "package": other}


@pytest.mark.parametrize("role", ALL)
def test_model_text_actions(role, people, grantee):
    data = {"title": "协议", "body": BODY}
    assert allowed("lyg_opendata_agreement_template_create", role, people, grantee, data) \
        == (role == "sysadmin")
    assert allowed("lyg_opendata_agreement_template_preview", role, people, grantee, data) \
        == (role == "sysadmin")
    assert allowed("lyg_opendata_agreement_template_list", role, people, grantee, {}) \
        == (role in ALL_SCOPE)
    assert allowed("lyg_opendata_agreement_template_show", role, people, grantee, {}) \
        == (role in ALL_SCOPE)


@pytest.mark.parametrize("role", ALL)
def test_only_the_applicant_signs_not_even_a_sysadmin(role, state, people, grantee):
    may = allowed("lyg_opendata_agreement_sign", role, people, grantee,
                  {"id": state["unsigned"], "accept": True})
    assert may == (role == "grantee")


@pytest.mark.parametrize("role", ALL)
def test_revoking_is_for_the_agency_and_supervisors(role, state, people, grantee):
    may = allowed("lyg_opendata_grant_revoke", role, people, grantee,
                  {"id": state["grant"]["id"], "reason": "违反协议约定向第三方提供数据"})
    assert may == (role in MANAGERS)


@pytest.mark.parametrize("role", ALL)
def test_only_the_grantee_files_a_usage_report(role, state, people, grantee):
    report_id = state["grant"]["reports"][0]["id"]
    may = allowed("lyg_opendata_usage_report_submit", role, people, grantee,
                  {"id": report_id, **REPORT})
    assert may == (role == "grantee")
