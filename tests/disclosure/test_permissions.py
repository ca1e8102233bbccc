"""Who may do what with applications for disclosure: the allow/deny matrix by role, and
who sees the applicant's personal data."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure import auth as disclosure_auth
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

from tests.conftest import ROLES
from tests.disclosure.conftest import RESIDENT_ID, ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

ALL_ROLES = ROLES + ["applicant"]
EVERYONE = set(ALL_ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
HANDLING = {"agency_editor", "agency_admin", "sysadmin"}
INSIDERS = HANDLING | {"supervisor"}
STAFF = HANDLING | {"other_agency_editor", "supervisor"}

# (auth function, state of the application or None, roles allowed)
MATRIX = [
    ("lyg_opendata_disclosure_create", None, LOGGED_IN),
    ("lyg_opendata_disclosure_register", None, HANDLING),
    ("lyg_opendata_disclosure_show", "received", INSIDERS | {"applicant"}),
    ("lyg_opendata_disclosure_queue", None, STAFF),
    ("lyg_opendata_disclosure_my_list", None, LOGGED_IN),
    ("lyg_opendata_disclosure_request_correction", "received", HANDLING),
    ("lyg_opendata_disclosure_amend", "correction_requested", {"applicant"}),
    ("lyg_opendata_disclosure_extend", "received", {"agency_admin", "sysadmin"}),
    ("lyg_opendata_disclosure_transfer", "received", INSIDERS),
    ("lyg_opendata_disclosure_answer", "received", HANDLING),
    ("lyg_opendata_disclosure_withdraw", "received", {"applicant"}),
    # the platform's daily job (the site user) only
    ("lyg_opendata_disclosure_lapse", "correction_requested", {"sysadmin"}),
    ("lyg_opendata_disclosure_notice_download", "answered", INSIDERS | {"applicant"}),
    ("lyg_opendata_disclosure_file_download", "answered", INSIDERS | {"applicant"}),
    ("lyg_opendata_disclosure_letter_download", "received", INSIDERS),
    ("lyg_opendata_disclosure_letter_notice_download", "received", HANDLING),
    # the agency's own table (the city's: supervisors only, test_report.py)
    ("lyg_opendata_disclosure_yearly_report", None, INSIDERS),
    ("lyg_opendata_disclosure_report_figures_update", None, HANDLING),
]


def test_every_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == set(disclosure_auth.__all__)


def _who(people, applicant, role):
    return applicant if role == "applicant" else people[role]


@pytest.mark.parametrize("auth_name,state,allowed", MATRIX,
                         ids=[a.split("lyg_opendata_disclosure_")[1] for a, _s, _r in MATRIX])
def test_disclosure_permission_matrix(auth_name, state, allowed, people, agency, applicant,
                                      in_state):
    data = {"organization": agency["id"]}
    if state:
        data = {"id": in_state(state)["id"]}
    for role in ALL_ROLES:
        user = _who(people, applicant, role)
        context = {"user": user["name"] if user else "", "model": model}
        if role in allowed:
            assert tk.check_access(auth_name, context, dict(data)), role
        else:
            with pytest.raises(tk.NotAuthorized):
                tk.check_access(auth_name, context, dict(data))
                pytest.fail(f"{role} was allowed {auth_name}")


def test_denied_through_the_action_api_too(people, applicant, apply):
    req = apply()
    for role in ("anonymous", "registered", "other_agency_editor"):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("lyg_opendata_disclosure_show")(ctx(people[role]), {"id": req["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_disclosure_withdraw")(ctx(people["agency_editor"]), {"id": req["id"]})
    with pytest.raises(tk.NotAuthorized):  # auth before validation: no field rules leak
        tk.get_action("lyg_opendata_disclosure_answer")(ctx(people["registered"]), {"id": req["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_disclosure_queue")(ctx(people["registered"]), {})


def test_register_for_another_agency_is_refused(people, agency):
    other = model.Group.get("lyg-other-agency")
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_disclosure_register")(ctx(people["agency_editor"]), {
            "organization": other.id, "channel": "letter"})


def test_personal_data_masked_for_anyone_but_agency_and_supervisors(people, applicant, apply):
    req = apply()
    for role in ("agency_editor", "agency_admin", "supervisor", "sysadmin"):
        shown = tk.get_action("lyg_opendata_disclosure_show")(ctx(people[role]), {"id": req["id"]})
        assert shown["applicant_name"] == "王小明" and shown["id_number"] == RESIDENT_ID, role
        assert shown["phone"] == "13812345678" and not shown["personal_data_masked"], role
    own = tk.get_action("lyg_opendata_disclosure_show")(ctx(applicant), {"id": req["id"]})
    assert own["id_number"] == RESIDENT_ID
    # transferred away: the old agency keeps a masked view, in the queue too
    tk.get_action("lyg_opendata_disclosure_transfer")(ctx(people["supervisor"]), {
        "id": req["id"], "organization": "lyg-other-agency", "text": "由市统计局掌握。"})
    masked = tk.get_action("lyg_opendata_disclosure_show")(ctx(people["agency_editor"]), {"id": req["id"]})
    assert masked["personal_data_masked"]
    assert masked["applicant_name"] == "王*明"
    assert masked["id_number"] == "1101**********002X"
    assert masked["phone"] == "138****5678"
    assert masked["email"] == "w***@example.cn"
    assert "王小明" not in str(masked) and RESIDENT_ID not in str(masked)
    new = tk.get_action("lyg_opendata_disclosure_show")(ctx(people["other_agency_editor"]), {"id": req["id"]})
    assert new["applicant_name"] == "王小明"
    row = model.Session.get(DisclosureRequest, req["id"])
    assert row.id_number == RESIDENT_ID  # masking is in the output only


def test_queue_lists_own_agency_only_and_supervisors_all(people, agency, apply):
    mine = apply()
    other = apply(organization="lyg-other-agency")
    q = tk.get_action("lyg_opendata_disclosure_queue")
    assert [r["id"] for r in q(ctx(people["agency_editor"]), {})["results"]] == [mine["id"]]
    assert [r["id"] for r in q(ctx(people["other_agency_editor"]), {})["results"]] == [other["id"]]
    assert {r["id"] for r in q(ctx(people["supervisor"]), {})["results"]} == {mine["id"], other["id"]}
    my = tk.get_action("lyg_opendata_disclosure_my_list")(ctx(people["registered"]), {})
    assert my["count"] == 0
