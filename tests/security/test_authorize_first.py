"""Issue 11 finding 8: the extension's actions authorise before they validate (as CKAN
core does): a caller without the right learns no field rule, only 403."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _post(app, action, params, user=None):
    return app.post(f"/api/3/action/{action}", json=params,
                    headers={"Authorization": user["token"]} if user else {})


def test_unauthorised_callers_get_403_not_field_rules(app, people, published_dataset):
    ds = published_dataset(name="authz-first")
    cases = [
        ("lyg_opendata_review_withdraw", {"id": ds["id"], "reason": ""}, people["registered"]),
        ("lyg_opendata_review_withdraw", {"id": ds["id"]}, None),
        ("lyg_opendata_review_approve", {"id": ds["id"], "reason": ["x"]}, people["agency_editor"]),
        ("lyg_opendata_application_list", {"scope": "all", "limit": "x"}, people["registered"]),
        ("lyg_opendata_review_queue", {"organization": {"a": 1}}, people["registered"]),
    ]
    for action, params, user in cases:
        resp = _post(app, action, params, user)
        assert resp.status_code == 403, (action, params, resp.status_code,
                                         resp.get_data(as_text=True)[:300])
        assert "Validation" not in resp.get_data(as_text=True)


def test_authorised_callers_still_get_field_errors(app, people, published_dataset):
    ds = published_dataset(name="authz-first-ok")
    resp = _post(app, "lyg_opendata_review_withdraw", {"id": ds["id"], "reason": ""},
                 people["supervisor"])
    assert resp.status_code == 409 and "reason" in resp.json["error"]
    resp = _post(app, "lyg_opendata_application_list", {"scope": "all", "limit": "x\x00"},
                 people["supervisor"])
    assert resp.status_code == 409
