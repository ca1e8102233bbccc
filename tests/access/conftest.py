"""Fixtures of the access tests (found by pytest: no import needed).

Applications: a published conditional dataset with two data resources, an applicant, valid
form data.

Enforcement: a conditional dataset with every kind of data, and users with every kind of
grant, for the enforcement tests (test_leak_matrix*.py, test_grantee_access.py; outside
tests/access, test modules import ``world`` and the constants from here).

The dataset ``cond`` was published unconditional first (so its activity stream holds
snapshots with the data addresses, from before it became conditional), then made
conditional. Resources: ``a`` a link with DataStore rows and a data tables view, ``b`` a
link nobody outside the agency is granted, ``c`` an uploaded file; plus a file of CKAN's
file store owned by ``c``. Grants are rows written directly (the application and agreement
flow builds them in production): ``grantee`` holds a valid grant over ``a`` and ``c``;
``expired``'s grant ended yesterday; ``revoked``'s was revoked.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.access.model import Agreement, Application, Grant
from ckanext.lyg_opendata.workdays import today_beijing
from tests.conftest import (dataset_creator, make_agency, make_people, make_reviewer,
                            make_sysadmin, publisher)

TOKEN = uuid.uuid4().hex[:12]
SECRET_A = f"https://data.example.invalid/secret-{TOKEN}-a.csv"
SECRET_B = f"https://data.example.invalid/secret-{TOKEN}-b.csv"
FILE_NAME = f"secret-{TOKEN}-c.csv"
FILE_CONTENT = f"name,value\nsecret-file-content-{TOKEN},1\n"
STORE_CONTENT = f"secret-store-content-{TOKEN}"
ROW_VALUE = f"secret-row-{TOKEN}"
# anything of these in a response is a leak
SECRETS = (SECRET_A, SECRET_B, f"secret-{TOKEN}-a", f"secret-{TOKEN}-b", FILE_NAME,
           f"secret-file-content-{TOKEN}", STORE_CONTENT, ROW_VALUE)
APPLY_PAGE = "http://test.lyg-opendata.invalid/dataset/cond/apply"

PASSWORD = "Grantee-Pass-2026"
OUTSIDERS = ["anonymous", "registered", "expired", "revoked", "other_agency_editor", "supervisor"]


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


@dataclass
class World:
    pkg: dict[str, Any]
    a: str
    b: str
    c: str
    file_id: str
    view_id: str
    users: dict[str, Optional[dict[str, Any]]]
    grants: dict[str, str] = field(default_factory=dict)
    history_activity_id: str = ""

    def headers(self, who: str) -> dict[str, str]:
        user = self.users[who]
        return {"Authorization": user["token"]} if user else {}

    def name(self, who: str) -> str:
        user = self.users[who]
        return user["name"] if user else ""


def _upload(content: str, filename: str) -> FileStorage:
    return FileStorage(io.BytesIO(content.encode()), filename=filename, content_type="text/csv")


def insert_grant(user_id: str, package_id: str, resource_ids: list[str], starts: dt.date,
                 ends: dt.date, revoked: bool = False, decided_by: Optional[str] = None) -> str:
    """A grant as the signed agreement leaves it: application → agreement → grant rows."""
    application = Application(
        package_id=package_id, user_id=user_id, status="approved", applicant_type="individual",
        purpose="交通规划研究使用", scenario="城市交通模型", security_measures="专人专机，加密存储",
        resource_ids=resource_ids, term_start=starts, term_end=ends, conditions_accepted=True,
        received_on=starts, due_on=starts, granted_resource_ids=resource_ids,
        granted_term_start=starts, granted_term_end=ends, decided_by=decided_by)
    model.Session.add(application)
    model.Session.flush()
    text = f"协议 {application.id}"
    # 协议编号, when the agreement model has one
    numbered = {"number": f"TEST-{uuid.uuid4().hex[:10]}"} if hasattr(Agreement, "number") else {}
    agreement = Agreement(application_id=application.id, text=text, **numbered,
                          sha256=hashlib.sha256(text.encode()).hexdigest(),
                          agency_signed_at=dt.datetime.utcnow(),
                          applicant_signed_at=dt.datetime.utcnow(), applicant_signed_by=user_id)
    model.Session.add(agreement)
    model.Session.flush()
    grant = Grant(agreement_id=agreement.id, application_id=application.id, user_id=user_id,
                  package_id=package_id, resource_ids=resource_ids, starts_on=starts, ends_on=ends,
                  revoked_at=dt.datetime.utcnow() if revoked else None,
                  revoke_reason="违反协议约定" if revoked else None)
    model.Session.add(grant)
    model.Session.commit()
    return grant.id


@pytest.fixture
def world(create_dataset, publish, people, sysadmin):
    return build_world(create_dataset, publish, people, sysadmin)


@pytest.fixture(scope="module")
def module_world(shared_db):
    """The same world built once for a module whose tests only read it (see ``shared_db``
    in tests/conftest.py); its ``sysadmin`` is the one who built it."""
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    w = build_world(dataset_creator(sysadmin, agency), publisher(sysadmin, make_reviewer()),
                    make_people(agency), sysadmin)
    w.sysadmin = sysadmin
    return w


def build_world(create_dataset, publish, people, sysadmin) -> World:
    admin = {"user": sysadmin["name"]}
    ds = create_dataset(name="cond", title="停车场收费明细", resources=[
        {"url": SECRET_A, "format": "CSV", "name": "收费明细"},
        {"url": SECRET_B, "format": "CSV", "name": "收费汇总"}])
    publish(ds)
    # published unconditional, then made conditional: the older snapshots hold the addresses
    tk.get_action("package_patch")(admin, {"id": "cond", "open_type": "conditional",
                                           "open_conditions": "仅向经批准的研究机构开放"})
    pkg = tk.get_action("package_show")(admin, {"id": "cond"})
    a, b = (r["id"] for r in pkg["resources"])
    c = tk.get_action("resource_create")(admin, {
        "package_id": pkg["id"], "name": "上传文件", "format": "CSV", "url": FILE_NAME,
        "desensitized": True, "upload": _upload(FILE_CONTENT, FILE_NAME)})["id"]
    stored = tk.get_action("file_create")(admin, {
        "name": f"store-{TOKEN}.csv", "upload": _upload(STORE_CONTENT, f"store-{TOKEN}.csv")})
    tk.get_action("file_ownership_transfer")(admin, {
        "id": stored["id"], "owner_type": "resource", "owner_id": c, "force": True})
    tk.get_action("datastore_create")(admin, {
        "resource_id": a, "force": True, "fields": [{"id": "name", "type": "text"}],
        "records": [{"name": ROW_VALUE}]})
    view = tk.get_action("resource_view_create")(admin, {
        "resource_id": a, "view_type": "datatables_view", "title": "表格预览"})

    # the last snapshot from when the dataset was public and not yet conditional
    from ckanext.activity.model import Activity
    history = [a for a in model.Session.query(Activity).filter(Activity.object_id == pkg["id"])
               .order_by(Activity.timestamp)
               if "package" in a.data and not a.data["package"]["private"]
               and a.data["package"]["open_type"] == "unconditional" and SECRET_B in str(a.data)][-1]

    users = dict(people)
    for role in ("grantee", "expired", "revoked"):
        users[role] = factories.UserWithToken(password=PASSWORD, fullname={
            "grantee": "研究院用户", "expired": "过期用户", "revoked": "撤销用户"}[role])
    today = today_beijing()
    grants = {
        "grantee": insert_grant(users["grantee"]["id"], pkg["id"], [a, c],
                                today - dt.timedelta(days=1), today + dt.timedelta(days=30)),
        "expired": insert_grant(users["expired"]["id"], pkg["id"], [a, b, c],
                                today - dt.timedelta(days=60), today - dt.timedelta(days=1)),
        "revoked": insert_grant(users["revoked"]["id"], pkg["id"], [a, b, c],
                                today - dt.timedelta(days=1), today + dt.timedelta(days=30),
                                revoked=True),
    }
    return World(pkg=pkg, a=a, b=b, c=c, file_id=stored["id"], view_id=view["id"], users=users,
                 grants=grants, history_activity_id=history.id)


def log_in(app, name: str, password: str = PASSWORD) -> None:
    """Log in through the login form (the session cookie then rides on every request)."""
    resp = app.post("/user/login", data={"login": name, "password": password},
                    follow_redirects=False)
    assert resp.status_code == 302, resp.status_code


def access_log(package_id: str, sysadmin: dict[str, Any]) -> list[dict[str, Any]]:
    """The access log of the dataset, read through its action (unmasked, as a sysadmin)."""
    return tk.get_action("lyg_opendata_access_log_list")(
        {"user": sysadmin["name"]},
        {"package": package_id, "unmasked": True, "reason": "测试核对访问记录", "limit": 1000})["results"]


# --- applications ----------------------------------------------------------------------

SECRET = "http://data.example.invalid/conditional/bus-gps.csv"

# Real unified social credit codes (GB 32100-2015), checked against the algorithm in
# tests: 深圳市腾讯计算机系统有限公司, 华为技术有限公司, 北京小米科技有限责任公司,
# 阿里巴巴（中国）网络技术有限公司, and the standard's own example.
REAL_CREDIT_CODES = ["91440300708461136T", "914403001922038216", "91110108551385082Q",
                     "91330100716105852F", "91350100M000100Y43"]


def ctx(user):
    return {"user": user["name"] if user else ""}


def act(name, user, **data):
    return tk.get_action(name)(ctx(user), data)


def headers(user):
    return {"Authorization": user["token"]} if user else {}


@pytest.fixture
def applicant():
    return factories.UserWithToken(fullname="申请企业经办人",
                                   email=f"{uuid.uuid4().hex}@example.invalid")


@pytest.fixture
def cond_dataset(published_dataset):
    return published_dataset(
        name="bus-gps", title="公交车辆实时位置", open_type="conditional",
        open_conditions="仅限交通规划研究使用，不得向第三方提供",
        resources=[{"url": SECRET, "format": "CSV", "name": "车辆位置"},
                   {"url": SECRET + "?b", "format": "CSV", "name": "线路站点"}])


def form_data(pkg, **overrides):
    today = today_beijing()
    data = {
        "package_id": pkg["id"],
        "purpose": "用于公交线网优化研究，分析高峰时段车辆运行规律。",
        "scenario": "在本单位内网的分析平台上建模，结果用于研究报告。",
        "security_measures": "数据存放于隔离内网服务器，专人管理，访问留痕，用后删除。",
        "resource_ids": "all",
        "term_start": (today + dt.timedelta(days=1)).isoformat(),
        "term_end": (today + dt.timedelta(days=180)).isoformat(),
        "applicant_type": "organization",
        "applicant_name": "连云港某某交通科技有限公司",
        "credit_code": "91440300708461136T",
        "contact_name": "王经理",
        "contact_phone": "13812345678",
        "contact_email": "contact@example.invalid",
        "accept_conditions": True,
        "accept_privacy": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def apply(cond_dataset, applicant):
    def run(user=None, pkg=None, **overrides):
        return tk.get_action("lyg_opendata_application_create")(
            ctx(user or applicant), form_data(pkg or cond_dataset, **overrides))
    return run
