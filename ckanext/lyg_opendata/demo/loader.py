"""Load the development portal's demo content through CKAN's action API.

Idempotent: what exists already (by name) is left as it is, so a second run only
adds what is missing and loses nothing.
"""
from __future__ import annotations

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


def _dataset_dict(ds: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": ds["name"],
        "title": ds["title"],
        "notes": ds.get("notes", "").strip(),
        "owner_org": ds["org"],
        "license_id": ds.get("license_id", "cc-by"),
        "maintainer": ds.get("maintainer", ""),
        "tags": [{"name": t} for t in ds.get("tags", [])],
        "resources": [dict(r) for r in ds.get("resources", [])],
    }


def ensure_datasets(datasets: list[dict[str, Any]], progress: Progress) -> int:
    user = _site_user()
    created = 0
    for ds in datasets:
        if _exists("package_show", ds["name"]):
            continue
        tk.get_action("package_create")(_context(user), _dataset_dict(ds))
        created += 1
        progress(f"  dataset {ds['name']} ({ds['title']})")
    return created


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
            "name": f"synthetic-{i:06d}",
            "title": f"{place}{year}年{topic}{kind}",
            "org": orgs[i % len(orgs)],
            "notes": f"{place}{topic}{kind}（{year}年），合成数据，用于性能测试。"
                     f" Synthetic dataset number {i} for benchmarks.",
            "tags": [topic, "合成数据"],
            "resources": [{"name": f"{topic}{kind}", "format": rng.choice(["CSV", "XLSX", "JSON"]),
                           "url": f"http://example.invalid/synthetic/{i}.csv"}],
        }


def load(synthetic: int = 0, progress: Progress = print) -> dict[str, int]:
    """Load organizations and datasets (plus ``synthetic`` generated ones)."""
    data = load_demo_data()
    t0 = time.monotonic()
    counts = {"organizations": ensure_organizations(data["organizations"], progress)}
    counts["datasets"] = ensure_datasets(data["datasets"], progress)
    if synthetic:
        orgs = [o["name"] for o in data["organizations"]]
        made = 0
        for i, ds in enumerate(synthetic_datasets(synthetic, orgs), 1):
            made += ensure_datasets([ds], lambda _msg: None)
            if i % 50 == 0 or i == synthetic:
                progress(f"  synthetic {i}/{synthetic} ({time.monotonic() - t0:.0f}s)")
        counts["synthetic"] = made
    return counts
