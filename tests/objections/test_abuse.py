"""Spam and floods: rate limits per user and per client address (counted in PostgreSQL),
the configurable word filter, field errors for bad input, evidence type and size limits."""
import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections.model import Objection

from tests.objections.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 3)
def test_rate_limit_per_user(people, raise_objection):
    for _ in range(3):
        raise_objection()
    with pytest.raises(tk.ValidationError) as err:
        raise_objection()
    assert "rate_limit" in err.value.error_dict
    # another user is not affected
    assert raise_objection(user=people["agency_admin"])["status"] == "submitted"
    # reports are counted apart
    report = tk.get_action("lyg_opendata_report_create")(ctx(people["registered"]), {
        "reported_party": "某公司", "description": "将数据用于未申请的用途。"})
    assert report["status"] == "submitted"


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.ip", 2)
def test_rate_limit_per_address_across_users(app, people, dataset):
    def post(user, ip):
        return app.post(f"/dataset/{dataset['name']}/objections/new", data={
            "type": "error", "description": "第三列的数字明显有误，请核实。"},
            headers={"Authorization": user["token"]}, environ_overrides={"REMOTE_ADDR": ip},
            follow_redirects=False)
    assert post(people["registered"], "10.1.1.1").status_code == 302
    assert post(people["agency_admin"], "10.1.1.1").status_code == 302
    third = post(people["supervisor"], "10.1.1.1")
    assert third.status_code == 200 and "lyg-objection-rate" in third.body
    assert post(people["supervisor"], "10.2.2.2").status_code == 302
    # the address itself is not stored, only a keyed hash
    import ckan.model as model
    stored = [o.raised_ip for o in model.Session.query(Objection)]
    assert len(set(stored)) == 2 and "10.1.1.1" not in stored


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.blocked_words", ["代开发票", "赌博"])
def test_word_filter(people, raise_objection):
    with pytest.raises(tk.ValidationError) as err:
        raise_objection(description="专业代开发票，联系微信 123456。")
    assert "description" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_report_create")(ctx(people["registered"]), {
            "reported_party": "某网站", "description": "该网站用数据做赌博推广活动。"})
    assert "description" in err.value.error_dict


def test_bad_input_gives_field_errors_and_writes_nothing(people, dataset, raise_objection):
    import ckan.model as model
    cases = [
        ({"type": "wrong"}, "type"),
        ({"description": "太短"}, "description"),
        ({"resource_id": "no-such-resource"}, "resource_id"),
        ({"data_item_code": "no_such_item"}, "data_item_code"),
        ({"evidence": "not a file"}, "evidence"),
    ]
    for change, field in cases:
        with pytest.raises(tk.ValidationError) as err:
            raise_objection(**change)
        assert field in err.value.error_dict, (change, err.value.error_dict)
    assert model.Session.query(Objection).count() == 0
    with pytest.raises(tk.ObjectNotFound):
        raise_objection(package_id="no-such-dataset")


def test_objections_only_on_published_datasets(people, create_dataset):
    draft = create_dataset(name="lyg-draft")
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_objection_create")(ctx(people["sysadmin"]), {
            "package_id": draft["id"], "type": "error", "description": "草稿数据集中的数字有误。"})
    assert "package_id" in err.value.error_dict


@pytest.fixture
def storage(tmp_path, monkeypatch):
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    return tmp_path


def _file(name, data):
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.evidence.max_size", 1)
def test_evidence_type_and_size_limits_and_who_may_download(app, people, storage, raise_objection):
    for name, data in [("x.exe", b"MZ..."), ("fake.png", b"<html>not a png</html>"),
                       ("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))]:
        with pytest.raises(tk.ValidationError) as err:
            raise_objection(evidence=_file(name, data))
        assert "evidence" in err.value.error_dict, name
    obj = raise_objection(evidence=_file("截图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100))
    assert obj["evidence"]["name"] == "截图.png"
    assert list(storage.rglob("evidence.png"))
    url = f"/opendata/objections/{obj['id']}/evidence"
    for role, status in [("anonymous", 403), ("other_agency_editor", 403), ("registered", 200),
                         ("agency_editor", 200), ("supervisor", 200)]:
        user = people[role]
        response = app.get(url, headers={"Authorization": user["token"]} if user else {})
        assert response.status_code == status, role
        if status == 200:
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    public = tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": obj["id"]})
    assert "evidence" not in public and not public["has_evidence"]


def test_form_errors_show_whole_sentences(app, people, dataset):
    """CKAN's form macros join a field's error list: a message given as a plain string would
    come out one character at a time (forms.field_errors)."""
    from bs4 import BeautifulSoup
    page = app.post(f"/dataset/{dataset['name']}/objections/new", data={
        "type": "error", "description": "太短"},
        headers={"Authorization": people["registered"]["token"]}, follow_redirects=False)
    assert page.status_code == 200
    errors = [e.get_text(strip=True) for e in BeautifulSoup(page.body, "html.parser").select(
        ".error-block, .error-inline, .invalid-feedback")]
    assert any(e.startswith("请至少填写") for e in errors), errors
    assert not any("请, 至" in e for e in errors), errors
