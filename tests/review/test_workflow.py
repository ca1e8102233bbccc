"""Review before publication (Art 12): the state machine, held changes, the guard on
server-managed fields, and the public notices of withdrawn datasets."""
import threading

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def act(name, user, **data):
    return tk.get_action(name)({"user": user["name"] if user else ""}, data)


def public_names():
    return {d["name"] for d in tk.get_action("package_search")({}, {"rows": 100})["results"]}


def show(name):
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": name})


# --- the states ------------------------------------------------------------------------

def test_new_entry_is_a_private_draft(create_dataset, app):
    ds = create_dataset(name="new-one")
    assert ds["review_status"] == "draft" and ds["private"] is True
    assert "new-one" not in public_names()
    app.get("/dataset/new-one", status=404)


def test_submit_needs_the_desensitisation_confirmation(create_dataset, sysadmin):
    ds = create_dataset(name="d1")
    for value in (None, False, "false"):
        data = {"id": ds["id"]} if value is None else {"id": ds["id"], "desensitized": value}
        with pytest.raises(tk.ValidationError) as exc:
            act("lyg_opendata_review_submit", sysadmin, **data)
        assert "desensitized" in exc.value.error_dict
    assert show("d1")["review_status"] == "draft"


def test_submit_return_resubmit_approve(create_dataset, sysadmin, reviewer):
    ds = create_dataset(name="d2")
    assert act("lyg_opendata_review_submit", sysadmin, id="d2", desensitized=True)["review_status"] == "pending"
    assert "d2" not in public_names()
    with pytest.raises(tk.ValidationError) as exc:
        act("lyg_opendata_review_return", reviewer, id="d2", reason="")
    assert "reason" in exc.value.error_dict
    returned = act("lyg_opendata_review_return", reviewer, id="d2", reason="数据项说明不完整")
    assert returned["review_status"] == "returned" and returned["private"] is True
    act("lyg_opendata_review_submit", sysadmin, id="d2", desensitized=True)
    published = act("lyg_opendata_review_approve", reviewer, id="d2")
    assert published["review_status"] == "published" and published["private"] is False
    from ckanext.lyg_opendata.workdays.calendar import today_beijing
    assert published["issued"] == today_beijing().isoformat()
    assert "d2" in public_names()

    history = act("lyg_opendata_review_history", sysadmin, id=ds["id"])
    assert [(e["action"], e["from_status"], e["to_status"]) for e in history] == [
        ("submit", "draft", "pending"), ("return", "pending", "returned"),
        ("submit", "returned", "pending"), ("approve", "pending", "published")]
    assert history[1]["reason"] == "数据项说明不完整"
    assert history[1]["actor"] == reviewer["name"] and history[0]["actor"] == sysadmin["name"]


def test_a_decision_writes_its_fields_only_and_index_and_activity_follow(
        create_dataset, sysadmin, reviewer):
    """Issue 19: submit and approve write the status fields of the row, without a second
    full ``package_update``; the search index, ``metadata_modified`` and the activity stream
    follow as for any update, and the answer is what ``package_show`` gives the reviewer."""
    from ckanext.activity.model import Activity
    from tests.portal.test_query_counts import counting
    ds = create_dataset(name="narrow-write", title="窄写入数据集")
    before = show("narrow-write")["metadata_modified"]
    with counting() as submitting:
        act("lyg_opendata_review_submit", sysadmin, id="narrow-write", desensitized=True)
    with counting() as approving:
        published = act("lyg_opendata_review_approve", reviewer, id="narrow-write")
    # measured: 33 and 46 statements (49 and 62 with the full update), plus ~10 %
    assert len(submitting) <= 38 and len(approving) <= 52, (len(submitting), len(approving))
    assert published == tk.get_action("package_show")(
        {"user": reviewer["name"]}, {"id": "narrow-write"})
    assert published["review_status"] == "published" and published["private"] is False
    assert published["metadata_modified"] > before
    # the index: found by anyone, with the new status in the stored dict too
    found = tk.get_action("package_search")({}, {"q": "name:narrow-write"})["results"]
    assert [(d["name"], d["review_status"], d["private"]) for d in found] == [
        ("narrow-write", "published", False)]
    assert tk.get_action("package_show")({}, {"id": "narrow-write"}) == published
    snapshots = model.Session.query(Activity).filter(
        Activity.object_id == ds["id"], Activity.activity_type == "changed package").order_by(
        Activity.timestamp).all()
    assert [(a.user_id, a.data["package"]["review_status"]) for a in snapshots[-2:]] == [
        (sysadmin["id"], "pending"), (reviewer["id"], "published")]


class _UpdateHooks:
    """A loaded plugin's ``IPackageController`` update hooks, recording their calls."""

    calls: list

    def edit(self, entity):
        self.calls.append(("edit", entity.name))

    def after_dataset_update(self, context, pkg_dict):
        self.calls.append(("after_dataset_update", pkg_dict["name"], pkg_dict["review_status"]))


def test_a_decision_calls_the_update_hooks_of_the_loaded_plugins(
        create_dataset, sysadmin, reviewer, monkeypatch):
    """The narrow write calls the hooks ``package_update`` calls after its save (another
    plugin, e.g. ckanext-harvest, acts on ``after_dataset_update``)."""
    import ckan.plugins as plugins
    from ckan.plugins import core

    class Probe(_UpdateHooks, plugins.SingletonPlugin):
        plugins.implements(plugins.IPackageController, inherit=True)

    create_dataset(name="hooked", title="钩子数据集")
    probe = Probe(name="review_probe")
    probe.calls = []
    monkeypatch.setitem(core._PLUGINS_SERVICE, "review_probe", probe)
    act("lyg_opendata_review_submit", sysadmin, id="hooked", desensitized=True)
    act("lyg_opendata_review_approve", reviewer, id="hooked")
    assert probe.calls == [("edit", "hooked"), ("after_dataset_update", "hooked", "pending"),
                           ("edit", "hooked"), ("after_dataset_update", "hooked", "published")]


@pytest.mark.parametrize("action,extra", [
    ("lyg_opendata_review_approve", {}),
    ("lyg_opendata_review_return", {"reason": "无理由退回"}),
    ("lyg_opendata_review_withdraw", {"reason": "核查隐私问题"}),
])
def test_moves_not_allowed_from_draft(create_dataset, reviewer, action, extra):
    create_dataset(name="d3")
    with pytest.raises(tk.ValidationError) as exc:
        act(action, reviewer, id="d3", **extra)
    assert "review_status" in exc.value.error_dict
    assert show("d3")["review_status"] == "draft"


def test_nobody_approves_their_own_submission(create_dataset, sysadmin):
    create_dataset(name="d4")
    act("lyg_opendata_review_submit", sysadmin, id="d4", desensitized=True)
    with pytest.raises(tk.NotAuthorized):
        act("lyg_opendata_review_approve", sysadmin, id="d4")
    with pytest.raises(tk.NotAuthorized):
        act("lyg_opendata_review_return", sysadmin, id="d4", reason="自己退回自己")


def test_unknown_dataset_is_404(reviewer):
    with pytest.raises(tk.ObjectNotFound):
        act("lyg_opendata_review_approve", reviewer, id="no-such-dataset")


def test_withdraw_takes_it_off_at_once_with_a_public_notice(published_dataset, sysadmin, reviewer, app):
    published_dataset(name="d5", title="待撤回数据集")
    withdrawn = act("lyg_opendata_review_withdraw", reviewer, id="d5", reason="涉及个人隐私，核查中")
    assert withdrawn["review_status"] == "withdrawn" and withdrawn["private"] is True
    assert "d5" not in public_names()
    notices = act("lyg_opendata_withdrawal_list", None)
    assert [(n["name"], n["reason"]) for n in notices] == [("d5", "涉及个人隐私，核查中")]
    body = app.get("/opendata/withdrawn").body
    assert "待撤回数据集" in body and "涉及个人隐私，核查中" in body
    # back only through review
    act("lyg_opendata_review_submit", sysadmin, id="d5", desensitized=True)
    assert "d5" not in public_names()
    act("lyg_opendata_review_approve", reviewer, id="d5")
    assert "d5" in public_names()


def test_concurrent_decisions_leave_one_outcome(app, create_dataset, sysadmin, reviewer):
    create_dataset(name="d6")
    act("lyg_opendata_review_submit", sysadmin, id="d6", desensitized=True)
    from ckan.tests import factories
    second = factories.Sysadmin()
    outcomes = []

    def decide(user, name, extra):
        with app.flask_app.test_request_context():
            try:
                tk.get_action(name)({"user": user}, {"id": "d6", **extra})
                outcomes.append(name)
            except tk.ValidationError:
                outcomes.append("refused")
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=decide, args=(reviewer["name"], "lyg_opendata_review_approve", {})),
               threading.Thread(target=decide, args=(second["name"], "lyg_opendata_review_return",
                                                      {"reason": "同时退回"}))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes)[1:] == ["refused"] or sorted(outcomes)[0] == "refused"
    assert outcomes.count("refused") == 1
    model.Session.remove()
    history = act("lyg_opendata_review_history", sysadmin, id="d6")
    assert len(history) == 2  # the submission and exactly one decision
    assert show("d6")["review_status"] == {"lyg_opendata_review_approve": "published",
                                           "lyg_opendata_review_return": "returned"}[
        [o for o in outcomes if o != "refused"][0]]


# --- changes to published entries --------------------------------------------------------

def test_more_open_change_is_held_until_approved(published_dataset, sysadmin, reviewer, app):
    published_dataset(name="d7", open_type="conditional", open_conditions="仅向科研机构开放")
    patched = tk.get_action("package_patch")({"user": sysadmin["name"]},
                                             {"id": "d7", "open_type": "unconditional", "notes": "新的描述"})
    assert patched["open_type"] == "conditional" and patched["notes"] == "新的描述"
    change = act("lyg_opendata_review_change_show", sysadmin, id="d7")
    assert change["proposed"]["open_type"] == "unconditional"
    assert change["before"]["open_type"] == "conditional"
    assert tk.get_action("package_show")({}, {"id": "d7"})["open_type"] == "conditional"
    queue = act("lyg_opendata_review_queue", reviewer)
    assert [(e["name"], e["pending_change"]) for e in queue["results"]] == [("d7", True)]
    body = app.get("/dataset/d7", headers={"Authorization": reviewer["token"]}).body
    assert "有条件开放" in body and "无条件开放" in body  # before / after
    with pytest.raises(tk.NotAuthorized):
        act("lyg_opendata_review_change_approve", sysadmin, id="d7")  # four eyes
    applied = act("lyg_opendata_review_change_approve", reviewer, id="d7")
    assert applied["open_type"] == "unconditional" and applied["private"] is False
    assert act("lyg_opendata_review_change_show", sysadmin, id="d7") is None


def test_data_item_change_is_held_and_can_be_returned(published_dataset, sysadmin, reviewer):
    ds = published_dataset(name="d8")
    items = ds["data_items"] + [{"name_zh": "电话", "code": "phone", "type": "string",
                                 "sensitive": "no", "description": ""}]
    patched = tk.get_action("package_patch")({"user": sysadmin["name"]}, {"id": "d8", "data_items": items})
    assert [i["code"] for i in patched["data_items"]] == ["name", "address"]
    with pytest.raises(tk.ValidationError):
        act("lyg_opendata_review_change_return", reviewer, id="d8", reason="")
    act("lyg_opendata_review_change_return", reviewer, id="d8", reason="电话号码属于个人信息")
    assert act("lyg_opendata_review_change_show", sysadmin, id="d8") is None
    assert [i["code"] for i in show("d8")["data_items"]] == ["name", "address"]
    assert act("lyg_opendata_review_history", sysadmin, id="d8")[-1]["reason"] == "电话号码属于个人信息"


def test_less_open_change_takes_effect_at_once_and_is_shown_to_supervisors(published_dataset, sysadmin, reviewer):
    published_dataset(name="d9")
    patched = tk.get_action("package_patch")({"user": sysadmin["name"]}, {
        "id": "d9", "open_type": "non_open", "non_open_basis": "privacy_trade_secret",
        "non_open_reason": "发现含有个人信息"})
    assert patched["open_type"] == "non_open" and patched["private"] is True
    assert "d9" not in public_names()
    queue = act("lyg_opendata_review_queue", reviewer)
    assert [(r["data"]["before"], r["data"]["after"]) for r in queue["reductions"]] == [
        ("unconditional", "non_open")]


def test_new_data_file_on_published_entry_needs_confirmation(published_dataset, sysadmin):
    ds = published_dataset(name="d10")
    with pytest.raises(tk.ValidationError) as exc:
        tk.get_action("resource_create")({"user": sysadmin["name"]}, {
            "package_id": ds["id"], "url": "http://example.invalid/new.csv", "format": "CSV"})
    assert "desensitized" in exc.value.error_dict
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "url": "http://example.invalid/new.csv", "format": "CSV",
        "desensitized": True})
    # replacing the file needs it again; a description edit does not
    tk.get_action("resource_patch")({"user": sysadmin["name"]}, {"id": res["id"], "description": "说明"})
    with pytest.raises(tk.ValidationError):
        tk.get_action("resource_patch")({"user": sysadmin["name"]}, {
            "id": res["id"], "url": "http://example.invalid/v2.csv", "desensitized": False})


# --- server-managed fields -----------------------------------------------------------------

@pytest.mark.parametrize("field,value", [("review_status", "published"), ("private", False),
                                         ("issued", "2020-01-01")])
def test_create_cannot_set_server_fields(sysadmin, agency, field, value):
    from tests.conftest import catalog_fields
    data = catalog_fields(owner_org=agency["id"], name="d11", title="x", **{field: value})
    with pytest.raises(tk.ValidationError) as exc:
        tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    assert field in exc.value.error_dict


@pytest.mark.parametrize("action", ["package_patch", "package_update"])
def test_update_and_patch_cannot_publish(create_dataset, sysadmin, action):
    ds = create_dataset(name="d12")
    for change in ({"private": False}, {"review_status": "published"}):
        data = dict(ds, **change) if action == "package_update" else {"id": ds["id"], **change}
        with pytest.raises(tk.ValidationError) as exc:
            tk.get_action(action)({"user": sysadmin["name"]}, data)
        assert set(change) <= set(exc.value.error_dict)
    assert show("d12")["private"] is True and show("d12")["review_status"] == "draft"


def test_bulk_calls_cannot_publish_unreviewed_or_hide_published(create_dataset, published_dataset, sysadmin, agency):
    draft = create_dataset(name="d13")
    published = published_dataset(name="d14")
    with pytest.raises(tk.ValidationError):
        tk.get_action("bulk_update_public")({"user": sysadmin["name"]},
                                            {"datasets": [draft["id"]], "org_id": agency["id"]})
    with pytest.raises(tk.ValidationError):
        tk.get_action("bulk_update_private")({"user": sysadmin["name"]},
                                             {"datasets": [published["id"]], "org_id": agency["id"]})
    assert show("d13")["private"] is True and show("d14")["private"] is False


def test_import_by_the_site_user_waits_for_review(agency):
    from tests.conftest import catalog_fields
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ds = tk.get_action("package_create")({"user": site_user, "ignore_auth": True},
                                         catalog_fields(owner_org=agency["id"], name="d15", title="导入"))
    assert ds["review_status"] == "pending" and ds["private"] is True


def test_form_edit_of_published_entry_holds_data_items(app, published_dataset, sysadmin):
    """Through the CKAN dataset form (what a clerk uses)."""
    published_dataset(name="d16")
    form = {"name": "d16", "title": "表单修改", "notes": "经表单修改", "owner_org": show("d16")["owner_org"],
            "open_type": "unconditional", "update_frequency": "monthly", "license_id": "cc-by",
            "data_items-0-name_zh": "名称", "data_items-0-code": "name", "data_items-0-type": "string",
            "data_items-0-sensitive": "no", "data_items-1-name_zh": "新增", "data_items-1-code": "added",
            "data_items-1-type": "string", "data_items-1-sensitive": "no", "save": ""}
    resp = app.post("/dataset/edit/d16", data=form, headers={"Authorization": sysadmin["token"]})
    assert resp.status_code == 200
    after = show("d16")
    assert after["title"] == "表单修改"
    assert [i["code"] for i in after["data_items"]] == ["name", "address"]
    change = act("lyg_opendata_review_change_show", sysadmin, id="d16")
    assert [i["code"] for i in change["proposed"]["data_items"]] == ["name", "added"]
