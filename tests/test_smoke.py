"""The portal's main pages answer, in Chinese by default and in English under /en/."""
import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PAGES = ["/", "/dataset/", "/organization/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_chinese_by_default(app, path):
    resp = app.get(path)
    assert resp.status_code == 200
    assert 'lang="zh-Hans-CN"' in resp.body or 'lang="zh_Hans_CN"' in resp.body
    assert "数据集" in resp.body


@pytest.mark.parametrize("path", PAGES)
def test_page_is_english_under_en(app, path):
    resp = app.get("/en" + path)
    assert resp.status_code == 200
    assert 'lang="en"' in resp.body
    assert "Datasets" in resp.body


def test_status_show_reports_the_plugins(app):
    resp = app.get("/api/3/action/status_show")
    assert resp.status_code == 200
    result = resp.json["result"]
    assert result["ckan_version"] == "2.12.0"
    assert {"lyg_opendata", "scheming_datasets", "dcat", "activity"} <= set(result["extensions"])
    assert result["locale_default"] == "zh_Hans_CN"


def test_status_show_under_en(app):
    resp = app.get("/en/api/3/action/status_show")
    assert resp.status_code == 200
    assert resp.json["success"] is True


def test_dataset_page_shows_scheming_labels_in_chinese(app, published_dataset):
    ds = published_dataset(name="lyg-smoke", title="连云港市公交线路",
                        maintainer="数据开放科")
    resp = app.get(f"/dataset/{ds['name']}")
    assert resp.status_code == 200
    assert "连云港市公交线路" in resp.body
    assert "联系人" in resp.body
    resp = app.get(f"/en/dataset/{ds['name']}")
    assert "Contact" in resp.body


def test_javascript_translations_load_for_the_chinese_page_locale(app):
    """CKAN's JS asks for /api/i18n/zh_Hans-CN (from <html lang="zh-Hans-CN">); a 400
    there stops every JavaScript module on Chinese pages."""
    import json
    resp = app.get("/api/i18n/zh_Hans-CN")
    assert resp.status_code == 200
    assert isinstance(json.loads(resp.body), dict)
    assert app.get("/api/i18n/zh_Hans-XX").status_code == 400  # CKAN's own route still answers


def test_every_action_of_the_extension_has_its_auth_function():
    """The rule of the brief: each ``lyg_opendata_*`` action CKAN registers has an auth
    function of the same name registered too (CKAN would otherwise allow it to anyone)."""
    import ckan.authz as authz
    from ckan.logic import _actions, get_action

    get_action("lyg_opendata_review_queue")  # fills CKAN's registry of actions
    actions = [name for name in _actions if name.startswith("lyg_opendata_")]
    assert len(actions) >= 60
    registered = set(authz.auth_functions_list())
    missing = [name for name in actions if name not in registered]
    assert not missing, missing
