"""Search of the proactive disclosure catalog through Solr (the slot's real core): Chinese,
traditional characters, the title's pinyin, 文号 and body; only published entries indexed
(drafts found by their agency through SQL), withdrawal removes, the reindex command, dataset
searches untouched, Solr unreachable."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

from ckanext.lyg_opendata.disclosure.proactive import search
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo

from tests.disclosure.conftest import ctx
from tests.disclosure.test_proactive import entry

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_govinfo_{name}")(ctx(user), data)


def found(q, user=None, **kw):
    return sorted(r["title"] for r in act("search", user, q=q, **kw)["results"])


@pytest.fixture
def entries(people, agency):
    editor = people["agency_editor"]

    def enter(**kw):
        return act("create", editor, organization=agency["id"], **entry(**kw))
    parking = enter(publish=True, published_on="2026-09-25")   # 停车场管理办法, 连政发〔2026〕1号
    bus = enter(publish=True, published_on="2026-09-25", title="关于调整市区公交线路的通告",
                doc_number="连交发〔2026〕9号", kind="other", summary="调整部分公交线路走向。",
                body="自2026年10月1日起，12路公交车改经海连路。")
    draft = enter(title="关于征收城市道路挖掘修复费的公告", doc_number="", kind="other",
                  summary="道路挖掘修复费的征收标准。", body="")
    return parking, bus, draft


PARKING = "市政府关于印发连云港市机动车停车场管理办法的通知"
BUS = "关于调整市区公交线路的通告"
DRAFT = "关于征收城市道路挖掘修复费的公告"


def test_chinese_traditional_pinyin_doc_number_and_body(entries):
    assert found("停车场") == [PARKING]
    assert found("停車場") == [PARKING]            # traditional folded to simplified
    assert found("tingchechang") == [PARKING]     # the title's pinyin
    assert found("海连路") == [BUS]                 # the body
    assert found("连交发") == [BUS]                 # the 文号
    assert found("地铁") == []
    assert found("通知 管理办法") == [PARKING]


def test_only_published_entries_are_indexed_drafts_found_by_their_agency(people, entries):
    parking, bus, draft = entries
    assert search.indexed_ids() == {parking["id"], bus["id"]}
    assert found("挖掘修复费") == []                                 # anonymous: published only
    assert found("挖掘修复费", people["agency_editor"]) == [DRAFT]    # the agency's own draft
    assert found("挖掘修复费", people["other_agency_editor"]) == []
    assert found("挖掘修复费", people["supervisor"]) == [DRAFT]
    act("publish", people["agency_editor"], id=draft["id"])
    assert found("挖掘修复费") == [DRAFT] and draft["id"] in search.indexed_ids()
    act("withdraw", people["agency_admin"], id=bus["id"], text="已被新通告替代。")
    assert bus["id"] not in search.indexed_ids()
    assert found("海连路") == [] and found("海连路", people["agency_editor"]) == [BUS]
    assert set(search.document(model.Session.get(GovInfo, parking["id"]))) == {
        "id", "index_id", "site_id", "entity_type", "title", "notes", "title_pinyin",
        "metadata_created"}


def test_a_changed_entry_is_searched_by_its_new_text(people, entries):
    parking, _bus, _draft = entries
    act("update", people["agency_editor"], id=parking["id"], body="第一条 为规范非机动车停放，制定本办法。")
    assert found("非机动车") == [PARKING]


def test_dataset_searches_never_return_catalog_entries(sysadmin, entries):
    for data in ({"q": "停车场"}, {"q": "*:*", "include_drafts": True, "include_private": True},
                 {"fq": "entity_type:govinfo"},
                 {"fq": "(entity_type:govinfo) OR (+state:active)", "include_private": True}):
        result = tk.get_action("package_search")({"user": sysadmin["name"]}, data)
        assert result["count"] == 0, data


def test_hostile_queries_find_nothing_they_should_not(entries):
    for q in ("{!lucene}*:*", '"停车场', "*:*", "title:公交 OR 1", "status:draft"):
        result = act("search", None, q=q)
        assert DRAFT not in repr(result) and result["count"] <= 1, q


def test_reindex_command_restores_and_prunes(cli, entries):
    from ckan.cli.cli import ckan
    parking, bus, _draft = entries
    conn = make_connection()
    conn.delete(q="entity_type:govinfo", commit=True)
    conn.add([{**search.document(model.Session.get(GovInfo, parking["id"])),
               "id": "gone-entry", "index_id": "gone-entry-index"}], commit=True)
    assert found("海连路") == []
    out = cli.invoke(ckan, ["lyg-opendata", "disclosure", "reindex-catalog"])
    assert out.exit_code == 0, out.output
    assert "indexed 0/2" in out.output and "indexed 2/2" in out.output
    assert "government information entries indexed: 2, removed from the index: 1" in out.output
    assert search.indexed_ids() == {parking["id"], bus["id"]}
    assert found("海连路") == [BUS]


def test_without_solr_the_search_falls_back_to_sql(people, entries, monkeypatch):
    monkeypatch.setitem(tk.config, "solr_url", "http://127.0.0.1:9/solr/nowhere")
    assert found("停车场") == [PARKING]
    assert found("tingchechang") == []        # no pinyin without the index
    # entering still works (its indexing fails, logged)
    act("create", people["agency_editor"], organization="lyg-jtj-test",
        **entry(title="关于公布市级行政许可事项清单的通知", publish=True))
    assert found("行政许可事项") == ["关于公布市级行政许可事项清单的通知"]


def test_the_catalog_page_searches_through_solr(app, entries):
    body = app.get("/opendata/govinfo", query_string={"q": "停車場"}).body
    assert PARKING in body and BUS not in body


@pytest.fixture
def ranked(people, agency):
    """Entries matching 停车场 more or less well, published on different days."""
    editor = people["agency_editor"]

    def enter(title, published_on, **kw):
        return act("create", editor, organization=agency["id"], **entry(
            title=title, written_on="2026-01-05", publish=published_on is not None,
            **({"published_on": published_on} if published_on else {}), **kw))
    best = enter(PARKING, "2026-03-02")              # in the title, summary and body
    weak = enter(BUS, "2026-09-25", doc_number="连交发〔2026〕9号", summary="调整部分公交线路走向。",
                 body="12路公交车改经海连路，不再停靠火车站停车场。")   # once, in the body
    same = dict(doc_number="", summary="公布公共停车场收费标准。", body="")
    older = enter("关于公布公共停车场收费标准的通知", "2026-05-10", **same)
    newer = enter("关于公布公共停车场收费标准的通知", "2026-06-10", **same)
    draft = enter("关于停车场智能化改造的公告", None, doc_number="", summary="", body="")
    return {"best": best["id"], "weak": weak["id"], "older": older["id"], "newer": newer["id"],
            "draft": draft["id"]}


def order(user=None, **kw):
    result = act("search", user, **kw)
    return [r["id"] for r in result["results"]], result


def test_by_relevance_with_a_search_text_then_by_date(people, ranked):
    ids, result = order(q="停车场")
    assert result["sort"] == "relevance" and not result["relevance_unavailable"]
    assert set(ids) == {ranked[k] for k in ("best", "weak", "older", "newer")}
    # the entry naming it once in its body last, though published last; equal scores (the
    # same text) by date, the newer first
    assert ids[-1] == ranked["weak"] and ids.index(ranked["best"]) < ids.index(ranked["weak"])
    assert ids.index(ranked["newer"]) == ids.index(ranked["older"]) - 1
    scores = search.matching_scores("停车场")
    assert scores[ranked["newer"]] == scores[ranked["older"]] > scores[ranked["weak"]]
    assert [scores[i] for i in ids] == sorted((scores[i] for i in ids), reverse=True)
    # the date orders on demand, and without a search text by date (newest first)
    by_date = [ranked[k] for k in ("weak", "newer", "older", "best")]
    assert order(q="停车场", sort="newest")[0] == by_date
    assert order(q="停车场", sort="oldest")[0] == by_date[::-1]
    ids, result = order()
    assert ids == by_date and result["sort"] == "newest"
    assert order(sort="relevance")[1]["sort"] == "newest"        # nothing to be relevant to
    # the agency's draft (found by SQL, no score) after the scored entries
    ids, _r = order(people["agency_editor"], q="停车场")
    assert ids[-1] == ranked["draft"] and ids[:-1] == order(q="停车场")[0]
    with pytest.raises(tk.ValidationError) as err:
        act("search", None, q="停车场", sort="score desc")
    assert "sort" in err.value.error_dict


def test_without_solr_date_order_and_it_says_so(app, ranked, monkeypatch):
    monkeypatch.setitem(tk.config, "solr_url", "http://127.0.0.1:9/solr/nowhere")
    ids, result = order(q="停车场")
    assert result["sort"] == "newest" and result["relevance_unavailable"]
    assert ids == [ranked[k] for k in ("weak", "newer", "older", "best")]
    assert not order(q="停车场", sort="oldest")[1]["relevance_unavailable"]
    body = app.get("/opendata/govinfo", query_string={"q": "停车场"}).body
    assert "lyg-govinfo-sort-fallback" in body


def test_the_page_orders_by_relevance_and_has_a_sort_control(app, ranked):
    def listed(**query):
        body = app.get("/opendata/govinfo", query_string=query).body
        return [i for _p, i in sorted((body.index(f'data-id="{i}"'), i) for i in ranked.values()
                                      if f'data-id="{i}"' in body)], body
    ids, body = listed(q="停车场")
    assert ids == order(q="停车场")[0] and ids[-1] == ranked["weak"]
    # the default order (relevance with a text) is the empty value: the form sends it again
    assert '<option value="" selected>相关度</option>' in body
    assert "lyg-govinfo-sort-fallback" not in body
    ids, body = listed(q="停车场", sort="oldest")
    assert ids == [ranked[k] for k in ("best", "older", "newer", "weak")]
    assert '<option value="oldest" selected' in body
    # without a text: newest first is the default; a search typed there is by relevance
    ids, body = listed()
    assert ids[0] == ranked["weak"] and "相关度" not in body
    assert '<option value="" selected>最新发布</option>' in body
    assert listed(q="停车场", sort="")[0] == order(q="停车场")[0]
    # a sort the list does not know: a message, the list by date, never a 500
    response = app.get("/opendata/govinfo", query_string={"q": "停车场", "sort": "bogus"})
    assert response.status_code == 200
