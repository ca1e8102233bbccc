"""Staff filing (Art 35): an agency files its leader and staff (history kept), supervisors
see who has not filed; nobody else sees names or contacts; field errors; pages."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

FILING = {"leader_name": "张局长", "leader_post": "副局长", "leader_contact": "0518-80000001",
          "staff_name": "李专员", "staff_post": "数据开放专员", "staff_contact": "0518-80000002"}
MATRIX = [
    ("lyg_opendata_staff_filing_submit", {"agency_editor", "agency_admin", "sysadmin"}),
    ("lyg_opendata_staff_filing_show", {"agency_editor", "agency_admin", "supervisor", "sysadmin"}),
    ("lyg_opendata_staff_filing_list", {"supervisor", "sysadmin"}),
]


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


@pytest.mark.parametrize("auth_name,allowed", MATRIX, ids=[m[0].split("filing_")[1] for m in MATRIX])
def test_permission_matrix(auth_name, allowed, people, agency):
    for role in ROLES:
        try:
            tk.check_access(auth_name, ctx(people[role]), {"organization": agency["name"]})
            got = True
        except tk.NotAuthorized:
            got = False
        assert got == (role in allowed), (auth_name, role)


def test_filing_history_and_who_has_not_filed(people, agency):
    submit = tk.get_action("lyg_opendata_staff_filing_submit")
    sup = ctx(people["supervisor"])
    listed = tk.get_action("lyg_opendata_staff_filing_list")(sup, {})
    assert {r["organization"]: r["current"] for r in listed} == {
        agency["name"]: None, "lyg-other-agency": None}
    submit(ctx(people["agency_editor"]), {"organization": agency["name"], **FILING})
    submit(ctx(people["agency_admin"]), {"organization": agency["name"], **FILING,
                                         "staff_name": "王专员"})
    shown = tk.get_action("lyg_opendata_staff_filing_show")(sup, {"organization": agency["name"]})
    assert shown["current"]["staff"][0]["name"] == "王专员"
    assert [h["staff"][0]["name"] for h in shown["history"]] == ["李专员"]
    listed = tk.get_action("lyg_opendata_staff_filing_list")(sup, {})
    assert [r["organization"] for r in listed] == ["lyg-other-agency", agency["name"]]  # not filed first
    with pytest.raises(tk.NotAuthorized):
        submit(ctx(people["other_agency_editor"]), {"organization": agency["name"], **FILING})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_staff_filing_show")(
            ctx(people["registered"]), {"organization": agency["name"]})


@pytest.mark.parametrize("field,value", [("leader_name", ""), ("staff_contact", " "),
                                         ("leader_post", "长" * 201)])
def test_bad_input_is_a_field_error(people, agency, field, value):
    with pytest.raises(tk.ValidationError) as e:
        tk.get_action("lyg_opendata_staff_filing_submit")(
            ctx(people["agency_admin"]), {"organization": agency["name"], **FILING, field: value})
    assert field in e.value.error_dict


def test_pages(app, people, agency):
    token = lambda role: {"Authorization": people[role]["token"]}  # noqa: E731
    resp = app.post("/opendata/staff-filing", headers=token("agency_editor"),
                    data={"organization": agency["name"], **FILING, "leader_name": ""})
    soup = BeautifulSoup(resp.body, "html.parser")
    assert soup.select_one(".is-invalid#sf-%s-leader_name" % agency["name"]) is not None
    app.post("/opendata/staff-filing", headers=token("agency_editor"),
             data={"organization": agency["name"], **FILING})
    soup = BeautifulSoup(app.get("/opendata/staff-filing", headers=token("agency_editor")).body,
                         "html.parser")
    assert "李专员" in soup.select_one(".lyg-staff-current").get_text()
    sup = BeautifulSoup(app.get("/opendata/staff-filing", headers=token("supervisor")).body,
                        "html.parser")
    assert sup.select_one(f'[data-agency="{agency["name"]}"]')["data-filed"] == "true"
    assert sup.select_one('[data-agency="lyg-other-agency"]')["data-filed"] == "false"
    app.get("/opendata/staff-filing", headers=token("registered"), status=403)
    body = app.get("/opendata/staff-filing", headers=token("other_agency_editor")).body
    assert "李专员" not in body and "0518-80000002" not in body
