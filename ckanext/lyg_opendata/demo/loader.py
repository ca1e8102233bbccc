"""Load the development portal's demo content through CKAN's action API.

Idempotent: what exists already (by name) is left as it is, so a second run only
adds what is missing and loses nothing. The objections and reports of the demo are
loaded by :mod:`.objections`, its applications, agreements and grants by :mod:`.access`."""
from __future__ import annotations

import io
import itertools
import random
import time
from importlib import resources
from typing import Any, Iterator

import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.lyg_opendata.demo.access import load_applications
from ckanext.lyg_opendata.demo.api import Progress, context, exists, site_user
from ckanext.lyg_opendata.demo.objections import load_objections


def load_demo_data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("demo.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def ensure_sysadmin(name: str, email: str, password: str) -> bool:
    """Create the user ``name`` if missing and make it a sysadmin. True if created."""
    created = False
    if not exists("user_show", name):
        tk.get_action("user_create")(
            context(site_user()),
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
    user = site_user()
    created = 0
    for org in orgs:
        if exists("organization_show", org["name"]):
            continue
        tk.get_action("organization_create")(context(user), dict(org))
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
    site = site_user()
    created = 0
    for u in users:
        if not exists("user_show", u["name"]):
            if not password:
                continue
            tk.get_action("user_create")(context(site), {
                "name": u["name"], "fullname": u["fullname"], "password": password,
                "email": f"{u['name']}@example.invalid"})
            created += 1
            progress(f"  user {u['name']} ({u['fullname']})")
        tk.get_action("organization_member_create")(context(site), {
            "id": u["org"], "username": u["name"], "role": u["capacity"]})
    return created


def _reviewer() -> str:
    """Who approves the demo entries: the supervisor's demo reviewer, else a sysadmin."""
    if exists("user_show", "dsjj-reviewer"):
        return "dsjj-reviewer"
    admin = model.Session.query(model.User).filter(
        model.User.sysadmin.is_(True), model.User.state == "active",
        model.User.name != site_user()).first()
    return admin.name if admin else site_user()


def ensure_datasets(datasets: list[dict[str, Any]], progress: Progress) -> int:
    """Create the entries as the site user (they start pending review, like an import) and
    take them to the review state the demo names (published unless it says otherwise)."""
    user = site_user()
    created = 0
    for ds in datasets:
        if exists("package_show", ds["name"]):
            continue
        pkg = tk.get_action("package_create")(context(user), _dataset_dict(ds))
        for i, res in enumerate(ds.get("resources", [])):
            tk.get_action("resource_create")(context(user), _resource_dict(ds, res, i, pkg["id"]))
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
    user = site_user()
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
                tk.get_action("resource_create")(context(user), _resource_dict(ds, res, i, pkg.id))
            elif have.url_type != "upload":
                name, content = made
                tk.get_action("resource_patch")(context(user), {
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
    if password:
        from ckanext.lyg_opendata.identity import demo as identity_demo
        counts["org_links"] = identity_demo.ensure(data.get("org_links", []), progress)
    from ckanext.lyg_opendata.participation import demo as participation_demo
    participation_demo.load(data, progress, counts)
    if password:
        from ckanext.lyg_opendata.showcase import demo as showcase_demo
        counts["showcases"] = showcase_demo.ensure(data.get("showcases", []), progress)
    from ckanext.lyg_opendata.evaluation import demo as evaluation_demo
    evaluation_demo.load(data, progress, counts)
    from ckanext.lyg_opendata.demo import disclosure as demo_disclosure
    counts["disclosure"] = demo_disclosure.ensure(progress)
    from ckanext.lyg_opendata.disclosure.proactive import demo as govinfo_demo
    counts["govinfo"] = govinfo_demo.ensure(progress)
    if synthetic:
        orgs = [o["name"] for o in data["organizations"]]
        made = 0
        for i, ds in enumerate(synthetic_datasets(synthetic, orgs), 1):
            made += ensure_datasets([ds], lambda _msg: None)
            if i % 50 == 0 or i == synthetic:
                progress(f"  synthetic {i}/{synthetic} ({time.monotonic() - t0:.0f}s)")
        counts["synthetic"] = made
    return counts
