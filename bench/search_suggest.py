"""Response time of the search suggestions (``lyg_opendata_search_suggest``, what the search
boxes call as a person types) and of "did you mean" (a search without result), with 10,000
datasets in the index, in a slot of its own (never the dev portal's data).

    .venv/bin/python bench/search_suggest.py [--datasets 10000] [--requests 300]
    LYG_BENCH_SLOT=6 .venv/bin/python bench/search_suggest.py        (another slot)

1. ``benchslot.setup``: services, database ``ckan_test<slot>`` and Solr core ``ckan_test<slot>``,
   config ``.local/bench-suggest-slot<slot>.ini``.
2. The demo titles, the seed's document titles (bench/chinese_search.py) and synthetic ones
   up to ``--datasets`` are written to the slot's Solr core as CKAN would index public
   datasets (title, title_ngram, title_pinyin, notes, permission label ``public``); the
   suggestions only read the index (``package_search`` with ``fl=name,title``).
3. Each query is a prefix of a title as typed (2 to 8 characters, in Chinese, pinyin or
   initials), sent through CKAN's WSGI app (Flask test client, anonymous: routing, auth,
   validation, ``package_search``, JSON) after a warm-up; "did you mean" is timed as the
   helper the search page calls (``search.did_you_mean``) on queries with one wrong
   character. p50 / p95 / max are printed.

Not a test: numbers depend on the machine. Figures are in the README ("Chinese search").
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time

import requests

import benchslot
from benchslot import ROOT, SLOT, ini_path, log

sys.path.insert(0, str(ROOT / "bench"))
import chinese_search  # noqa: E402

INI = ini_path("suggest")


def solr_url() -> str:
    import os
    return f"http://127.0.0.1:{os.environ.get('LYG_SOLR_PORT', '18983')}/solr/ckan_test{SLOT}"


def index(n: int) -> list[dict]:
    from ckanext.lyg_opendata import search
    base = len(chinese_search.documents(0))
    docs = chinese_search.documents(max(0, n - base))[:n]
    body = []
    for d in docs:
        body.append({
            "index_id": f"bench-{d['id']}", "id": f"bench-{d['id']}", "site_id": "lyg-opendata-test",
            "name": d["name"], "title": d["title"], "title_ngram": d["title"],
            "title_string": d["title"], "title_pinyin": search.title_pinyin(d["title"]),
            "notes": d["notes"], "entity_type": "package", "dataset_type": "dataset",
            "state": "active", "capacity": "public", "permission_labels": ["public"],
            "metadata_modified": "2026-11-01T00:00:00Z"})
    url = solr_url()
    requests.post(f"{url}/update?commit=true", json={"delete": {"query": "*:*"}}).raise_for_status()
    for i in range(0, len(body), 2000):
        requests.post(f"{url}/update", json=body[i:i + 2000]).raise_for_status()
    requests.get(f"{url}/update", params={"commit": "true"}).raise_for_status()
    return docs


def typed_queries(docs: list[dict], count: int) -> list[str]:
    from pypinyin import Style, lazy_pinyin
    rng = random.Random(16)
    out = []
    while len(out) < count:
        title = rng.choice(docs)["title"]
        kind = len(out) % 4
        if kind >= 2:  # pinyin is typed for Han text
            title = rng.choice(re.findall(r"[\u4e00-\u9fff]{2,}", title) or ["停车场"])
        start = rng.randrange(max(1, len(title) - 2))
        q = title[start:start + rng.randint(2, 8)]
        if kind == 2:
            q = "".join(lazy_pinyin(q, style=Style.NORMAL))
        elif kind == 3:
            q = "".join(s[0] for s in lazy_pinyin(q, style=Style.NORMAL))
        out.append(q)
    return out


def misspelt(docs: list[dict], count: int) -> list[str]:
    rng = random.Random(61)
    out = []
    while len(out) < count:
        title = rng.choice(docs)["title"]
        if len(title) < 6:
            continue
        i = rng.randrange(2, len(title) - 1)
        out.append(title[:i] + "厂" + title[i + 1:])
    return out


def stats(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    return f"p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms  (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    benchslot.setup(INI, quiet=True)
    docs = index(args.datasets)
    log(f"{len(docs)} datasets in core ckan_test{SLOT}")
    app = benchslot.make_app(INI)
    client = app.test_client()
    url = "/api/3/action/lyg_opendata_search_suggest"
    queries = typed_queries(docs, args.requests)
    for q in queries[:20]:  # warm-up
        client.get(url, query_string={"q": q})
    times, empty = [], []
    for q in queries:
        t0 = time.perf_counter()
        resp = client.get(url, query_string={"q": q, "limit": 8})
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, (q, resp.status_code)
        if not resp.json["result"]["suggestions"]:
            empty.append(q)
    log(f"suggestions (API, full stack): {stats(times)}; {len(empty)} queries without a suggestion"
        f" (e.g. {empty[:8]})")

    from ckanext.lyg_opendata import search
    wrong = misspelt(docs, args.requests // 2)
    times, found = [], 0
    with app.test_request_context():
        for q in wrong[:10]:
            search.did_you_mean(q)
        for q in wrong:
            t0 = time.perf_counter()
            found += search.did_you_mean(q) is not None
            times.append((time.perf_counter() - t0) * 1000)
    log(f"did you mean (helper):         {stats(times)}; {found}/{len(wrong)} with a suggestion")


if __name__ == "__main__":
    main()
