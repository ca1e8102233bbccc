"""Search of data requests through Solr (real core of the slot): Chinese substrings,
traditional characters and title pinyin, relevance; what is indexed (public text only), removal
on withdraw/hide, the reindex command, dataset searches untouched, Solr unreachable."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

from ckanext.lyg_opendata.participation import search
from ckanext.lyg_opendata.participation.model import DataRequest

from tests.participation.conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def found(q, user=None, **kw):
    return [r["title"] for r in act("lyg_opendata_data_request_list", user, q=q, **kw)["results"]]


@pytest.fixture
def two(file_request):
    parking = file_request(contact="13912345678")  # 公共停车场实时空余泊位, purpose 开发停车导航小程序
    bus = file_request(title="公交到站实时数据", description="各线路公交车辆的实时位置与预计到站时间。",
                       purpose="乘车出行")
    return parking, bus


def test_chinese_search_finds_substrings_traditional_pinyin_and_purpose(two):
    assert found("停车场") == ["公共停车场实时空余泊位"]
    assert found("停車場") == ["公共停车场实时空余泊位"]      # traditional folded to simplified
    assert found("tingchechang") == ["公共停车场实时空余泊位"]  # the title's pinyin
    assert found("到站") == ["公交到站实时数据"]
    assert found("导航小程序") == ["公共停车场实时空余泊位"]     # the purpose
    assert found("预计到站时间") == ["公交到站实时数据"]        # the details
    assert found("地铁") == []
    assert set(found("实时")) == {"公共停车场实时空余泊位", "公交到站实时数据"}


def test_relevance_is_the_default_order_of_a_search(people, file_request):
    in_details = file_request(title="城市道路数据", description="希望数据中包含每个井盖的位置信息。")
    in_title = file_request(title="全市井盖位置", description="全市市政设施普查成果的公开版本。")
    act("lyg_opendata_data_request_support", people["supervisor"], id=in_details["id"])
    result = act("lyg_opendata_data_request_list", None, q="井盖")
    assert result["sort"] == "relevance"
    assert [r["id"] for r in result["results"]] == [in_title["id"], in_details["id"]]
    by_support = act("lyg_opendata_data_request_list", None, q="井盖", sort="support")
    assert [r["id"] for r in by_support["results"]] == [in_details["id"], in_title["id"]]
    assert act("lyg_opendata_data_request_list", None)["sort"] == "support"


def test_personal_and_restricted_fields_are_never_indexed(people, agency, two):
    parking, _bus = two
    act("lyg_opendata_data_request_route", people["supervisor"], id=parking["id"],
        organization=agency["name"], comment="分办说明内部可见")
    doc = make_connection().search(f'id:"{parking["id"]}"', fq="+entity_type:data_request",
                                   fl="*").docs[0]
    assert doc["title"] == "公共停车场实时空余泊位"
    text = repr(doc)
    for secret in ("13912345678", "注册用户", people["registered"]["name"], "分办说明"):
        assert secret not in text
        assert found(secret, people["supervisor"]) == []
    assert set(search.document(model.Session.get(DataRequest, parking["id"]))) == {
        "id", "index_id", "site_id", "entity_type", "title", "notes", "title_pinyin",
        "metadata_created"}
    raw = make_connection().search("text:13912345678 OR notes:分办说明", fl="id")
    assert raw.hits == 0


def test_withdraw_and_hide_remove_from_the_index(people, two):
    parking, bus = two
    assert search.indexed_ids() == {parking["id"], bus["id"]}
    act("lyg_opendata_data_request_withdraw", people["registered"], id=parking["id"])
    act("lyg_opendata_data_request_hide", people["supervisor"], id=bus["id"], reason="重复提交。")
    assert search.indexed_ids() == set()
    assert found("停车场") == [] and found("到站") == []
    # those who may still see them find them (a plain SQL match of what is not indexed)
    assert found("停车场", people["registered"], status="withdrawn") == ["公共停车场实时空余泊位"]
    assert found("到站", people["supervisor"], status="hidden") == ["公交到站实时数据"]
    assert found("到站", people["other_agency_editor"], status="hidden") == []
    # the purpose as well, as in the index
    assert found("导航小程序", people["registered"], status="withdrawn") == ["公共停车场实时空余泊位"]


def test_the_requesters_details_are_searchable_once_added(people, agency, two):
    parking, _bus = two
    act("lyg_opendata_data_request_route", people["supervisor"], id=parking["id"],
        organization=agency["name"])
    act("lyg_opendata_data_request_answer", people["agency_editor"], id=parking["id"],
        answer="need_info", text="请说明需要的区域。")
    assert found("海州区") == []
    act("lyg_opendata_data_request_supplement", people["registered"], id=parking["id"],
        text="需要海州区范围。")
    assert found("海州区") == ["公共停车场实时空余泊位"]


def test_dataset_searches_never_return_requests(people, sysadmin, two):
    for data in ({"q": "停车场"}, {"q": "*:*", "include_drafts": True, "include_private": True},
                 {"fq": "entity_type:data_request"},
                 # a filter of one's own on the state takes CKAN's +state:active away
                 {"fq": "(entity_type:data_request) OR (+state:active)", "include_private": True}):
        result = tk.get_action("package_search")({"user": sysadmin["name"]}, data)
        assert result["count"] == 0, data


def test_hostile_queries_find_nothing_they_should_not(people, two):
    for q in ("contact:13912345678", "{!lucene}*:*", '"停车场', "*:*", "title:公交 OR 1"):
        result = act("lyg_opendata_data_request_list", None, q=q)
        assert "13912345678" not in repr(result)
        assert result["count"] <= 1


def test_reindex_command_restores_and_prunes_with_progress(cli, two):
    from ckan.cli.cli import ckan
    parking, bus = two
    conn = make_connection()
    conn.delete(q="entity_type:data_request", commit=True)
    conn.add([{**search.document(model.Session.get(DataRequest, parking["id"])),
               "id": "gone-request", "index_id": "gone-request-index"}], commit=True)
    assert found("到站") == []
    out = cli.invoke(ckan, ["lyg-opendata", "data-requests", "reindex"])
    assert out.exit_code == 0, out.output
    assert "indexed 0/2" in out.output and "indexed 2/2" in out.output
    assert "data requests indexed: 2, removed from the index: 1" in out.output
    assert search.indexed_ids() == {parking["id"], bus["id"]}
    assert found("到站") == ["公交到站实时数据"]


def test_without_solr_the_list_falls_back_to_sql(people, file_request, monkeypatch):
    file_request()
    monkeypatch.setitem(tk.config, "solr_url", "http://127.0.0.1:9/solr/nowhere")
    assert found("停车场") == ["公共停车场实时空余泊位"]
    file_request(title="公交到站实时数据")  # its indexing fails (logged); the request is filed
    assert found("到站") == ["公交到站实时数据"]
    assert set(found("导航小程序")) == {"公共停车场实时空余泊位", "公交到站实时数据"}  # purposes
    assert found("tingchechang") == []


def test_the_list_page_searches_through_solr(app, two):
    body = app.get("/opendata/data-requests", query_string={"q": "停車場"}).body
    assert "公共停车场实时空余泊位" in body and "公交到站实时数据" not in body
    assert '<option value="relevance" selected' in body
