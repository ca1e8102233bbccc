"""Lists at scale (issue 19 goal 3), database side: a loader that fills the bench slot's
database with applications, objections and access-log records through COPY (not the action
path), then the p95 of every list action and list page over those tables at the first,
middle and last page, ``EXPLAIN (ANALYZE)`` of their queries, ``audit verify`` over the
whole log, ``audit seal`` of a full day, and memory against the page number.

    .venv/bin/python bench/lists_scale.py load [--applications 100000] [--objections 20000]
                                               [--records 1000000] [--day-records 100000]
    .venv/bin/python bench/lists_scale.py measure [--rounds 20] [--explain]
    .venv/bin/python bench/lists_scale.py audit        (verify, then seal the full day)

On the bench's own slot (``LYG_BENCH_SLOT``, benchslot.py; never a test slot). ``load``:

1. through the action API, a small world: a sysadmin, ``--agencies`` organizations with an
   editor each, ``--citizens`` citizens, ``--datasets`` conditional datasets (one resource
   each) spread over the agencies;
2. with COPY: the applications (statuses: 3 % submitted, 1 % info_requested, the rest
   decided — 60 % approved, 20 % refused, 16 % withdrawn; received over the last two
   years; the stored ``due_on`` computed by the workflow's own clock), the objections (a
   quarter open) and the access log: ``--records`` minus ``--day-records`` records over the
   60 Beijing days before yesterday, sealed by ``audit seal`` as of the end of the day before
   yesterday, then ``--day-records`` records on yesterday, left for the ``audit`` step to
   seal. Each record's hash is the log's own (``audit.log.record_hash``).

Not a test: figures depend on the machine (see docs/performance.md, "Lists at scale").
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchslot  # noqa: E402
from benchslot import SLOT, ini_path, log  # noqa: E402

INI = ini_path("lists")
STATE = benchslot.ROOT / f".local/bench-lists-slot{SLOT}.json"
PASSWORD = "Bench-lists-2026!"


def _copy(conn, table: str, columns: list[str], rows, every: int = 50000, label: str = "") -> int:
    """COPY rows (tuples, None = NULL) into table in chunks; progress on stdout."""
    n = 0
    cur = conn.cursor()

    def flush(buf: io.StringIO):
        buf.seek(0)
        cur.copy_expert(f'COPY {table} ({", ".join(columns)}) FROM STDIN', buf)

    buf = io.StringIO()
    started = time.time()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\")
                            .replace("\t", " ").replace("\n", " ") for v in row))
        buf.write("\n")
        n += 1
        if n % every == 0:
            flush(buf)
            buf = io.StringIO()
            log(f"  {label or table}: {n} rows ({time.time() - started:.0f} s)")
    flush(buf)
    conn.commit()
    log(f"  {label or table}: {n} rows in {time.time() - started:.0f} s")
    return n


# --- the small world ---------------------------------------------------------------------

def world(agencies: int, citizens: int, datasets: int) -> dict:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    if STATE.exists():
        return json.loads(STATE.read_text())
    tag = uuid.uuid4().hex[:6]
    site = {"ignore_auth": True,
            "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}

    def user(name):
        return tk.get_action("user_create")(dict(site), {
            "name": f"{name}-{tag}", "email": f"{name}-{tag}@example.invalid",
            "password": PASSWORD, "fullname": f"测试{name}"})
    admin = user("admin")
    model.User.get(admin["id"]).sysadmin = True
    model.Session.commit()
    editors, orgs, pkgs = [], [], []
    for i in range(agencies):
        ed = user(f"editor{i}")
        editors.append(ed)
        orgs.append(tk.get_action("organization_create")(dict(site), {
            "name": f"bench-agency{i}-{tag}", "title": f"测试机构{i}",
            "users": [{"name": ed["name"], "capacity": "editor"}]}))
    people = [user(f"citizen{i}") for i in range(citizens)]
    for i in range(datasets):
        org = orgs[i % agencies]
        pkgs.append(tk.get_action("package_create")({"user": admin["name"]}, {
            "name": f"bench-cond{i}-{tag}", "title": f"停车场收费明细{i}（测试）",
            "owner_org": org["id"], "license_id": "cc-by", "notes": "测试数据集",
            "open_type": "conditional", "open_conditions": "仅向科研机构开放",
            "update_frequency": "monthly",
            "data_items": [{"name_zh": "名称", "code": "name", "type": "string",
                            "description": "", "sensitive": "no"}],
            "resources": [{"url": "http://data.example.invalid/b.csv", "format": "CSV",
                           "name": "明细"}]}))
        log(f"  dataset {i + 1}/{datasets}")
    state = {"admin": admin["name"], "admin_id": admin["id"],
             "editors": [e["name"] for e in editors],
             "orgs": [o["id"] for o in orgs],
             "citizens": [p["name"] for p in people], "citizen_ids": [p["id"] for p in people],
             "packages": [[p["id"], p["owner_org"], p["resources"][0]["id"], p["name"]]
                          for p in pkgs],
             "loaded": {}}
    STATE.write_text(json.dumps(state))
    return state


def save(state: dict) -> None:
    STATE.write_text(json.dumps(state))


# --- applications -------------------------------------------------------------------------

APP_COLUMNS = ["id", "package_id", "org_id", "user_id", "status", "applicant_type",
               "applicant_name", "contact_name", "contact_phone", "contact_email", "purpose",
               "scenario", "security_measures", "resource_ids", "term_start", "term_end",
               "conditions_accepted", "privacy_notice_version", "consent_at", "received_on",
               "due_on", "due_provisional", "pause_left", "info_requested_on", "info_supplied_on",
               "info_request", "decided_at", "decided_by", "refusal_reason", "refusal_basis",
               "conditions_of_use", "deadline_workdays", "created", "modified"]


def applications(state: dict, n: int, seed: int = 19):
    from types import SimpleNamespace
    from ckanext.lyg_opendata.access.applications.workflow import stored_due
    from ckanext.lyg_opendata.workdays import Calendar, today_beijing
    rng = random.Random(seed)
    cal, today = Calendar(), today_beijing()
    pkgs, users = state["packages"], state["citizen_ids"]
    opened = 0
    for i in range(n):
        pkg = pkgs[rng.randrange(len(pkgs))]
        r = rng.random()
        status = ("submitted" if r < 0.03 else "info_requested" if r < 0.04 else
                  "approved" if r < 0.64 else "refused" if r < 0.84 else "withdrawn")
        # open ones are recent (within ~30 days), decided ones within two years
        age = rng.randint(0, 30) if status in ("submitted", "info_requested") else rng.randint(20, 730)
        received = today - dt.timedelta(days=age)
        created = dt.datetime.combine(received, dt.time(1, 0)) + dt.timedelta(
            seconds=rng.randint(0, 30000), microseconds=i % 1000000)
        info_req = info_sup = None
        if status == "info_requested":
            info_req = received + dt.timedelta(days=min(age, 3))
        decided_at = None
        if status in ("approved", "refused", "withdrawn"):
            decided_at = created + dt.timedelta(days=rng.randint(1, 18))
        app = SimpleNamespace(status=status, received_on=received, deadline_workdays=10,
                              info_requested_on=info_req, info_supplied_on=info_sup,
                              decided_at=decided_at)
        clock = stored_due(app, cal, today)
        user = users[rng.randrange(len(users))]
        if status in ("submitted", "info_requested"):
            # one open application per applicant and dataset (a unique index)
            pkg = pkgs[(opened // len(users)) % len(pkgs)]
            user = users[opened % len(users)]
            opened += 1
        yield (str(uuid.uuid4()), pkg[0], pkg[1], user, status,
               "individual", "测试个人", "张三", "13800000000", "a@example.invalid",
               "城市停车诱导研究，分析停车场使用规律", "停车诱导应用的算法训练和效果评估",
               "专用服务器，访问控制，日志审计，定期删除", "[]", received,
               received + dt.timedelta(days=180), "t", "1", created, received,
               clock["due_on"], "t" if clock["due_provisional"] else "f", clock["pause_left"],
               info_req, info_sup,
               "请补充用途说明" if info_req else None, decided_at,
               state["admin_id"] if decided_at else None,
               "不符合开放条件" if status == "refused" else None,
               "《条例》第十九条" if status == "refused" else None,
               "不得向第三方提供" if status == "approved" else None, 10, created,
               decided_at or created)


# --- objections ---------------------------------------------------------------------------

OBJ_COLUMNS = ["id", "package_id", "organization_id", "type", "description", "raised_by",
               "raised_ip", "status", "created", "clock_start", "deadline_days", "due_on",
               "accepted_at",
               "answer_outcome", "answer_text", "answered_at", "answer_public"]
OBJ_TYPES = ["error", "omission", "outdated", "privacy", "broken_link", "other"]


def objections(state: dict, n: int, seed: int = 20):
    from ckanext.lyg_opendata.workdays import Calendar, today_beijing
    rng = random.Random(seed)
    cal, today = Calendar(), today_beijing()
    pkgs, users = state["packages"], state["citizen_ids"]
    for i in range(n):
        pkg = pkgs[rng.randrange(len(pkgs))]
        r = rng.random()
        status = ("submitted" if r < 0.1 else "accepted" if r < 0.2 else "escalated" if r < 0.25
                  else "answered" if r < 0.75 else "rejected" if r < 0.9 else "closed")
        age = rng.randint(0, 40) if r < 0.25 else rng.randint(20, 730)
        start = today - dt.timedelta(days=age)
        created = dt.datetime.combine(start, dt.time(2, 0)) + dt.timedelta(
            seconds=rng.randint(0, 30000), microseconds=i)
        accepted = created + dt.timedelta(days=1) if status not in ("submitted", "rejected") else None
        answered = created + dt.timedelta(days=5) if status in ("answered", "closed") else None
        yield (str(uuid.uuid4()), pkg[0], pkg[1], OBJ_TYPES[i % len(OBJ_TYPES)],
               "数据中的收费标准与现场公示不一致，请核实。", users[rng.randrange(len(users))],
               "10.0.0.1", status, created, start, 15, cal.add_workdays(start, 15)[0], accepted,
               "corrected" if answered else None, "已核实更正" if answered else None,
               answered, "t")


# --- access log ---------------------------------------------------------------------------

LOG_COLUMNS = ["created", "day", "user_id", "user_name", "user_fullname", "package_id",
               "resource_id", "org_id", "channel", "ip", "user_agent", "grant_id",
               "record_hash"]


def log_records(state: dict, days: list[dt.date], per_day: int, seed: int):
    from ckanext.lyg_opendata.audit.log import record_hash
    from ckanext.lyg_opendata.workdays.calendar import day_end_utc
    rng = random.Random(seed)
    pkgs = state["packages"]
    users = list(zip(state["citizen_ids"], state["citizens"]))
    channels = ["ui", "api", "datastore", "preview"]
    for day in days:
        start = day_end_utc(day) - dt.timedelta(days=1)
        step = 86_000_000_000 // per_day  # microseconds, in order within the day
        for k in range(per_day):
            pkg = pkgs[rng.randrange(len(pkgs))]
            uid, uname = users[rng.randrange(len(users))]
            rec = {"created": start + dt.timedelta(microseconds=k * step + 1000),
                   "day": day, "user_id": uid, "user_name": uname, "user_fullname": "测试公民",
                   "package_id": pkg[0], "resource_id": pkg[2], "org_id": pkg[1],
                   "channel": channels[k % 4], "ip": f"10.1.{k % 250}.{rng.randint(1, 250)}",
                   "user_agent": "Mozilla/5.0 (bench)", "grant_id": None}
            rec["record_hash"] = record_hash(rec)
            yield tuple(rec[c].strftime("%Y-%m-%d %H:%M:%S.%f") if c == "created" else rec[c]
                        for c in LOG_COLUMNS)


def load(args) -> None:
    import ckan.model as model
    from ckanext.lyg_opendata.audit import seals
    from ckanext.lyg_opendata.workdays import today_beijing
    from ckanext.lyg_opendata.workdays.calendar import day_end_utc
    log("world (actions)")
    state = world(args.agencies, args.citizens, args.datasets)
    loaded = state["loaded"]
    raw = model.meta.engine.raw_connection()
    try:
        if not loaded.get("applications"):
            log(f"applications: {args.applications}")
            loaded["applications"] = _copy(raw, "lyg_opendata_application", APP_COLUMNS,
                                           applications(state, args.applications))
            save(state)
        if not loaded.get("objections"):
            log(f"objections: {args.objections}")
            loaded["objections"] = _copy(raw, "lyg_opendata_objection", OBJ_COLUMNS,
                                         objections(state, args.objections))
            save(state)
        yesterday = today_beijing() - dt.timedelta(days=1)
        if not loaded.get("records"):
            rest = args.records - args.day_records
            days = [yesterday - dt.timedelta(days=d) for d in range(61, 1, -1)]
            log(f"access log: {rest} records over {len(days)} days, then {args.day_records} "
                f"on {yesterday}")
            n = _copy(raw, "lyg_opendata_access_log", LOG_COLUMNS,
                      log_records(state, days, rest // len(days), 21), every=100000,
                      label="access log (60 days)")
            log("  sealing the 60 days")
            t = time.time()
            sealed = seals.seal(now=day_end_utc(days[-1]) + dt.timedelta(hours=1),
                                grace_minutes=10)
            log(f"  {len(sealed)} days sealed in {time.time() - t:.1f} s")
            n += _copy(raw, "lyg_opendata_access_log", LOG_COLUMNS,
                       log_records(state, [yesterday], args.day_records, 22), every=100000,
                       label=f"access log ({yesterday})")
            loaded["records"] = n
            loaded["full_day"] = yesterday.isoformat()
            save(state)
        cur = raw.cursor()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    log(f"loaded: {loaded}")


# --- measuring ----------------------------------------------------------------------------

def _pct(times: list[float], q: float) -> float:
    ms = sorted(t * 1000 for t in times)
    return ms[min(len(ms) - 1, int(round(q * (len(ms) - 1))))]


def _fmt(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} / {_pct(times, 0.95):.0f}"


def cases(state: dict) -> list[tuple[str, str, str, dict, int]]:
    """(label, user, action, data, page size)."""
    editor, admin, citizen = state["editors"][0], state["admin"], state["citizens"][0]
    pkg = state["packages"][0][3]
    return [
        ("application_list mine (citizen)", citizen, "lyg_opendata_application_list",
         {"scope": "mine"}, 50),
        ("application_list agency (editor)", editor, "lyg_opendata_application_list",
         {"scope": "agency"}, 50),
        ("application_list all (supervisor)", admin, "lyg_opendata_application_list",
         {"scope": "all"}, 50),
        ("application_list all, status=approved", admin, "lyg_opendata_application_list",
         {"scope": "all", "status": "approved"}, 50),
        ("application_list all, overdue", admin, "lyg_opendata_application_list",
         {"scope": "all", "overdue": True}, 50),
        ("objection_queue open (editor)", editor, "lyg_opendata_objection_queue", {}, 50),
        ("objection_queue all (supervisor)", admin, "lyg_opendata_objection_queue",
         {"status": "all"}, 50),
        ("objection_my_list (citizen)", citizen, "lyg_opendata_objection_my_list", {}, 50),
        ("objection_list of a dataset", admin, "lyg_opendata_objection_list",
         {"package_id": pkg}, 50),
        ("access_log_list (supervisor)", admin, "lyg_opendata_access_log_list", {}, 50),
        ("access_log_list (editor)", editor, "lyg_opendata_access_log_list", {}, 50),
        ("access_log_list of a dataset", admin, "lyg_opendata_access_log_list",
         {"package": pkg}, 50),
    ]


def measure(args) -> None:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    state = json.loads(STATE.read_text())
    rows = []
    for label, user, action, data, size in cases(state):
        if args.only and args.only not in label:
            continue
        fn = tk.get_action(action)
        try:
            first = fn({"user": user}, {**data, "limit": size})
        except Exception as e:  # noqa: BLE001 (a bench: report and go on)
            log(f"{label}: {type(e).__name__}: {e}")
            continue
        count = first.get("count", len(first.get("results", [])))
        pages = max(1, -(-count // size))
        line = [label, count]
        mem = []
        for page in (0, pages // 2, pages - 1):
            times = []
            peak = 0
            for r in range(args.rounds):
                model.Session.remove()
                if r == 0:
                    tracemalloc.start()
                t = time.perf_counter()
                fn({"user": user}, {**data, "limit": size, "offset": page * size})
                times.append(time.perf_counter() - t)
                if r == 0:
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
            line.append(_fmt(times))
            mem.append(peak // 1024)
        line.append(" / ".join(str(m) for m in mem))
        rows.append(line)
        log(f"{label}: {count} rows, {pages} pages; median / p95 ms first, middle, last: "
            f"{line[2]}, {line[3]}, {line[4]}; peak KiB {line[5]}")
    log("\n| list | rows | first page | middle page | last page | peak KiB (first/middle/last) |")
    log("|---|---|---|---|---|---|")
    for line in rows:
        log("| " + " | ".join(str(x) for x in line) + " |")


def pages(args) -> None:
    """The list pages over HTTP-less requests (Flask test client), signed in."""
    state = json.loads(STATE.read_text())
    app = benchslot.make_app(INI)
    client = app.test_client()
    editor, admin, citizen = state["editors"][0], state["admin"], state["citizens"][0]
    pkg = state["packages"][0][3]
    urls = [
        (citizen, "/opendata/my-applications"),
        (editor, "/opendata/applications"),
        (admin, "/opendata/applications/all"),
        (editor, "/opendata/objections"),
        (admin, "/opendata/objections/moderation"),
        (citizen, "/opendata/my-objections"),
        (admin, f"/dataset/{pkg}/objections"),
        (admin, "/opendata/access-log"),
        (editor, "/opendata/access-log"),
    ]
    import ckan.plugins.toolkit as tk
    tokens = {}
    with app.test_request_context():
        for u in {citizen, editor, admin}:
            tokens[u] = tk.get_action("api_token_create")(
                {"user": u, "ignore_auth": True}, {"user": u, "name": "bench"})["token"]
    for user, url in urls:
        if args.only and args.only not in url:
            continue
        out = []
        for page in args.page_numbers.split(","):
            times = []
            status = None
            for _r in range(args.rounds):
                t = time.perf_counter()
                resp = client.get(f"{url}?page={page}", headers={"Authorization": tokens[user]})
                times.append(time.perf_counter() - t)
                status = resp.status_code
            out.append(f"page {page}: {_fmt(times)} ({status}, {len(resp.data) // 1024} KiB)")
        log(f"{url} as {user.split('-')[0]}: " + "; ".join(out))


def audit(args) -> None:
    from ckanext.lyg_opendata.audit import seals
    state = json.loads(STATE.read_text())
    t, cpu = time.time(), time.process_time()
    result = seals.verify()
    log(f"audit verify: {result.records} records, {result.days_sealed} sealed days, "
        f"{len(result.problems)} problems, {time.time() - t:.1f} s "
        f"(this process's CPU: {time.process_time() - cpu:.1f} s)")
    if args.only == "verify":
        return
    # measured again: the bench's own database forgets the seals from the full day on (as
    # the tests empty the log: by the tables' owner, triggers off for the moment)
    import sqlalchemy as sa
    from ckanext.lyg_opendata.audit.log import engine
    with engine().begin() as conn:
        conn.execute(sa.text("ALTER TABLE lyg_opendata_access_log_seal DISABLE TRIGGER USER"))
        conn.execute(sa.text("DELETE FROM lyg_opendata_access_log_seal WHERE day >= :d"),
                     {"d": state["loaded"]["full_day"]})
        conn.execute(sa.text("ALTER TABLE lyg_opendata_access_log_seal ENABLE TRIGGER USER"))
    t, cpu = time.time(), time.process_time()
    sealed = seals.seal(grace_minutes=0)
    log(f"audit seal: {[(s['day'].isoformat(), s['record_count']) for s in sealed]} in "
        f"{time.time() - t:.2f} s (CPU {time.process_time() - cpu:.2f} s; full day "
        f"{state['loaded'].get('full_day')})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("load", "measure", "pages", "audit"))
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--objections", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--day-records", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--datasets", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", default="")
    parser.add_argument("--page-numbers", default="1")
    args = parser.parse_args()
    if args.step == "load":
        log(f"setting up slot {SLOT} ({INI.relative_to(benchslot.ROOT)})")
        benchslot.setup(INI, quiet=True)
    app = benchslot.make_app(INI)
    with app.test_request_context():
        {"load": load, "measure": measure, "pages": pages, "audit": audit}[args.step](args)


if __name__ == "__main__":
    main()
