"""Recall and precision of Chinese analysis choices for CKAN's Solr schema, measured on the
demo content, the seed's document titles (/work/shared/seed, docs/search.md) and
reproducible synthetic datasets, in the running development Solr.

    make bench-search          (or: .venv/bin/python bench/chinese_search.py [--synthetic N])

For each variant a temporary core is created next to the dev cores, the same documents
are indexed, and the same queries are sent the way CKAN sends them (dismax, CKAN's query
fields and its default minimum-match ``2<-1 5<80%``). Query sets:

- ``existing``: the first round's 44 queries (38 Chinese, 6 English); a dataset is relevant
  when its title, description or tags contain every whitespace-separated term of the query.
- ``mixed``: generated from the demo and seed titles and descriptions: every boundary where
  Han text meets a number or a Latin word, with one to three ideographs on the Han side
  (工信局2020, 局2020, 2020年上), some with a space, some in full-width forms, and the
  document numbers in several spellings (连政规发〔2019〕2号, [2019], (2019), （2019）).
  Relevant = the query's terms, with punctuation and full-width forms folded, occur in the
  title / description / tags with whole numbers and Latin words at their ends.
- ``traditional``: Chinese queries of the existing set in traditional characters; relevant =
  as for the simplified query.
- ``pinyin``: full pinyin and initials of title words (tingchechang, tcc); relevant = the
  title contains the Han word.
- ``english``: English queries (relevance as ``existing``), to see that pinyin does not
  flood them.

Figures: micro precision and recall over all (query, dataset) pairs, precision@10 (mean over
the queries with a relevant dataset of the share of relevant ones among the first ten hits)
and the number of queries without a hit that have a relevant dataset.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import shutil
import sys
import unicodedata

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ckanext.lyg_opendata import search as lyg_search  # noqa: E402
from ckanext.lyg_opendata.demo import loader  # noqa: E402

import ckan  # noqa: E402

CKAN_SCHEMA = pathlib.Path(ckan.__file__).parent / "config/solr/schema.xml"
OUR_SCHEMA = ROOT / "solr/configset/conf/schema.xml"
SEED_DIR = pathlib.Path("/work/shared/seed")
CKAN_QF = "name^4 title^4 tags^2 groups^2 text"
CKAN_MM = "2<-1 5<80%"
K = 10

QUERIES = [
    "停车", "停车场", "用水", "节约用水", "医疗", "医疗保险", "应急预案", "政府工作报告",
    "大事记", "统计", "人口", "外资", "农民", "智慧城市", "公交", "站点", "水质", "数据开放",
    "开放清单", "规划", "五年规划", "投资项目", "污染", "快递", "外国专家", "常务会议",
    "生产总值", "收入", "停电", "海域", "名录", "监测", "图书馆", "养老", "港口",
    "连云港 停车", "应急 预案", "海州区 停车场",
    "parking", "water", "plan", "population", "bus", "emergency",
]
# (traditional, simplified): the simplified query's relevant datasets are the truth
TRADITIONAL = [
    ("停車場", "停车场"), ("節約用水", "节约用水"), ("醫療保險", "医疗保险"), ("應急預案", "应急预案"),
    ("政府工作報告", "政府工作报告"), ("大事記", "大事记"), ("統計", "统计"), ("農民", "农民"),
    ("智慧城市", "智慧城市"), ("公交", "公交"), ("數據開放", "数据开放"), ("開放清單", "开放清单"),
    ("規劃", "规划"), ("投資項目", "投资项目"), ("污染", "污染"), ("快遞", "快递"),
    ("外國專家", "外国专家"), ("常務會議", "常务会议"), ("圖書館", "图书馆"), ("養老", "养老"),
    ("監測", "监测"), ("停電", "停电"), ("海域", "海域"), ("港口", "港口"),
]
PINYIN_WORDS = ["停车场", "节约用水", "医疗保险", "快递", "外国专家", "大事记", "常务会议",
                "生产总值", "常住人口", "外资", "智慧城市", "应急预案", "水质", "数据开放",
                "公交", "图书馆", "养老", "港口", "停电", "规划"]
ENGLISH = ["parking", "water", "plan", "population", "bus", "emergency", "report", "data",
           "statistics", "pollution", "quality", "city", "bus stops", "water quality",
           "government", "monitoring", "GDP", "benchmarks", "synthetic dataset", "annual"]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")


# --- analysis variants --------------------------------------------------------------------

def _edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


NO_ICU = (('            <charFilter class="solr.ICUNormalizer2CharFilterFactory" form="nfkc" mode="compose"/>\n', ""),
          ('            <filter class="solr.ICUTransformFilterFactory" id="Traditional-Simplified"/>\n', ""))
NO_T2S = (NO_ICU[1],)
_SYN = '<filter class="solr.SynonymGraphFilterFactory" synonyms="synonyms.txt" ignoreCase="true" expand="true" tokenizerFactory="solr.StandardTokenizerFactory"/>\n'
# the first round's query chain: synonym rules split on whitespace, then query bigrams
_SYN1 = _SYN.replace(' tokenizerFactory="solr.StandardTokenizerFactory"', "")
_WIDTH = '            <filter class="solr.CJKWidthFilterFactory"/>\n'
_TEXT_INDEX_NEXT = '            <filter class="solr.WordDelimiterGraphFilterFactory" generateWordParts="1" generateNumberParts="1" catenateWords="1"'
_GENERAL_INDEX_NEXT = '            <filter class="solr.LowerCaseFilterFactory"/>\n        </analyzer>\n        <analyzer type="query">'


def _bigrams(unigrams: bool) -> str:
    return f'            <filter class="solr.CJKBigramFilterFactory" outputUnigrams="{str(unigrams).lower()}"/>\n'


def INDEX_BIGRAMS(unigrams: bool = True) -> tuple:
    return ((_WIDTH + _TEXT_INDEX_NEXT, _WIDTH + _bigrams(unigrams) + _TEXT_INDEX_NEXT),
            (_WIDTH + _GENERAL_INDEX_NEXT, _WIDTH + _bigrams(unigrams) + _GENERAL_INDEX_NEXT))


QUERY_BIGRAMS_ONLY = ((_SYN, _SYN1 + _bigrams(False)),)
QUERY_UNI_BIGRAMS = ((_SYN, _SYN + _bigrams(True)),)


def smartcn_schema(text: str) -> str:
    analyzer = ('<analyzer>'
                '<charFilter class="solr.ICUNormalizer2CharFilterFactory" form="nfkc" mode="compose"/>'
                '<tokenizer class="org.apache.lucene.analysis.cn.smart.HMMChineseTokenizerFactory"/>'
                '<filter class="solr.ICUTransformFilterFactory" id="Traditional-Simplified"/>'
                '<filter class="solr.LowerCaseFilterFactory"/>'
                '<filter class="solr.SnowballPorterFilterFactory" language="English" protected="protwords.txt"/>'
                '</analyzer>')
    for name in ("text", "text_general"):
        text = re.sub(
            rf'(<fieldType name="{name}" class="solr.TextField"[^>]*>).*?(</fieldType>)',
            lambda m: m.group(1) + analyzer + m.group(2), text, count=1, flags=re.S)
    return text


def variants() -> dict[str, tuple[str, str, str]]:
    ours = OUR_SCHEMA.read_text("utf-8")
    stock = CKAN_SCHEMA.read_text("utf-8")
    return {
        # name: (schema text, extra query fields, note)
        "ckan-stock": (stock, "", "CKAN 2.12's schema as shipped"),
        "stock+title_ngram": (stock, " title_ngram", "stock schema, its title_ngram in qf"),
        "round1 bigram-phrase": (_edit(ours, *NO_ICU, *INDEX_BIGRAMS(), *QUERY_BIGRAMS_ONLY), "",
                                 "first round: unigrams+bigrams indexed, query bigrams only"),
        "bigram-only index+query": (_edit(ours, *NO_ICU, *INDEX_BIGRAMS(False), *QUERY_BIGRAMS_ONLY), "",
                                    "no unigrams anywhere (positions agree, 1-char queries lost)"),
        "query uni+bigrams": (_edit(ours, *NO_ICU, *INDEX_BIGRAMS(), *QUERY_UNI_BIGRAMS), "",
                              "index and query unigrams+bigrams (stacked phrase)"),
        "index uni+bigrams, query unigrams": (_edit(ours, *NO_ICU, *INDEX_BIGRAMS()), "",
                                              "query a phrase of unigrams (index bigrams unused)"),
        "unigrams": (_edit(ours, *NO_ICU), "", "index and query single ideographs, phrase"),
        "  + NFKC": (_edit(ours, *NO_T2S), "", "… + ICU NFKC char filter (full-width)"),
        "  + NFKC + T2S": (ours, "", "… + ICU Traditional-Simplified"),
        "  + pinyin^0.5 (chosen)": (ours, " " + lyg_search.PINYIN_QF, "… + title pinyin in qf"),
        "smartcn-phrase": (smartcn_schema(ours), "", "Lucene smartcn words as a phrase (+ICU)"),
    }


# --- documents ----------------------------------------------------------------------------

def seed_titles() -> list[tuple[str, str]]:
    """(title, notes) of the seed's document list and its cited documents (with numbers)."""
    out: list[tuple[str, str]] = []
    for f in sorted(SEED_DIR.glob("*.txt")):
        text = f.read_text("utf-8")
        for line in text.splitlines():
            m = re.match(r"^(.+?)\s+(\d{4}-\d{2}-\d{2})$", line.strip())
            if m and _HAN_RE.search(m.group(1)):
                out.append((m.group(1).lstrip("- ").rstrip(".…"), f"发布日期 {m.group(2)}"))
        for m in re.finditer(r"《([^《》]{4,60})》[(（]([^()（）]*〔\d{4}〕\d+号)[)）]", text):
            out.append((m.group(1), f"{m.group(1)}（{m.group(2)}）"))
    return list(dict.fromkeys(out))


def documents(synthetic: int) -> list[dict]:
    data = loader.load_demo_data()
    orgs = [o["name"] for o in data["organizations"]]
    items = list(data["datasets"]) + list(loader.synthetic_datasets(synthetic, orgs))
    items += [{"name": f"seed-{i:04d}", "title": t, "notes": n, "tags": []}
              for i, (t, n) in enumerate(seed_titles())]
    docs = []
    for ds in items:
        docs.append({"index_id": ds["name"], "id": ds["name"], "site_id": "bench",
                     "name": ds["name"], "title": ds["title"], "notes": ds.get("notes", ""),
                     "tags": ds.get("tags", []), "entity_type": "package",
                     "dataset_type": "dataset", "state": "active",
                     "title_pinyin": lyg_search.title_pinyin(ds["title"])})
    return docs


# --- relevance ----------------------------------------------------------------------------

def relevant(doc: dict, query: str) -> bool:
    hay = " ".join([doc["title"], doc["notes"], " ".join(doc["tags"])]).lower()
    return all(term.lower() in hay for term in query.split())


def fold(text: str) -> str:
    """NFKC, lower case, punctuation and spaces dropped except between two ASCII letters or
    digits (where they separate two numbers or words)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\W_]+", " ", text)
    text = re.sub(rf"(?<=[{_HAN}]) +| +(?=[{_HAN}])", "", text)
    return text.strip()


def term_pattern(term: str) -> re.Pattern:
    t = fold(term)
    pre = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", t) else ""
    post = r"(?![a-z0-9])" if re.search(r"[a-z0-9]$", t) else ""
    return re.compile(pre + re.escape(t) + post)


def relevant_mixed(doc: dict, query: str) -> bool:
    hay = fold(" ".join([doc["title"], doc["notes"], " ".join(doc["tags"])]))
    return all(term_pattern(term).search(hay) for term in query.split())


# --- query sets ---------------------------------------------------------------------------

_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}


def full_width(s: str) -> str:
    return "".join(_FULLWIDTH.get(c, c) for c in s)


def mixed_queries(texts: list[str]) -> list[str]:
    """Every Han/number and Han/Latin boundary of the texts, 1–3 ideographs on the Han side;
    every third with a space at the boundary, every fifth in full-width forms; and the
    document numbers in several bracket spellings."""
    out: list[str] = []
    seg = re.compile(rf"[{_HAN}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")
    for text in texts:
        text = unicodedata.normalize("NFKC", text)
        for m in re.finditer(r"([\u4e00-\u9fff]{2,6})[〔\[(（](\d{4})[〕\])）](\d+)号", text):
            org, year, num = m.groups()
            for lb, rb in ("〔〕", "[]", "()", "（）", "【】"):
                out.append(f"{org}{lb}{year}{rb}{num}号")
            out.append(f"〔{year}〕{num}号")
        parts = list(seg.finditer(text))
        for a, b in zip(parts, parts[1:]):
            if a.end() != b.start():
                continue  # not adjacent: punctuation or space between
            sa, sb = a.group(), b.group()
            han_a, han_b = bool(_HAN_RE.match(sa)), bool(_HAN_RE.match(sb))
            if han_a == han_b:
                continue
            for n in (1, 2, 3):
                if han_a and len(sa) >= n:
                    out.append(sa[-n:] + sb)
                if han_b and len(sb) >= n:
                    out.append(sa + sb[:n])
    seen: list[str] = []
    for q in dict.fromkeys(out):
        if len(q) < 2:
            continue
        i = len(seen)
        if i % 3 == 1:  # a space at the Han / non-Han boundary
            q = re.sub(rf"(?<=[{_HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{_HAN}])", " ", q, count=1)
        elif i % 5 == 2:
            q = full_width(q)
        seen.append(q)
    return list(dict.fromkeys(seen))


def pinyin_queries() -> list[tuple[str, str]]:
    from pypinyin import Style, lazy_pinyin
    out = []
    for w in PINYIN_WORDS:
        syl = lazy_pinyin(w, style=Style.NORMAL)
        out.append(("".join(syl), w))
        out.append(("".join(s[0] for s in syl), w))
    return out


# --- running ------------------------------------------------------------------------------

def measure(solr: str, core: str, qf: str, queries: list[str], truth: dict[str, set]) -> dict:
    tp = fp = fn = zero = 0
    p_at_k: list[float] = []
    for q in queries:
        res = requests.get(f"{solr}/{core}/select", params={
            "q": q, "defType": "dismax", "qf": qf, "mm": CKAN_MM, "tie": "0.1",
            "q.op": "AND", "fl": "id", "rows": 10000}).json()
        ranked = [d["id"] for d in res["response"]["docs"]]
        got, rel = set(ranked), truth[q]
        tp += len(got & rel)
        fp += len(got - rel)
        fn += len(rel - got)
        if rel:
            zero += not got
            top = ranked[:K]
            p_at_k.append(sum(d in rel for d in top) / len(top) if top else 0.0)
    return {"precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
            f"p@{K}": round(sum(p_at_k) / len(p_at_k), 3) if p_at_k else 0.0,
            "zero_hit": zero}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    port = __import__("os").environ.get("LYG_SOLR_PORT", "18983")
    parser.add_argument("--solr", default=f"http://127.0.0.1:{port}/solr")
    parser.add_argument("--solr-home", default=str(ROOT / ".local/solr/home"))
    parser.add_argument("--synthetic", type=int, default=300)
    parser.add_argument("--only", help="run only the variants whose name contains this")
    parser.add_argument("--show-misses", action="store_true",
                        help="list the mixed queries the chosen variant misses")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    docs = documents(args.synthetic)
    by_id = {d["id"]: d for d in docs}
    sources = [d for d in docs if not d["id"].startswith("synthetic-")]
    mixed = mixed_queries([t for d in sources for t in (d["title"], d["notes"])])
    sets: dict[str, tuple[list[str], dict[str, set]]] = {
        "existing": (QUERIES, {q: {d["id"] for d in docs if relevant(d, q)} for q in QUERIES}),
        "mixed": (mixed, {q: {d["id"] for d in docs if relevant_mixed(d, q)} for q in mixed}),
        "traditional": ([t for t, _ in TRADITIONAL],
                        {t: {d["id"] for d in docs if relevant(d, s)} for t, s in TRADITIONAL}),
        "pinyin": ([p for p, _ in pinyin_queries()],
                   {p: {d["id"] for d in docs if w in d["title"]} for p, w in pinyin_queries()}),
        "english": (ENGLISH, {q: {d["id"] for d in docs if relevant(d, q)} for q in ENGLISH}),
    }
    print(f"{len(docs)} documents ({len(sources) - 26} from the seed); mm={CKAN_MM}; queries: "
          + ", ".join(f"{k} {len(v[0])} ({sum(map(len, v[1].values()))} relevant pairs)"
                      for k, v in sets.items()))
    head = f"{'variant':34}" + "".join(f" | {k[:8]:>8} P    R    P@{K} 0" for k in sets)
    print(head)
    figures: dict[str, dict] = {}
    for i, (variant, (schema, extra_qf, note)) in enumerate(variants().items()):
        if args.only and args.only not in variant:
            continue
        core = f"bench_{i}"
        inst = pathlib.Path(args.solr_home) / core
        requests.get(f"{args.solr}/admin/cores", params={"action": "UNLOAD", "core": core,
                                                          "deleteInstanceDir": "true"})
        shutil.rmtree(inst, ignore_errors=True)
        shutil.copytree(ROOT / "solr/configset/conf", inst / "conf")
        (inst / "conf/schema.xml").write_text(schema, "utf-8")
        r = requests.get(f"{args.solr}/admin/cores", params={
            "action": "CREATE", "name": core, "instanceDir": str(inst)})
        r.raise_for_status()
        try:
            stock = "title_pinyin" not in schema
            body = [{k: v for k, v in d.items() if not (stock and k == "title_pinyin")} for d in docs]
            requests.post(f"{args.solr}/{core}/update?commit=true", json=body).raise_for_status()
            figures[variant] = {"note": note}
            line = f"{variant:34}"
            for name, (queries, truth) in sets.items():
                f = measure(args.solr, core, CKAN_QF + extra_qf, queries, truth)
                figures[variant][name] = f
                line += f" | {f['precision']:.3f} {f['recall']:.3f} {f[f'p@{K}']:.3f} {f['zero_hit']:2d}"
            print(line, flush=True)
            if args.show_misses and "chosen" in variant:
                for q in mixed:
                    res = requests.get(f"{args.solr}/{core}/select", params={
                        "q": q, "defType": "dismax", "qf": CKAN_QF, "mm": CKAN_MM,
                        "fl": "id", "rows": 10000}).json()
                    got = {d["id"] for d in res["response"]["docs"]}
                    rel = sets["mixed"][1][q]
                    if rel - got or got - rel:
                        print(f"   {q!r}: missed {[by_id[x]['title'] for x in list(rel - got)[:3]]}"
                              f" extra {[by_id[x]['title'] for x in list(got - rel)[:3]]}")
        finally:
            requests.get(f"{args.solr}/admin/cores", params={
                "action": "UNLOAD", "core": core, "deleteInstanceDir": "true"})
    print("columns per query set: micro precision, recall, precision@10, queries with no hit")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
