"""Loading tabular files into the DataStore and scanning them for personal data
(docs/data.md; issue 14's figures).

    .venv/bin/python bench/data_load.py [--rows 100000] [--cols 20] [--queries 200]

On the bench's own test slot (``LYG_BENCH_SLOT``, benchslot.py), for one generated CSV of
``--rows`` × ``--cols`` (UTF-8, then GB18030):

- xloader alone: ``ckanext.xloader.loader.load_csv`` (encoding detection, re-encoding to
  UTF-8, COPY) + record count, i.e. what xloader's job does after its download, until the
  rows are available; then its column indexes;
- ours on top: the data dictionary from the 数据项 (types by ALTER, labels) and the
  personal-data scans of the DataStore table and of the file;
- ``datastore_search`` p50/p95 over ``--queries`` calls (filters, q, sort, offset) through
  the action layer (the guard's chained auth included; the bench's dataset is a draft, so as
  the site user);
- the scan's time per MB;
- the detector's precision and recall on a generated corpus (valid and invalid 身份证号,
  mobile numbers, bank cards, e-mails; ordinary numeric columns such as 泊位数 or amounts).

The HTTP download of the file by xloader's job is not in the timings (it is the same for
both), nor the job queue's latency.
"""
from __future__ import annotations

import argparse
import csv
import logging
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchslot  # noqa: E402

COLS = ["name", "address", "spaces", "fee", "amount", "rate", "code", "district", "opened",
        "phone_office", "lng", "lat", "count_a", "count_b", "remark", "grade", "category",
        "owner", "capacity", "updated"]


def make_rows(n: int, cols: int, seed: int = 14):
    rng = random.Random(seed)
    districts = ["海州区", "连云区", "赣榆区", "东海县", "灌云县", "灌南县"]
    gen = {
        "name": lambda i: f"停车场{i}号",
        "address": lambda i: f"连云港市{rng.choice(districts)}海连中路{rng.randint(1, 999)}号",
        "spaces": lambda i: rng.randint(20, 1500),
        "fee": lambda i: f"首小时{rng.randint(2, 6)}元",
        "amount": lambda i: round(rng.uniform(100, 99999), 2),
        "rate": lambda i: round(rng.random(), 4),
        "code": lambda i: f"P{i:08d}",
        "district": lambda i: rng.choice(districts),
        "opened": lambda i: f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "phone_office": lambda i: f"0518-{rng.randint(80000000, 89999999)}",
        "lng": lambda i: round(119.1 + rng.random() * 0.4, 6),
        "lat": lambda i: round(34.5 + rng.random() * 0.3, 6),
        "count_a": lambda i: rng.randint(0, 100000),
        "count_b": lambda i: rng.randint(0, 10 ** 9),
        "remark": lambda i: rng.choice(["", "夜间免费", "新能源车优惠", "限高2.2米"]),
        "grade": lambda i: rng.choice(["一类", "二类", "三类"]),
        "category": lambda i: rng.choice(["公共", "专用", "道路"]),
        "owner": lambda i: f"连云港市{rng.choice(districts)}城管局",
        "capacity": lambda i: rng.randint(1, 50),
        "updated": lambda i: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
    }
    header = COLS[:cols]
    return header, ([gen[c](i) for c in header] for i in range(n))


def write_csv(path: str, header, rows, encoding: str) -> int:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return os.path.getsize(path)


# --- detector corpus ----------------------------------------------------------------------

def corpus(n: int = 5000, seed: int = 26):
    from stdnum import luhn
    from stdnum.cn import ric
    rng = random.Random(seed)

    def ric_valid():
        body = (rng.choice(["320706", "320703", "110105", "440305", "510107", "320102"])
                + f"{rng.randint(1940, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                + f"{rng.randint(0, 999):03d}")
        return body + ric.calc_check_digit(body + "0")

    def card_valid():
        body = rng.choice(["622202", "621700", "622848", "436742", "524094"]) + \
            "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([9, 12])))
        return body + luhn.calc_check_digit(body)

    def phone_valid():
        return f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"

    def email_valid():
        return f"{rng.choice(['zhang', 'li', 'wang'])}{rng.randint(1, 9999)}@{rng.choice(['qq.com', '163.com', 'lyg.gov.cn'])}"

    positives = {"ric": [ric_valid() for _ in range(n)], "bank_card": [card_valid() for _ in range(n)],
                 "mobile": [phone_valid() for _ in range(n)], "email": [email_valid() for _ in range(n)]}
    # ordinary numeric columns: counts, amounts, 8–12 digit serials, coordinates, dates
    ordinary = {
        "泊位数": [str(rng.randint(10, 2000)) for _ in range(n)],
        "金额": [f"{rng.uniform(0, 10 ** 7):.2f}" for _ in range(n)],
        "流水号": [str(rng.randint(10 ** 9, 10 ** 12)) for _ in range(n)],
        "订单号": [str(rng.randint(10 ** 15, 10 ** 19)) for _ in range(n)],
        "坐标": [f"{119 + rng.random():.6f}" for _ in range(n)],
        "日期": [f"2026{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" for _ in range(n)],
        "座机": [f"0518{rng.randint(10 ** 7, 10 ** 8 - 1)}" for _ in range(n)],
        "人口": [str(rng.randint(10 ** 5, 10 ** 7)) for _ in range(n)],
    }
    # invalid lookalikes: IDs and cards with a wrong check digit
    invalid = {
        "ric": [v[:-1] + ("0" if v[-1] != "0" else "1") for v in positives["ric"]],
        "bank_card": [v[:-1] + str((int(v[-1]) + 1) % 10) for v in positives["bank_card"]],
    }
    return positives, ordinary, invalid


def detector_figures(n: int) -> dict:
    from ckanext.lyg_opendata.data import detect
    positives, ordinary, invalid = corpus(n)
    out = {}
    for kind, values in positives.items():
        hits = sum(1 for v in values if kind in detect.matches(v))
        out[f"recall {kind}"] = hits / len(values)
    for kind, values in invalid.items():
        wrong = sum(1 for v in values if kind in detect.matches(v))
        out[f"invalid {kind} flagged"] = wrong / len(values)
    value_fp = col_fp = 0
    total = 0
    for name, values in ordinary.items():
        total += len(values)
        value_fp += sum(1 for v in values if set(detect.matches(v)) & set(detect.PERSONAL))
        found = [f for f in detect.scan_rows([name], ([v] for v in values)) if f.personal]
        col_fp += bool(found)
    out["false positives, values of ordinary numeric columns"] = value_fp / total
    out["false positives, ordinary numeric columns flagged"] = f"{col_fp}/{len(ordinary)}"
    tp = sum(sum(1 for v in vs if k in detect.matches(v)) for k, vs in positives.items())
    out["precision (values)"] = tp / (tp + value_fp) if tp + value_fp else 1.0
    return out


# --- the load ------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--corpus", type=int, default=5000)
    args = ap.parse_args()
    ini = benchslot.ini_path("data")
    benchslot.log(f"slot {benchslot.SLOT}: setting up")
    benchslot.setup(ini, quiet=True)
    # the slot's own DataStore database (scripts/services.sh datastore makes it)
    slot = "" if benchslot.SLOT == "1" else benchslot.SLOT
    pg_port = os.environ.get("LYG_PG_PORT", "54329")
    benchslot.run("scripts/services.sh", "datastore", env={"LYG_TEST_SLOT": slot}, quiet=True)
    os.environ["CKAN_DATASTORE_WRITE_URL"] = \
        f"postgresql://ckan:ckan@127.0.0.1:{pg_port}/datastore_test{slot}"
    os.environ["CKAN_DATASTORE_READ_URL"] = \
        f"postgresql://ckan_datastore_ro:ckan_datastore_ro@127.0.0.1:{pg_port}/datastore_test{slot}"
    app = benchslot.make_app(ini)
    logging.getLogger().setLevel(logging.WARNING)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app

    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.xloader import loader
    from ckanext.lyg_opendata.data import detect, dictionary, scan

    log = logging.getLogger("bench")
    results = []
    with flask_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ctx = lambda: {"user": site, "ignore_auth": True}  # noqa: E731
        if not model.Group.get("bench-org"):
            tk.get_action("organization_create")(ctx(), {"name": "bench-org", "title": "基准"})
        items = [{"name_zh": "停车场名称", "code": "name", "type": "string", "sensitive": "no"},
                 {"name_zh": "泊位数", "code": "spaces", "type": "integer", "sensitive": "no"},
                 {"name_zh": "金额", "code": "amount", "type": "decimal", "sensitive": "no"}]
        for encoding in ("utf-8", "gb18030"):
            name = f"bench-load-{encoding}-{int(time.time())}"
            pkg = tk.get_action("package_create")(ctx(), {
                "name": name, "title": "基准数据", "owner_org": "bench-org", "license_id": "cc-by",
                "notes": "基准", "open_type": "unconditional", "update_frequency": "monthly",
                "data_items": items})
            res = tk.get_action("resource_create")(ctx(), {
                "package_id": pkg["id"], "name": "表", "format": "CSV",
                "url": "http://bench.invalid/t.csv", "desensitized": True})
            header, rows = make_rows(args.rows, args.cols)
            with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
                path = tmp.name
            size = write_csv(path, header, rows, encoding)
            mb = size / 1024 / 1024
            t0 = time.perf_counter()
            fields = loader.load_csv(path, resource_id=res["id"], mimetype="CSV", logger=log)
            loader.calculate_record_count(resource_id=res["id"], logger=log)
            t_available = time.perf_counter() - t0
            loader.create_column_indexes(fields=fields, resource_id=res["id"], logger=log)
            t_xloader = time.perf_counter() - t0
            # xloader leaves a connection in a transaction (its job's process ends there);
            # collected here so that the dictionary's ALTER TABLE gets the table's lock
            import gc
            gc.collect()
            t1 = time.perf_counter()
            dictionary.apply(res["id"])
            t_dict = time.perf_counter() - t1
            resobj = model.Resource.get(res["id"])
            t2 = time.perf_counter()
            found_ds, nrows, _ = scan._scan_datastore(resobj)
            t_scan_ds = time.perf_counter() - t2
            t3 = time.perf_counter()
            h, it = detect.read_table(path, "CSV")
            found_file = detect.TableScan(h).feed_all(it).findings()
            t_scan_file = time.perf_counter() - t3
            os.unlink(path)
            benchslot.log(f"{encoding}: {size / 1024 / 1024:.1f} MB, rows available after "
                          f"{t_available:.1f}s (+indexes {t_xloader - t_available:.1f}s), "
                          f"dictionary {t_dict:.1f}s, scan table {t_scan_ds:.1f}s, "
                          f"scan file {t_scan_file:.1f}s")
            # datastore_search through the action layer (the draft dataset: as the site user)
            rng = random.Random(1)
            kinds = {
                "page": lambda: {"limit": 100, "offset": rng.randint(0, max(args.rows - 100, 0))},
                "filter": lambda: {"filters": {"district": "海州区"}, "limit": 50},
                "q latin/number": lambda: {"q": f"P{rng.randint(1, args.rows):08d}"},
                "q 中文 (substring)": lambda: {"q": rng.choice(["停车场", "海州区", "夜间免费", "城管局"])},
                "sort": lambda: {"sort": "spaces desc", "limit": 20},
                "filter int": lambda: {"filters": {"spaces": rng.randint(20, 1500)}, "limit": 20},
            }
            times: dict[str, list[float]] = {k: [] for k in kinds}
            for i in range(args.queries):
                kind = list(kinds)[i % len(kinds)]
                q = kinds[kind]()
                t = time.perf_counter()
                tk.get_action("datastore_search")({"user": site}, dict(q, resource_id=res["id"]))
                times[kind].append(time.perf_counter() - t)
            every = sorted(x for v in times.values() for x in v)
            p95 = every[int(0.95 * (len(every) - 1))]
            per_kind = {k: (statistics.median(v), sorted(v)[int(0.95 * (len(v) - 1))])
                        for k, v in times.items() if v}
            ours = t_available + t_dict + t_scan_ds
            results.append((encoding, nrows, mb, t_available, t_xloader, t_dict, t_scan_ds,
                            t_scan_file, ours, statistics.median(every), p95, per_kind,
                            [f.as_dict()["column"] + ":" + f.kind for f in found_ds + found_file]))
    print()
    print(f"{args.rows} rows × {args.cols} columns, {args.queries} datastore_search calls per table")
    print("| encoding | MB | xloader alone: rows available (s) | + its column indexes (s) | "
          "dictionary (s) | scan of the table (s) | scan of the file (s) | ours: rows available, "
          "typed and scanned (s) | ours / xloader | table scan / load | file scan / load | "
          "scan s/MB | datastore_search p50 / p95 (ms) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (enc, n, mb, avail, xl, dct, sds, sf, ours, p50, p95, per_kind, found) in results:
        print(f"| {enc} | {mb:.1f} | {avail:.1f} | {xl:.1f} | {dct:.1f} | {sds:.2f} | {sf:.2f} | "
              f"{ours:.1f} | {ours / avail:.2f} | {sds / avail:.0%} | {sf / avail:.0%} | "
              f"{max(sds, sf) / mb:.3f} | {p50 * 1000:.0f} / {p95 * 1000:.0f} |")
        for k, (m, p) in per_kind.items():
            print(f"    datastore_search {k}: p50 {m * 1000:.0f} ms, p95 {p * 1000:.0f} ms")
        if found:
            print(f"  (findings: {found})")
    print()
    print("Detector on a generated corpus:")
    for k, v in detector_figures(args.corpus).items():
        print(f"  {k}: {v if isinstance(v, str) else f'{v:.4f}'}")


if __name__ == "__main__":
    main()
