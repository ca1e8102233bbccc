"""Chinese search through package_search against the real Solr 9 with the project's schema."""
import pytest

import ckan.plugins.toolkit as tk

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def search(q, **kwargs):
    result = tk.get_action("package_search")({}, {"q": q, "rows": 100, **kwargs})
    return {r["name"] for r in result["results"]}


@pytest.fixture
def corpus(published_dataset):
    published_dataset(name="d-tcc", title="连云港市机动车停车场管理办法",
                   notes="全市公共停车场名录和收费标准")
    published_dataset(name="d-ys", title="连云港市节约用水管理办法",
                   notes="重点用水单位名录")
    published_dataset(name="d-td", title="连云港市大面积停电事件应急预案",
                   notes="应急组织体系和响应分级")
    published_dataset(name="d-en", title="Parking lots",
                   notes="Public parking lots and their fees")
    published_dataset(name="d-gj", title="连云港市公交线路和站点",
                   notes="Bus routes and stops of the city")


def test_chinese_substring_of_title_finds_dataset(corpus):
    assert "d-tcc" in search("停车")
    assert search("用水") == {"d-ys"}


def test_chinese_query_does_not_match_scattered_characters(corpus):
    # 停车 must not match 停电 (shares 停) nor text with 停 … 车 apart
    assert "d-td" not in search("停车")
    assert search("停电") == {"d-td"}


def test_longer_chinese_phrase_and_two_terms(corpus):
    assert search("机动车停车场") == {"d-tcc"}
    assert search("连云港 用水") == {"d-ys"}
    assert search("连云港 不存在的词") == set()


def test_single_chinese_character(corpus):
    assert {"d-tcc", "d-ys"} <= search("办法") and "d-gj" not in search("办法")
    assert "d-ys" in search("水")


def test_chinese_in_notes_is_searched(corpus):
    assert search("收费标准") == {"d-tcc"}


def test_english_with_stemming(corpus):
    assert search("parking") == {"d-en"}
    assert search("park") == {"d-en"}
    assert "d-gj" in search("route")
    assert search("Parking Lot") == {"d-en"}


def test_deleted_dataset_is_gone_from_search(corpus, sysadmin):
    assert "d-ys" in search("用水")
    tk.get_action("package_delete")({"user": sysadmin["name"]}, {"id": "d-ys"})
    assert search("用水") == set()


def test_search_page_finds_chinese_title(app, corpus):
    resp = app.get("/dataset/", query_string={"q": "停车"})
    assert resp.status_code == 200
    assert "连云港市机动车停车场管理办法" in resp.body
    assert "连云港市节约用水管理办法" not in resp.body
