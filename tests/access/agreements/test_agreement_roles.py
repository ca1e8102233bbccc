"""Issue 11 finding 5: one per-role decision of what of an agreement each role reads, on
every surface (action, page, print, download.txt, PDF). The frozen text names the
applicant's contact person, phone and email: the applicant, the agency and sysadmins read
it (and its SHA-256 verifies it); supervisors read the terms and the hash only."""
from __future__ import annotations

import hashlib

import pytest

import ckan.plugins.toolkit as tk


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

CONTACT = ("13800000000", "wangwu@example.com")


def _headers(user):
    return {"Authorization": user["token"]}


def test_supervisors_read_the_terms_not_the_contact_details(app, approve, people, grantee):
    agreement_id = approve()
    readers = {"grantee": grantee, "agency_editor": people["agency_editor"],
               "sysadmin": people["sysadmin"]}
    for role, user in readers.items():
        shown = tk.get_action("lyg_opendata_agreement_show")({"user": user["name"]},
                                                             {"id": agreement_id})
        assert all(c in shown["text"] for c in CONTACT), role
        assert hashlib.sha256(shown["text"].encode("utf-8")).hexdigest() == shown["sha256"]
        for suffix in ("", "/print", "/download.txt"):
            resp = app.get(f"/opendata/agreement/{agreement_id}{suffix}", headers=_headers(user))
            assert resp.status_code == 200 and CONTACT[0] in resp.get_data(as_text=True), \
                (role, suffix)
    supervisor = people["supervisor"]
    shown = tk.get_action("lyg_opendata_agreement_show")({"user": supervisor["name"]},
                                                         {"id": agreement_id})
    assert shown["text"] is None and shown["text_withheld"] and shown["sha256"]
    for suffix in ("", "/print"):
        resp = app.get(f"/opendata/agreement/{agreement_id}{suffix}",
                       headers=_headers(supervisor))
        assert resp.status_code == 200, suffix
        body = resp.get_data(as_text=True)
        assert not [c for c in CONTACT if c in body], suffix
        assert shown["sha256"] in body
    for suffix in ("/download.txt", "/download.pdf"):
        resp = app.get(f"/opendata/agreement/{agreement_id}{suffix}",
                       headers=_headers(supervisor))
        assert resp.status_code == 403, suffix
        assert not [c for c in CONTACT if c.encode() in resp.data]
    api = app.get("/api/3/action/lyg_opendata_agreement_show", query_string={"id": agreement_id},
                  headers=_headers(supervisor))
    assert api.status_code == 200 and not [c for c in CONTACT if c in api.get_data(as_text=True)]
