"""Fixtures of the application tests (imported by tests/access/test_application*.py):
a published conditional dataset with two data resources, an applicant, valid form data."""
import datetime as dt
import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.workdays import today_beijing

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
