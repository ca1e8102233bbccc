"""Chinese search, second round (docs/search.md): Han text running into numbers and
Latin words, full-width forms, document numbers, traditional characters, pinyin, synonyms,
suggestions and "did you mean" — through package_search, the action API and the search
page, against the real Solr 9 with the project's configset."""
import pathlib

import pytest
import requests

import ckan.plugins.toolkit as tk

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def search(q, **kwargs):
    result = tk.get_action("package_search")({}, {"q": q, "rows": 100, **kwargs})
    return {r["name"] for r in result["results"]}


@pytest.fixture
def corpus(published_dataset):
    published_dataset(name="m-gx", title="市工信局2020年上半年工作总结",
                      notes="工业经济运行情况。")
    published_dataset(name="m-bg", title="连云港市政府工作报告（2006—2020年）",
                      notes="2006年至2020年历年政府工作报告。Annual government work reports.")
    published_dataset(name="m-dsj", title="连云港市人民政府2020年10月大事记",
                      notes="市政府重要会议和活动。")
    published_dataset(name="m-gz", title="连云港市公共数据开放与开发利用管理暂行办法",
                      notes="连政规发〔2019〕2号，2020年1月1日起施行。")
    published_dataset(name="m-5g", title="全市5G基站和PM2.5监测点分布",
                      notes="GDP增速、CPI和12345热线办理情况。")
    published_dataset(name="m-tcc", title="连云港市机动车停车场管理办法",
                      notes="全市公共停车场名录。")
    published_dataset(name="m-rk", title="连云港市常住人口统计", notes="年末常住人口。")
    published_dataset(name="m-xy", title="关于进一步深化文明校园创建工作的通知", notes="文明校园。")
    published_dataset(name="m-bus", title="连云港市公交线路和站点", notes="Bus routes and stops.")


def test_han_text_running_into_numbers(corpus):
    # the first round found none of these (a query bigram sits one position before the
    # unigram the index has next to the number)
    for q in ("工信局2020", "局2020", "市工信局2020", "信局2020年上半年", "工信局 2020",
              "2020年上半年", "工信局2020年上半年工作总结"):
        assert search(q) == {"m-gx"}, q
    assert search("报告2006") == {"m-bg"}
    assert search("2020年10月") == {"m-dsj"}
    assert search("10月大事记") == {"m-dsj"}
    assert search("工信局2021") == set()
    assert search("局2019") == set()
    assert search("2020年10月") & {"m-gx", "m-bg"} == set()


def test_han_text_and_latin_words_and_codes(corpus):
    for q in ("5G基站", "市5G", "PM2.5监测", "PM2.5", "GDP增速", "CPI", "12345热线", "和12345"):
        assert search(q) == {"m-5g"}, q
    assert search("6G基站") == set()
    # English stemming unchanged
    assert search("reports") == {"m-bg"}
    assert search("route") == {"m-bus"}


def test_full_width_digits_and_letters(corpus):
    assert search("工信局２０２０") == {"m-gx"}
    assert search("ＧＤＰ增速") == {"m-5g"}
    assert search("５Ｇ基站") == {"m-5g"}


def test_document_numbers_in_any_bracket_spelling(corpus):
    for q in ("连政规发〔2019〕2号", "连政规发[2019]2号", "连政规发(2019)2号", "连政规发（2019）2号",
              "连政规发【2019】2号", "〔2019〕2号", "连政规发 2019 2号", "连政规发〔２０１９〕２号"):
        assert search(q) == {"m-gz"}, q
    assert search("连政规发〔2019〕3号") == set()
    assert search("连政规发〔2018〕2号") == set()


def test_traditional_characters_find_simplified_titles(corpus):
    assert search("數據開放") == {"m-gz"}
    assert search("停車場") == {"m-tcc"}
    assert search("工信局2020年上半年工作總結") == {"m-gx"}


def test_pinyin_and_initials_find_titles(corpus):
    assert search("tingchechang") == {"m-tcc"}
    assert search("tcc") == {"m-tcc"}
    assert search("gongxinju") == {"m-gx"}
    assert search("changzhurenkou") == {"m-rk"}
    # a pinyin match starts and ends at a syllable: "bus" is not 步深 (bu + shen)
    assert search("bus") == {"m-bus"}
    # Chinese titles rank before a pinyin-only match
    result = tk.get_action("package_search")({}, {"q": "tcc"})
    assert result["results"][0]["name"] == "m-tcc"


def test_shipped_synonyms_are_equal_terms_only(corpus):
    assert search("泊车场") == {"m-tcc"}          # 停车场,泊车场 are equal
    assert search("泊车场管理") == {"m-tcc"}
    assert search("户籍人口") == set()            # related to 常住人口, not equal: not listed


def _test_core_conf() -> pathlib.Path:
    solr_url = tk.config.get("solr_url")
    base, core = solr_url.rsplit("/", 1)
    status = requests.get(f"{base}/admin/cores", params={"action": "STATUS", "core": core},
                          timeout=10).json()
    return pathlib.Path(status["status"][core]["instanceDir"]) / "conf"


def _reload_core() -> None:
    base, core = tk.config.get("solr_url").rsplit("/", 1)
    requests.get(f"{base}/admin/cores", params={"action": "RELOAD", "core": core},
                 timeout=60).raise_for_status()


def test_a_synonym_edit_takes_effect_after_reload(corpus):
    synonyms = _test_core_conf() / "synonyms.txt"
    original = synonyms.read_text("utf-8")
    assert search("机动车泊位") == set()
    try:
        synonyms.write_text(original + "\n停车场,机动车泊位\n", "utf-8")
        assert search("机动车泊位") == set()   # not before the core is reloaded
        _reload_core()
        assert search("机动车泊位") == {"m-tcc"}
        assert search("机动车泊位管理办法") == {"m-tcc"}
    finally:
        synonyms.write_text(original, "utf-8")
        _reload_core()
    assert search("机动车泊位") == set()


# --- suggestions and "did you mean" ------------------------------------------------------

def suggest(app, q, user=None, status=200, **params):
    headers = {"Authorization": user["token"]} if user else {}
    resp = app.get("/api/3/action/lyg_opendata_search_suggest",
                   query_string={"q": q, **params}, headers=headers, status=status)
    return resp.json


def test_suggestions_as_you_type(app, corpus):
    titles = [s["title"] for s in suggest(app, "工信局2020")["result"]["suggestions"]]
    assert titles == ["市工信局2020年上半年工作总结"]
    assert [s["name"] for s in suggest(app, "tcc")["result"]["suggestions"]] == ["m-tcc"]
    assert [s["name"] for s in suggest(app, "停車")["result"]["suggestions"]] == ["m-tcc"]
    names = [s["name"] for s in suggest(app, "连云港", limit=2)["result"]["suggestions"]]
    assert len(names) == 2
    assert suggest(app, "没有这样的数据")["result"]["suggestions"] == []


def test_suggestions_reject_bad_input(app):
    for params, field in (({"q": ""}, "q"), ({"q": "停" * 101}, "q"), ({"q": "停车", "limit": 0}, "limit"),
                          ({"q": "停车", "limit": "many"}, "limit")):
        body = suggest(app, status=409, **params)
        assert body["success"] is False and field in body["error"], body


def test_suggestions_show_only_what_the_user_may_see(app, create_dataset, people):
    create_dataset(name="m-draft", title="市工信局2021年工作计划")   # a draft of the agency
    allowed = {"agency_editor", "agency_admin", "sysadmin"}
    for role, user in people.items():
        names = [s["name"] for s in suggest(app, "工信局2021", user=user)["result"]["suggestions"]]
        assert names == (["m-draft"] if role in allowed else []), role


def test_did_you_mean_on_a_search_without_result(app, corpus):
    resp = app.get("/dataset/", query_string={"q": "机动车停车厂"})
    assert resp.status_code == 200
    assert "lyg-did-you-mean" in resp.body
    assert "连云港市机动车停车场管理办法" in resp.body
    resp = app.get("/dataset/", query_string={"q": "tingchechang"})
    assert "lyg-did-you-mean" not in resp.body       # it has a result


def test_search_pages_load_the_suggestion_module(app, corpus):
    for url in ("/", "/dataset/"):
        body = app.get(url).body
        assert 'id="lyg-suggest-config"' in body and "lyg_opendata_search_suggest" in body
        assert "suggest.js" in body
