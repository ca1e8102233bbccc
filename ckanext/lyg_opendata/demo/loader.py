"""Load the development portal's demo content through CKAN's action API.

Idempotent: what exists already (by name) is left as it is, so a second run only
adds what is missing and loses nothing.
"""
from __future__ import annotations

import io
import itertools
import random
import time
from importlib import resources
from typing import Any, Callable, Iterator

import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

Progress = Callable[[str], None]


def load_demo_data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("demo.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _context(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": True}


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)({"ignore_auth": True}, {"id": name})
        return True
    except tk.ObjectNotFound:
        return False


def ensure_sysadmin(name: str, email: str, password: str) -> bool:
    """Create the user ``name`` if missing and make it a sysadmin. True if created."""
    created = False
    if not _exists("user_show", name):
        tk.get_action("user_create")(
            _context(_site_user()),
            {"name": name, "email": email, "password": password,
             "fullname": "平台管理员"},
        )
        created = True
    user = model.User.get(name)
    if not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()
    return created


def ensure_organizations(orgs: list[dict[str, Any]], progress: Progress) -> int:
    user = _site_user()
    created = 0
    for org in orgs:
        if _exists("organization_show", org["name"]):
            continue
        tk.get_action("organization_create")(_context(user), dict(org))
        created += 1
        progress(f"  organization {org['name']} ({org['title']})")
    return created


CATALOG_FIELDS = ("open_type", "open_conditions", "non_open_basis", "non_open_reason",
                  "update_frequency", "subject_areas", "data_grade", "data_items", "data_updated",
                  "spatial_coverage")


def _dataset_dict(ds: dict[str, Any]) -> dict[str, Any]:
    data = {
        "name": ds["name"],
        "title": ds["title"],
        "notes": ds.get("notes", "").strip(),
        "owner_org": ds["org"],
        "license_id": ds.get("license_id", "cc-by"),
        "maintainer": ds.get("maintainer", ""),
        "spatial_coverage": "连云港市",
        "tags": [{"name": t} for t in ds.get("tags", [])],
    }
    data.update({k: ds[k] for k in CATALOG_FIELDS if k in ds})
    return data


def ensure_users(users: list[dict[str, Any]], password: str | None, progress: Progress) -> int:
    """Demo agency clerks and the supervisor's reviewer, with their organization roles."""
    site = _site_user()
    created = 0
    for u in users:
        if not _exists("user_show", u["name"]):
            if not password:
                continue
            tk.get_action("user_create")(_context(site), {
                "name": u["name"], "fullname": u["fullname"], "password": password,
                "email": f"{u['name']}@example.invalid"})
            created += 1
            progress(f"  user {u['name']} ({u['fullname']})")
        tk.get_action("organization_member_create")(_context(site), {
            "id": u["org"], "username": u["name"], "role": u["capacity"]})
    return created


def _reviewer() -> str:
    """Who approves the demo entries: the supervisor's demo reviewer, else a sysadmin."""
    if _exists("user_show", "dsjj-reviewer"):
        return "dsjj-reviewer"
    admin = model.Session.query(model.User).filter(
        model.User.sysadmin.is_(True), model.User.state == "active",
        model.User.name != _site_user()).first()
    return admin.name if admin else _site_user()


def ensure_datasets(datasets: list[dict[str, Any]], progress: Progress) -> int:
    """Create the entries as the site user (they start pending review, like an import) and
    take them to the review state the demo names (published unless it says otherwise)."""
    user = _site_user()
    created = 0
    for ds in datasets:
        if _exists("package_show", ds["name"]):
            continue
        pkg = tk.get_action("package_create")(_context(user), _dataset_dict(ds))
        for i, res in enumerate(ds.get("resources", [])):
            tk.get_action("resource_create")(_context(user), _resource_dict(ds, res, i, pkg["id"]))
        _review(pkg["id"], ds.get("review", "published"))
        created += 1
        progress(f"  dataset {ds['name']} ({ds['title']})")
    return created


def _upload(name: str, content: bytes):
    from werkzeug.datastructures import FileStorage
    from ckanext.lyg_opendata.demo.files import MIMETYPES
    fmt = name.rsplit(".", 1)[-1].upper()
    return FileStorage(io.BytesIO(content), filename=name,
                       content_type=MIMETYPES.get(fmt, "application/octet-stream"))


def _resource_dict(ds: dict[str, Any], res: dict[str, Any], index: int,
                   package_id: str) -> dict[str, Any]:
    """A demo resource: a generated file uploaded to the portal's file store, or a link
    when the resource is a real external service (an API)."""
    from ckanext.lyg_opendata.demo.files import file_for
    data = dict(res, package_id=package_id, desensitized=True)
    made = file_for(ds, res, index)
    if made is not None:
        name, content = made
        data.update(url=name, url_type="upload", upload=_upload(name, content))
    return data


def ensure_files(datasets: list[dict[str, Any]], progress: Progress) -> int:
    """Demo resources of an older demo load that still link to an address that does not
    resolve get their generated file (uploaded in place: same resource, new file)."""
    from ckanext.lyg_opendata.demo.files import file_for
    user = _site_user()
    replaced = 0
    for ds in datasets:
        pkg = model.Package.get(ds["name"])
        if pkg is None:
            continue
        current = {r.name: r for r in pkg.resources}
        for i, res in enumerate(ds.get("resources", [])):
            have = current.get(res["name"])
            made = file_for(ds, res, i)
            if made is None:
                continue
            if have is None:
                tk.get_action("resource_create")(_context(user), _resource_dict(ds, res, i, pkg.id))
            elif have.url_type != "upload":
                name, content = made
                tk.get_action("resource_patch")(_context(user), {
                    "id": have.id, "url": name, "url_type": "upload",
                    "upload": _upload(name, content)})
            else:
                continue
            replaced += 1
            progress(f"  file {made[0]}")
    return replaced


def _review(package_id: str, target: str) -> None:
    reviewer = {"user": _reviewer(), "ignore_auth": True}
    if target == "published":
        tk.get_action("lyg_opendata_review_approve")(reviewer, {"id": package_id})
    elif target == "returned":
        tk.get_action("lyg_opendata_review_return")(reviewer, {
            "id": package_id, "reason": "数据项说明不完整，请补充各数据项的计量单位。"})



_PLACES = ["连云港市", "海州区", "连云区", "赣榆区", "东海县", "灌云县", "灌南县", "徐圩新区"]
_TOPICS = ["停车场", "公交站点", "用水量", "空气质量", "医疗机构", "中小学校", "企业登记",
           "人口", "地区生产总值", "旅游景区", "农产品价格", "港口吞吐量", "快递网点",
           "养老机构", "体育场馆", "图书馆", "气象观测", "道路养护", "建设用地", "专利授权"]
_KINDS = ["名录", "统计", "月报", "年报", "分布", "监测数据", "信息"]


def synthetic_datasets(n: int, orgs: list[str], seed: int = 20200101) -> Iterator[dict]:
    """``n`` reproducible synthetic datasets (for benchmarks), named synthetic-000001…"""
    rng = random.Random(seed)
    combos = list(itertools.product(_PLACES, _TOPICS, _KINDS))
    for i in range(1, n + 1):
        place, topic, kind = combos[(i * 7919) % len(combos)]
        year = 2015 + i % 11
        yield {
            "open_type": "unconditional",
            "update_frequency": rng.choice(["daily", "monthly", "quarterly", "annual", "irregular"]),
            "subject_areas": [rng.choice(["economy", "transport", "environment", "health", "daily_life"])],
            "data_items": [{"name_zh": "名称", "code": "name", "type": "string", "sensitive": "no"},
                           {"name_zh": "数值", "code": "value", "type": "decimal", "sensitive": "no"}],
            "data_updated": f"{year}-12-31",
            "name": f"synthetic-{i:06d}",
            "title": f"{place}{year}年{topic}{kind}",
            "org": orgs[i % len(orgs)],
            "notes": f"{place}{topic}{kind}（{year}年），合成数据，用于性能测试。"
                     f" Synthetic dataset number {i} for benchmarks.",
            "tags": [topic, "合成数据"],
            "resources": [{"name": f"{topic}{kind}", "format": rng.choice(["CSV", "XLSX", "JSON"]),
                           "url": f"http://example.invalid/synthetic/{i}.csv"}],
        }


def load(synthetic: int = 0, progress: Progress = print,
         password: str | None = None) -> dict[str, int]:
    """Load organizations, demo users (when a password is given) and datasets (plus
    ``synthetic`` generated ones); with the demo users, the citizens' objections and reports
    and the applicants' applications for conditional data (agreement, grant, usage report)."""
    data = load_demo_data()
    t0 = time.monotonic()
    counts = {"organizations": ensure_organizations(data["organizations"], progress)}
    counts["users"] = ensure_users(data.get("users", []), password, progress)
    counts["datasets"] = ensure_datasets(data["datasets"], progress)
    counts["files"] = ensure_files(data["datasets"], progress)
    load_objections(data, password, progress, counts)
    load_applications(data, password, progress, counts)
    from ckanext.lyg_opendata.participation import demo as participation_demo
    participation_demo.load(data, progress, counts)
    from ckanext.lyg_opendata.evaluation import demo as evaluation_demo
    evaluation_demo.load(data, progress, counts)
    from ckanext.lyg_opendata.demo import disclosure as demo_disclosure
    counts["disclosure"] = demo_disclosure.ensure(progress)
    if synthetic:
        orgs = [o["name"] for o in data["organizations"]]
        made = 0
        for i, ds in enumerate(synthetic_datasets(synthetic, orgs), 1):
            made += ensure_datasets([ds], lambda _msg: None)
            if i % 50 == 0 or i == synthetic:
                progress(f"  synthetic {i}/{synthetic} ({time.monotonic() - t0:.0f}s)")
        counts["synthetic"] = made
    return counts


# --- objections (异议) and reports (举报) ---------------------------------------------------
# Through the objection actions (events, timeline, notices and the index's under_objection
# stay right). Idempotent: an objection (report) is known by its dataset, raiser and text; one
# that exists is only taken further towards the state the demo names.

def ensure_citizens(citizens: list[dict[str, Any]], password: str | None,
                    progress: Progress) -> int:
    """Demo members of the public (no organization)."""
    site = _site_user()
    created = 0
    for u in citizens:
        if _exists("user_show", u["name"]) or not password:
            continue
        tk.get_action("user_create")(_context(site), {
            "name": u["name"], "fullname": u["fullname"], "password": password,
            "email": f"{u['name']}@example.invalid"})
        created += 1
        progress(f"  user {u['name']} ({u['fullname']})")
    return created


def _resource_id(pkg: model.Package, name: str | None) -> str | None:
    if not name:
        return None
    for res in pkg.resources:
        if res.name == name:
            return res.id
    return None


def _act(action: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    """An objection action as ``user`` (their own rights: the agency's clerk for handling)."""
    return tk.get_action(action)({"user": user, "model": model}, data)


def _advance(obj, entry: dict[str, Any]) -> bool:
    """Take an objection one step at a time towards the demo's state; True if it moved."""
    from ckanext.lyg_opendata.objections.corrections import dataset_changes
    target, handler = entry.get("state", "submitted"), entry.get("handler")
    moved = False
    if obj.status == "submitted" and target in ("accepted", "answered"):
        _act("lyg_opendata_objection_accept", handler, {"id": obj.id, "comment": entry.get("comment")})
        moved = True
    elif obj.status == "submitted" and target == "rejected":
        _act("lyg_opendata_objection_reject", handler, {"id": obj.id, "reason": entry["reason"]})
        moved = True
    if obj.status == "accepted" and target == "answered":
        answer = {"id": obj.id, "outcome": entry["outcome"], "explanation": entry["explanation"]}
        if entry.get("correction"):
            tk.get_action("package_patch")({"user": handler, "model": model},
                                           {"id": obj.package_id, **entry["correction"]})
            changes = dataset_changes(obj.package_id, limit=1)
            if changes:
                answer["activity_id"] = changes[0]["id"]
        _act("lyg_opendata_objection_answer", handler, answer)
        moved = True
    return moved


def ensure_objections(entries: list[dict[str, Any]], progress: Progress) -> int:
    """Objections raised by demo citizens and taken to the demo's states. Skipped (0) when
    the raiser does not exist (no password given, so no demo users)."""
    from ckanext.lyg_opendata.objections.model import Objection
    created = 0
    for entry in entries:
        raiser = model.User.get(entry["raised_by"])
        pkg = model.Package.get(entry["dataset"])
        if raiser is None or pkg is None:
            continue
        description = entry["description"].strip()
        obj = model.Session.query(Objection).filter(
            Objection.package_id == pkg.id, Objection.raised_by == raiser.id,
            Objection.description == description).first()
        if obj is None:
            data = {"package_id": pkg.id, "type": entry["type"], "description": description}
            if _resource_id(pkg, entry.get("resource")):
                data["resource_id"] = _resource_id(pkg, entry.get("resource"))
            if entry.get("data_item"):
                data["data_item_code"] = entry["data_item"]
            # ignore_auth: the demo's raiser is not held to the hourly rate limit
            made = tk.get_action("lyg_opendata_objection_create")(
                {"user": raiser.name, "model": model, "ignore_auth": True}, data)
            obj = model.Session.get(Objection, made["id"])
            created += 1
            moved = True
        else:
            moved = False
        while _advance(obj, entry):
            model.Session.refresh(obj)
            moved = True
        if moved:
            progress(f"  objection on {pkg.name}: {obj.status}")
    return created


def ensure_reports(entries: list[dict[str, Any]], progress: Progress) -> int:
    from ckanext.lyg_opendata.objections.model import Report
    created = 0
    for entry in entries:
        reporter = model.User.get(entry["reported_by"])
        pkg = model.Package.get(entry["dataset"]) if entry.get("dataset") else None
        if reporter is None:
            continue
        description = entry["description"].strip()
        if model.Session.query(Report.id).filter(
                Report.reported_by == reporter.id, Report.description == description).first():
            continue
        data = {"reported_party": entry["reported_party"], "description": description}
        if pkg is not None:
            data["package_id"] = pkg.id
        tk.get_action("lyg_opendata_report_create")(
            {"user": reporter.name, "model": model, "ignore_auth": True}, data)
        created += 1
        progress(f"  report about {entry['reported_party']}")
    return created


def load_objections(data: dict[str, Any], password: str | None, progress: Progress,
                    counts: dict[str, int]) -> None:
    """The demo's citizens, objections and reports (counted into ``counts``)."""
    counts["users"] = counts.get("users", 0) + ensure_citizens(
        data.get("citizens", []), password, progress)
    counts["objections"] = ensure_objections(data.get("objections", []), progress)
    counts["reports"] = ensure_reports(data.get("reports", []), progress)


# --- conditional data: applications, agreements, grants (有条件开放) -------------------------
# Through the application and agreement actions, each step by whoever takes it in the portal
# (the applicant applies, replies, signs and reports; the agency's clerk decides), so the
# timeline, the agreement text, the grant, the report schedule and the notices are the
# workflow's own. Idempotent: an application is known by its applicant, dataset and purpose;
# one that exists is only taken further towards the state the demo names.

APPLICANT_FIELDS = ("applicant_type", "credit_code", "contact_name", "contact_phone",
                    "contact_email")


def ensure_applicants(applicants: list[dict[str, Any]], password: str | None,
                      progress: Progress) -> int:
    """Demo companies and institutes that apply for conditional data (no organization)."""
    return ensure_citizens(applicants, password, progress)


def _application_form(pkg: model.Package, applicant: dict[str, Any],
                      entry: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt
    from ckanext.lyg_opendata.workdays import today_beijing
    start = today_beijing()
    data = {k: str(applicant[k]) for k in APPLICANT_FIELDS if applicant.get(k)}
    data.update({
        "package_id": pkg.id, "applicant_name": applicant["fullname"],
        "purpose": entry["purpose"].strip(), "scenario": entry["scenario"].strip(),
        "security_measures": entry["security_measures"].strip(), "resource_ids": "all",
        "term_start": start.isoformat(),
        "term_end": (start + dt.timedelta(days=entry.get("term_days", 365))).isoformat(),
        "accept_conditions": True, "accept_privacy": True})
    return data


def _application_step(app, entry: dict[str, Any], applicant: str) -> str | None:
    """Take an application one step towards the demo's state; what was done, or None."""
    from ckanext.lyg_opendata.access import applications as apps
    from ckanext.lyg_opendata.access.model import Grant, UsageReport
    from ckanext.lyg_opendata.workdays import today_beijing
    target, handler = entry.get("state", "submitted"), entry.get("handler")
    if app.status == "submitted" and target == "info_requested":
        _act("lyg_opendata_application_request_info", handler,
             {"id": app.id, "message": entry["message"].strip()})
        return "info_requested"
    if app.status in apps.OPEN and target == "refused":
        _act("lyg_opendata_application_refuse", handler,
             {"id": app.id, "reason": entry["reason"].strip(), "basis": entry["basis"].strip()})
        return "refused"
    if app.status == "submitted" and target == "approved":
        data = {"id": app.id, "conditions_of_use": entry["conditions_of_use"].strip()}
        if entry.get("report_interval_months"):
            data["report_interval_months"] = entry["report_interval_months"]
        _act("lyg_opendata_application_approve", handler, data)
        return "approved"
    if app.status != "approved" or target != "approved":
        return None
    agreement = apps.agreement_for(app.id)
    if agreement is not None and agreement.applicant_signed_at is None:
        _act("lyg_opendata_agreement_sign", applicant, {"id": agreement.id, "accept": True})
        return "signed"
    report = entry.get("report")
    grant = model.Session.query(Grant).filter(Grant.application_id == app.id).first()
    if not report or grant is None:
        return None
    reports = model.Session.query(UsageReport).filter(UsageReport.grant_id == grant.id)
    if reports.filter(UsageReport.submitted_at.isnot(None)).first() is not None:
        return None
    due = reports.filter(UsageReport.period_start <= today_beijing()).order_by(
        UsageReport.period_start).first()
    if due is None:
        return None
    _act("lyg_opendata_usage_report_submit", applicant, {
        "id": due.id, **{k: report[k].strip() for k in ("usage", "results", "incidents")}})
    return "reported"


def ensure_applications(data: dict[str, Any], progress: Progress,
                        counts: dict[str, int]) -> None:
    """Applications of the demo applicants, taken to the demo's states. Skipped when the
    applicant or the deciding clerk does not exist (no password given, so no demo users)."""
    from ckanext.lyg_opendata.access.model import Application
    applicants = {a["name"]: a for a in data.get("applicants", [])}
    made = {"applications": 0, "grants": 0, "usage_reports": 0}
    for entry in data.get("applications", []):
        user = model.User.get(entry["applicant"])
        pkg = model.Package.get(entry["dataset"])
        handler = entry.get("handler")
        if user is None or pkg is None or (handler and model.User.get(handler) is None):
            continue
        purpose = entry["purpose"].strip()
        app = model.Session.query(Application).filter(
            Application.user_id == user.id, Application.package_id == pkg.id,
            Application.purpose == purpose).first()
        steps = []
        if app is None:
            form = _application_form(pkg, applicants[user.name], entry)
            made_app = _act("lyg_opendata_application_create", user.name, form)
            app = model.Session.get(Application, made_app["id"])
            made["applications"] += 1
            steps.append("submitted")
        while True:
            step = _application_step(app, entry, user.name)
            if step is None:
                break
            made["grants"] += step == "signed"
            made["usage_reports"] += step == "reported"
            steps.append(step)
            model.Session.refresh(app)
        if steps:
            progress(f"  application of {user.name} for {pkg.name}: {' → '.join(steps)}")
    counts.update(made)


def load_applications(data: dict[str, Any], password: str | None, progress: Progress,
                      counts: dict[str, int]) -> None:
    """The demo's applicants and their applications, agreements, grants and usage reports
    (counted into ``counts``)."""
    counts["users"] = counts.get("users", 0) + ensure_applicants(
        data.get("applicants", []), password, progress)
    ensure_applications(data, progress, counts)
