"""Fixtures of the disclosure tests: the people of every role around ``agency``, an
applicant, and helpers to apply and to put an application in a state."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

# a valid 统一社会信用代码 (GB 32100-2015) and resident ID number (GB 11643-1999)
CREDIT_CODE = "91320700MA1M9NT20X"
RESIDENT_ID = "11010519491231002X"


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


def individual(**kwargs):
    data = {"applicant_type": "individual", "applicant_name": "王小明", "id_type": "resident_id",
            "id_number": RESIDENT_ID, "phone": "13812345678", "email": "wxm@example.cn",
            "address": "连云港市海州区朝阳东路 1 号",
            "description": "请公开2025年度市区公共停车场建设项目的招标文件及中标结果。",
            "purpose": "了解停车场建设情况", "delivery": "portal", "accept_privacy": True}
    data.update(kwargs)
    return data


def organization(**kwargs):
    data = {"applicant_type": "organization", "organization_kind": "business",
            "applicant_name": "连云港某某物流有限公司", "credit_code": CREDIT_CODE,
            "legal_representative": "李四", "contact_person": "赵六", "phone": "0518-85821234",
            "email": "office@example.cn",
            "description": "请公开港区道路货运车辆限行的决定及其依据。", "delivery": "email",
            "accept_privacy": True}
    data.update(kwargs)
    return data


@pytest.fixture
def applicant(people):
    """A registered user who applies (distinct from people['registered'])."""
    return factories.UserWithToken(fullname="王小明")


@pytest.fixture
def apply(people, agency, applicant):
    """Apply online as ``applicant`` (or ``user``) to ``agency``."""
    def run(user=None, **kwargs):
        data = individual(organization=agency["id"])
        data.update(kwargs)
        return tk.get_action("lyg_opendata_disclosure_create")(ctx(user or applicant), data)
    return run


@pytest.fixture
def in_state(apply):
    """An application put directly in ``status`` (for the exhaustive transition tests)."""
    def run(status, **columns):
        req = apply()
        row = model.Session.get(DisclosureRequest, req["id"])
        row.status = status
        for key, value in columns.items():
            setattr(row, key, value)
        model.repo.commit()
        return req
    return run
