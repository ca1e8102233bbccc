"""The showcase of uses (数据应用, Art 29): submission, review by supervisors, withdrawal,
every verb from every state, the role matrix of every action, field errors, pictures
through CKAN's uploader, usage reports turned into entries with consent, and what the
public sees (the dataset pages list published entries; the submitter stays private)."""
from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.showcase import logic
from ckanext.lyg_opendata.showcase.model import Showcase

from tests.access.agreements.conftest import (  # noqa: F401 (fixtures)
    approve, cond_dataset, grantee, signed)
from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# a 1×1 PNG
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_showcase_{name}")(ctx(user), data)


@pytest.fixture
def datasets(published_dataset, create_dataset):
    bus = published_dataset(name="sc-bus", title="公交线路")
    parking = published_dataset(name="sc-parking", title="停车场名录")
    draft = create_dataset(name="sc-draft", title="未发布的草稿")
    return {"bus": bus, "parking": parking, "draft": draft}


@pytest.fixture
def company():
    return factories.UserWithToken(fullname="港城数据科技联系人")


def entry(**kw):
    data = {"title": "连云港停车诱导小程序", "description": "根据停车场名录和公交线路为市民推荐停车与换乘方案。",
            "type": "app", "organization_name": "港城数据科技有限公司",
            "url": "https://example.cn/parking", "datasets": "sc-bus sc-parking"}
    data.update(kw)
    return data


def test_submit_publish_and_the_dataset_pages_list_it(app, people, datasets, company):
    made = act("create", company, **entry())
    assert made["status"] == "submitted" and made["own"] is True
    assert [d["name"] for d in made["datasets"]] == ["sc-bus", "sc-parking"][::-1] or \
        {d["name"] for d in made["datasets"]} == {"sc-bus", "sc-parking"}
    # supervisors are told; nothing public yet
    sup = model.User.get(people["supervisor"]["name"])
    assert model.Session.query(Notice).filter(Notice.user_id == sup.id).count() == 1
    assert act("list", None)["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        act("show", people["registered"], id=made["id"])
    page = app.get("/dataset/sc-bus").body
    assert "连云港停车诱导小程序" not in page
    act("publish", people["supervisor"], id=made["id"])
    public = act("show", None, id=made["id"])
    assert public["status"] == "published" and public["published_at"]
    for private in ("submitted_by", "review_note", "events"):
        assert private not in public
    assert act("list", None, package_id="sc-parking")["count"] == 1
    for name in ("sc-bus", "sc-parking"):
        soup = BeautifulSoup(app.get(f"/dataset/{name}").body, "html.parser")
        titles = [a.get_text(strip=True) for a in soup.select(".lyg-dataset-showcases .card-title a")]
        assert titles == ["连云港停车诱导小程序"], name
    # the submitter hears of it
    me = model.User.get(company["name"])
    assert model.Session.query(Notice).filter(Notice.user_id == me.id).count() == 1
    # supervisors see who submitted it
    assert act("show", people["supervisor"], id=made["id"])["submitted_by"] == "港城数据科技联系人"


def test_every_verb_from_every_state(people, datasets, company):
    for start in sorted(logic.TRANSITIONS.states):
        for verb in logic.TRANSITIONS:
            row_id = tk.get_action("lyg_opendata_showcase_create")(  # past the hourly limit
                {"user": company["name"], "ignore_auth": True}, entry(title=f"用途 {start} {verb}"))["id"]
            row = model.Session.get(Showcase, row_id)
            row.status = start
            model.repo.commit()
            data = {"id": row_id, "reason": "请补充说明使用了哪些字段"}
            if verb == "update":
                data = {"id": row_id, **entry(title=f"用途 {start} {verb} 改")}
            user = company if verb in ("update",) else people["supervisor"]
            if logic.TRANSITIONS.can(verb, start):
                out = tk.get_action(f"lyg_opendata_showcase_{verb}")(ctx(user), data)
                assert out["status"] == logic.TRANSITIONS[verb][1], (start, verb)
            else:
                with pytest.raises(tk.ValidationError) as e:
                    tk.get_action(f"lyg_opendata_showcase_{verb}")(ctx(user), data)
                assert "status" in e.value.error_dict, (start, verb)
                assert model.Session.get(Showcase, row_id).status == start


ALLOWED = {
    # action -> roles (besides the submitter) that may call it on a submitted entry
    "show": {"supervisor", "sysadmin"},
    "update": {"sysadmin"},  # CKAN's sysadmins pass every auth function
    "publish": {"supervisor", "sysadmin"},
    "return": {"supervisor", "sysadmin"},
    "withdraw": {"supervisor", "sysadmin"},
}


@pytest.mark.parametrize("verb", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(verb, role, people, datasets, company):
    row_id = act("create", company, **entry())["id"]
    data = {"id": row_id, "reason": "不符合要求"}
    if verb == "update":
        data = {"id": row_id, **entry(title="改过的标题")}
    call = lambda: tk.get_action(f"lyg_opendata_showcase_{verb}")(ctx(people[role]), data)  # noqa: E731
    if role in ALLOWED[verb]:
        call()
    else:
        with pytest.raises(tk.NotAuthorized):
            call()
        assert model.Session.get(Showcase, row_id).status == "submitted"
    # the submitter may show, change and withdraw their own entry, not review it
    for own_verb, may in (("show", True), ("publish", False), ("return", False)):
        if may:
            act(own_verb, company, id=row_id)
        else:
            with pytest.raises(tk.NotAuthorized):
                act(own_verb, company, id=row_id, reason="自己审核")


@pytest.mark.parametrize("role", ROLES)
def test_anyone_lists_published_entries_and_only_signed_in_people_submit(role, people, datasets):
    assert act("list", people[role])["count"] == 0
    if role == "anonymous":
        with pytest.raises(tk.NotAuthorized):
            act("create", None, **entry())
    else:
        assert act("create", people[role], **entry())["status"] == "submitted"
    # only supervisors list entries that are not published
    if role in ("supervisor", "sysadmin"):
        assert act("list", people[role], status="submitted")["count"] == (0 if role == "anonymous" else 1)
    else:
        with pytest.raises(tk.NotAuthorized):
            act("list", people[role], status="submitted")


@pytest.mark.parametrize("data, field", [
    (entry(title=""), "title"), (entry(type="game"), "type"), (entry(url="ftp://x"), "url"),
    (entry(datasets="sc-draft"), "datasets"), (entry(datasets="no-such-dataset"), "datasets"),
    (entry(datasets=""), "datasets"), (entry(organization_name=""), "organization_name"),
    (entry(description=["列表"]), "description"), (entry(usage_report_id="nope"), "usage_report_id"),
])
def test_field_errors_and_nothing_saved(data, field, people, datasets, company):
    with pytest.raises(tk.ValidationError) as e:
        act("create", company, **data)
    assert field in e.value.error_dict
    assert model.Session.query(Showcase).count() == 0


def test_the_form_posts_a_picture_and_refuses_a_non_image(app, people, datasets, company):
    auth = {"Authorization": company["token"]}
    form = app.get("/opendata/showcase/new?dataset=sc-bus", headers=auth)
    assert 'value="sc-bus"' in form.body
    bad = app.post("/opendata/showcase/new", headers=auth, data={
        **entry(), "image_upload": (io.BytesIO(b"<script>alert(1)</script>"), "x.png")})
    soup = BeautifulSoup(bad.body, "html.parser")
    assert "PNG" in soup.select_one(".lyg-showcase-form").get_text()
    assert model.Session.query(Showcase).count() == 0
    good = app.post("/opendata/showcase/new", headers=auth, data={
        **entry(), "image_upload": (io.BytesIO(PNG), "pic.png")}, follow_redirects=False)
    assert good.status_code == 302
    row = model.Session.query(Showcase).one()
    assert row.image_url and row.image_url.endswith("pic.png")
    shown = act("show", company, id=row.id)
    assert shown["image_display_url"].endswith(f"/uploads/showcase/{row.image_url}")
    assert app.get(f"/uploads/showcase/{row.image_url}").data.startswith(b"\x89PNG")
    # an image address given through the API is not taken (no third-party requests)
    other = act("create", company, **entry(image_url="http://evil.example/track.png"))
    assert other["image_display_url"] is None


def test_user_text_is_escaped(app, people, datasets, company):
    made = act("create", company, **entry(title="<script>alert('x')</script>应用",
                                          organization_name="<b>公司</b>"))
    act("publish", people["supervisor"], id=made["id"])
    for path in ("/opendata/showcase", f"/opendata/showcase/{made['id']}", "/dataset/sc-bus"):
        body = app.get(path).body
        assert "<script>alert('x')</script>" not in body and "<b>公司</b>" not in body, path
        assert "&lt;script&gt;" in body, path


def test_a_returned_entry_is_changed_and_goes_back_to_review(app, people, datasets, company):
    made = act("create", company, **entry())
    with pytest.raises(tk.ValidationError) as e:
        act("return", people["supervisor"], id=made["id"])
    assert "reason" in e.value.error_dict
    # only the submitter of a waiting or returned entry is offered the change form
    # (``perms.update`` in a template is the dict's method, always true: the page showed
    # the button to everyone)
    edit = f"/opendata/showcase/{made['id']}/edit"
    sup_page = app.get(f"/opendata/showcase/{made['id']}",
                       headers={"Authorization": people["supervisor"]["token"]}).body
    assert edit not in sup_page
    act("return", people["supervisor"], id=made["id"], reason="请说明使用了哪些数据项")
    own_page = app.get(f"/opendata/showcase/{made['id']}", headers={"Authorization": company["token"]}).body
    assert edit in own_page
    mine = act("show", company, id=made["id"])
    assert mine["status"] == "returned" and mine["review_note"] == "请说明使用了哪些数据项"
    changed = act("update", company, id=made["id"], **entry(datasets="sc-bus"))
    assert changed["status"] == "submitted" and [d["name"] for d in changed["datasets"]] == ["sc-bus"]
    listed = act("list", company, mine=True)
    assert listed["count"] == 1
    # a supervisor withdrawing someone else's entry gives a reason; the submitter need not
    act("publish", people["supervisor"], id=made["id"])
    assert edit not in app.get(f"/opendata/showcase/{made['id']}").body
    with pytest.raises(tk.ValidationError):
        act("withdraw", people["supervisor"], id=made["id"])
    act("withdraw", company, id=made["id"])
    assert act("list", None)["count"] == 0


def test_a_usage_report_becomes_an_entry_with_consent(app, people, signed, grantee, cond_dataset, datasets):
    grant = signed()
    report_id = grant["reports"][0]["id"]
    data = entry(datasets="sc-bus", usage_report_id=report_id)
    # not yet submitted
    with pytest.raises(tk.ValidationError) as e:
        act("create", grantee, **data, consent=True)
    assert "usage_report_id" in e.value.error_dict
    tk.get_action("lyg_opendata_usage_report_submit")({"user": grantee["name"]}, {
        "id": report_id, "usage": "用于停车诱导模型训练，分析各停车场在不同时段的使用规律",
        "results": "停车诱导准确率提升百分之五", "incidents": "无"})
    # the form is prefilled from the report
    form = app.get(f"/opendata/showcase/new?usage_report={report_id}",
                   headers={"Authorization": grantee["token"]}).body
    assert "用于停车诱导模型训练" in form and "parking-fees" in form
    with pytest.raises(tk.ValidationError) as e:
        act("create", grantee, **data)
    assert "consent" in e.value.error_dict
    with pytest.raises(tk.ValidationError) as e:   # someone else's report
        act("create", people["registered"], **data, consent=True)
    assert "usage_report_id" in e.value.error_dict
    made = act("create", grantee, **data, consent=True)
    assert {d["name"] for d in made["datasets"]} == {"parking-fees", "sc-bus"}
    assert made["from_usage_report"] is True
    with pytest.raises(tk.ValidationError) as e:   # once
        act("create", grantee, **data, consent=True)
    assert "usage_report_id" in e.value.error_dict
