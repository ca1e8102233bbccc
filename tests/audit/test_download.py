"""A grantee's download through CKAN's download route (the download guard of the access
domain) lands in the access log, and the agency sees it; the agency's own download does not."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import audit

from tests.access.agreements.conftest import (  # noqa: F401 (fixtures)
    SECRET, approve, cond_dataset, grantee, signed)

pytestmark = pytest.mark.usefixtures("audit_db")


def test_a_grantees_download_is_logged_and_shown_to_the_agency(app, cond_dataset, grantee,
                                                             signed, people):
    grant = signed()
    res = cond_dataset["resources"][0]
    url = f"/dataset/{cond_dataset['name']}/resource/{res['id']}/download"
    resp = app.get(url, headers={"Authorization": grantee["token"], "User-Agent": "LygTest/2"},
                   follow_redirects=False)
    assert resp.status_code == 302 and resp.headers["Location"] == SECRET.format(n=0)
    app.get(url, headers={"Authorization": people["agency_editor"]["token"]},
            follow_redirects=False, status=302)  # the agency's own: not logged
    result = tk.get_action("lyg_opendata_access_log_list")(
        {"user": people["agency_editor"]["name"]}, {"package": cond_dataset["name"]})
    assert result["count"] == 1
    [rec] = result["results"]
    assert rec["resource_id"] == res["id"] and rec["channel"] == "api"
    assert rec["grant_id"] == grant["id"] and rec["org_id"] == cond_dataset["owner_org"]
    assert rec["user_fullname"] == "示*****人"  # 示例科技联系人, masked
    assert audit.people_who_accessed(cond_dataset["id"]) == [grantee["id"]]
