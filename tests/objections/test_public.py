"""What the public sees: the marker while an accepted objection is open (page and search),
the answers, and never the raiser's personal details (page, API, activity); user text is
shown as text."""
import json

import pytest

import ckan.plugins.toolkit as tk

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0)]

MARKER = "有异议，核实中"


def search(fq):
    return tk.get_action("package_search")({"user": ""}, {"fq": fq})


def test_marker_appears_while_accepted_and_goes_when_answered(app, people, dataset, raise_objection):
    obj = raise_objection()
    page = app.get(f"/dataset/{dataset['name']}").body
    assert MARKER not in page  # raised, not yet accepted
    assert search("under_objection:true")["count"] == 0

    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    page = app.get(f"/dataset/{dataset['name']}").body
    assert MARKER in page and "数据错误" in page
    assert [d["name"] for d in search("under_objection:true")["results"]] == [dataset["name"]]
    # the sidebar offers the filter, and /dataset/?under_objection=true applies it
    listing = app.get("/dataset/").body
    assert "under_objection=true" in listing and MARKER in listing
    assert dataset["title"] in app.get("/dataset/?under_objection=true").body

    tk.get_action("lyg_opendata_objection_answer")(ctx(people["agency_editor"]), {
        "id": obj["id"], "outcome": "no_error", "explanation": "经核实，停车场数量为 1200 个，数据无误。"})
    page = app.get(f"/dataset/{dataset['name']}").body
    assert MARKER not in page
    assert search("under_objection:true")["count"] == 0
    assert "under_objection=true" not in app.get("/dataset/").body
    # the answer stays public
    body = app.get(f"/opendata/objections/{obj['id']}").body
    assert "经核实，停车场数量为 1200 个，数据无误。" in body and "经核实无误" in body


def test_raiser_details_are_never_public(app, people, dataset, raise_objection):
    raiser = people["registered"]
    obj = raise_objection(contact="13800001234 张先生")
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    secrets = [raiser["name"], raiser["fullname"], raiser["email"], "13800001234", raiser["id"]]

    outputs = {
        "api show": json.dumps(app.get(f"/api/3/action/lyg_opendata_objection_show?id={obj['id']}").json),
        "api list": json.dumps(app.get(
            f"/api/3/action/lyg_opendata_objection_list?package_id={dataset['id']}").json),
        "objection page": app.get(f"/opendata/objections/{obj['id']}").body,
        "dataset page": app.get(f"/dataset/{dataset['name']}").body,
        "objections tab": app.get(f"/dataset/{dataset['name']}/objections").body,
        "package_show": json.dumps(app.get(f"/api/3/action/package_show?id={dataset['id']}").json),
        "activity": json.dumps(app.get(
            f"/api/3/action/package_activity_list?id={dataset['id']}").json),
        "activity page": app.get(f"/dataset/activity/{dataset['name']}").body,
        "search": json.dumps(app.get("/api/3/action/package_search?q=停车场").json),
        # a logged-in stranger (another agency's editor) sees no more than the public
        "stranger": json.dumps(app.get(
            f"/api/3/action/lyg_opendata_objection_show?id={obj['id']}",
            headers={"Authorization": people["other_agency_editor"]["token"]}).json),
    }
    for where, text in outputs.items():
        for secret in secrets:
            assert secret not in text, (where, secret)
    # the agency handling it does see who raised it and how to reach them
    insider = tk.get_action("lyg_opendata_objection_show")(ctx(people["agency_editor"]), {"id": obj["id"]})
    assert insider["raised_by"] == raiser["name"] and insider["contact"] == "13800001234 张先生"
    # and the raiser sees their own contact
    own = tk.get_action("lyg_opendata_objection_show")(ctx(raiser), {"id": obj["id"]})
    assert own["contact"] == "13800001234 张先生" and "raised_by" not in own


def test_privacy_objection_description_is_not_public(people, raise_objection):
    obj = raise_objection(type="privacy", description="第 12 行包含身份证号 320700199001011234。")
    public = tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": obj["id"]})
    assert public["description"] is None and public["description_withheld"]
    assert "320700199001011234" not in json.dumps(public)
    insider = tk.get_action("lyg_opendata_objection_show")(ctx(people["agency_editor"]), {"id": obj["id"]})
    assert "320700199001011234" in insider["description"]


def test_script_in_the_description_shows_as_text(app, people, dataset, raise_objection):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)> **粗体** [链接](javascript:alert(1))'
    obj = raise_objection(description=attack)
    tk.get_action("lyg_opendata_objection_reject")(ctx(people["agency_editor"]), {
        "id": obj["id"], "reason": "<b>无效</b><script>alert(2)</script>"})
    body = app.get(f"/opendata/objections/{obj['id']}").body
    assert '<script>alert("x")</script>' not in body and "<script>alert(2)</script>" not in body
    assert "<img src=x" not in body and "<b>无效</b>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body or \
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;b&gt;无效&lt;/b&gt;" in body
    assert "**粗体**" in body  # no Markdown either


def test_answer_can_be_kept_private(people, raise_objection):
    obj = raise_objection()
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    tk.get_action("lyg_opendata_objection_answer")(ctx(people["agency_editor"]), {
        "id": obj["id"], "outcome": "no_error", "explanation": "涉及内部核查细节。", "public": False})
    public = tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": obj["id"]})
    assert public["answer_text"] is None and public["answer_withheld"]
    assert "涉及内部核查细节。" not in json.dumps(public)
    own = tk.get_action("lyg_opendata_objection_show")(ctx(people["registered"]), {"id": obj["id"]})
    assert own["answer_text"] == "涉及内部核查细节。"
