"""Recall and precision of Chinese analysis choices for CKAN's Solr schema, measured on the
demo content (plus reproducible synthetic datasets) in the running development Solr.

    make bench-search          (or: .venv/bin/python bench/chinese_search.py [--synthetic N])

For each variant a temporary core is created next to the dev cores, the same documents
are indexed, and the same queries are sent the way CKAN sends them (dismax, CKAN's query
fields and its default minimum-match ``2<-1 5<80%``). A dataset is relevant to a query when
its title, description or tags contain every whitespace-separated term of the query
(case-insensitively) — what a person typing a Chinese word expects.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import shutil
import sys
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ckanext.lyg_opendata.demo import loader  # noqa: E402

import ckan  # noqa: E402

CKAN_SCHEMA = pathlib.Path(ckan.__file__).parent / "config/solr/schema.xml"
OUR_SCHEMA = ROOT / "solr/configset/conf/schema.xml"
CKAN_QF = "name^4 title^4 tags^2 groups^2 text"
CKAN_MM = "2<-1 5<80%"

QUERIES = [
    "停车", "停车场", "用水", "节约用水", "医疗", "医疗保险", "应急预案", "政府工作报告",
    "大事记", "统计", "人口", "外资", "农民", "智慧城市", "公交", "站点", "水质", "数据开放",
    "开放清单", "规划", "五年规划", "投资项目", "污染", "快递", "外国专家", "常务会议",
    "生产总值", "收入", "停电", "海域", "名录", "监测", "图书馆", "养老", "港口",
    "连云港 停车", "应急 预案", "海州区 停车场",
    "parking", "water", "plan", "population", "bus", "emergency",
]


def smartcn_schema(text: str, phrase: bool) -> str:
    analyzer = ('<analyzer>'
                '<tokenizer class="org.apache.lucene.analysis.cn.smart.HMMChineseTokenizerFactory"/>'
                '<filter class="solr.CJKWidthFilterFactory"/>'
                '<filter class="solr.LowerCaseFilterFactory"/>'
                '<filter class="solr.SnowballPorterFilterFactory" language="English" protected="protwords.txt"/>'
                '</analyzer>')
    for name in ("text", "text_general"):
        text = re.sub(
            rf'(<fieldType name="{name}" class="solr.TextField"[^>]*>).*?(</fieldType>)',
            lambda m: (m.group(1) if phrase else m.group(1).replace(
                ' autoGeneratePhraseQueries="true"', "")) + analyzer + m.group(2),
            text, count=1, flags=re.S)
    return text


VARIANTS = {
    # name: (schema text, extra query fields, note)
    "ckan-stock": (CKAN_SCHEMA.read_text("utf-8"), "", "CKAN 2.12's schema as shipped"),
    "ckan-stock+title_ngram": (CKAN_SCHEMA.read_text("utf-8"), " title_ngram",
                               "stock schema, its title_ngram field added to qf"),
    "bigram-or": (OUR_SCHEMA.read_text("utf-8").replace(' autoGeneratePhraseQueries="true"', ""), "",
                  "CJK bigrams, a term's bigrams OR-ed"),
    "bigram-phrase (chosen)": (OUR_SCHEMA.read_text("utf-8"), "",
                               "CJK bigrams, a term's bigrams as a phrase"),
    "smartcn-or": (smartcn_schema(OUR_SCHEMA.read_text("utf-8"), False), "",
                   "Lucene smartcn word segmentation, a term's words OR-ed"),
    "smartcn-phrase": (smartcn_schema(OUR_SCHEMA.read_text("utf-8"), True), "",
                       "Lucene smartcn word segmentation, a term's words as a phrase"),
}


def documents(synthetic: int) -> list[dict]:
    data = loader.load_demo_data()
    orgs = [o["name"] for o in data["organizations"]]
    items = list(data["datasets"]) + list(loader.synthetic_datasets(synthetic, orgs))
    docs = []
    for ds in items:
        docs.append({"index_id": ds["name"], "id": ds["name"], "site_id": "bench",
                     "name": ds["name"], "title": ds["title"], "notes": ds.get("notes", ""),
                     "tags": ds.get("tags", []), "entity_type": "package",
                     "dataset_type": "dataset", "state": "active"})
    return docs


def relevant(doc: dict, query: str) -> bool:
    hay = " ".join([doc["title"], doc["notes"], " ".join(doc["tags"])]).lower()
    return all(term.lower() in hay for term in query.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solr", default="http://127.0.0.1:18983/solr")
    parser.add_argument("--solr-home", default=str(ROOT / ".local/solr/home"))
    parser.add_argument("--synthetic", type=int, default=300)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    docs = documents(args.synthetic)
    truth = {q: {d["id"] for d in docs if relevant(d, q)} for q in QUERIES}
    print(f"{len(docs)} documents, {len(QUERIES)} queries, "
          f"{sum(map(len, truth.values()))} relevant (query, dataset) pairs; mm={CKAN_MM}")
    print(f"{'variant':26} {'precision':>9} {'recall':>7} {'F1':>6} {'zero-hit':>8}  note")
    figures = {}
    for i, (variant, (schema, extra_qf, note)) in enumerate(VARIANTS.items()):
        core = f"bench_{i}"
        inst = pathlib.Path(args.solr_home) / core
        requests.get(f"{args.solr}/admin/cores", params={"action": "UNLOAD", "core": core,
                                                          "deleteInstanceDir": "true"})
        shutil.rmtree(inst, ignore_errors=True)
        shutil.copytree(ROOT / "solr/configset/conf", inst / "conf")
        (inst / "conf/schema.xml").write_text(schema, "utf-8")
        t0 = time.monotonic()
        r = requests.get(f"{args.solr}/admin/cores", params={
            "action": "CREATE", "name": core, "instanceDir": str(inst)})
        r.raise_for_status()
        try:
            requests.post(f"{args.solr}/{core}/update?commit=true", json=docs).raise_for_status()
            tp = fp = fn = zero = 0
            for q in QUERIES:
                res = requests.get(f"{args.solr}/{core}/select", params={
                    "q": q, "defType": "dismax", "qf": CKAN_QF + extra_qf, "mm": CKAN_MM,
                    "q.op": "AND", "fl": "id", "rows": 10000}).json()
                got = {d["id"] for d in res["response"]["docs"]}
                tp += len(got & truth[q])
                fp += len(got - truth[q])
                fn += len(truth[q] - got)
                zero += not got and bool(truth[q])
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            figures[variant] = {"precision": round(precision, 3), "recall": round(recall, 3),
                                "f1": round(f1, 3), "zero_hit_queries": zero,
                                "seconds": round(time.monotonic() - t0, 1)}
            print(f"{variant:26} {precision:9.3f} {recall:7.3f} {f1:6.3f} {zero:8d}  {note}")
        finally:
            requests.get(f"{args.solr}/admin/cores", params={
                "action": "UNLOAD", "core": core, "deleteInstanceDir": "true"})
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
