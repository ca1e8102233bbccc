"""Fixtures of the agreement, grant and usage report tests (found by pytest in this
directory; tests/audit/test_download.py and tests/showcase/test_showcase.py import them).

``cond_dataset`` here (a published conditional dataset with three resources) stands for
tests/access/conftest.py's own in this directory."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.access.agreements import workflow
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.workdays import add_workdays, today_beijing

SECRET = "http://data.example.invalid/conditional/parking-{n}.csv"


def make_cond_dataset(published_dataset):
    return published_dataset(
        name="parking-fees", title="停车场收费明细", open_type="conditional",
        open_conditions="仅向科研机构开放", resource_code="320700/JTJ/0042",
        resources=[{"url": SECRET.format(n=i), "format": "CSV", "name": name}
                   for i, name in enumerate(["2024年明细", "2025年明细", "2026年明细"])])


@pytest.fixture
def cond_dataset(published_dataset):
    """A published conditional dataset with three resources."""
    return make_cond_dataset(published_dataset)


def make_grantee():
    return factories.UserWithToken(fullname="示例科技联系人", email="grantee@example.com")


@pytest.fixture
def grantee():
    """The applicant (a registered user); becomes the grantee once signed."""
    return make_grantee()


def make_application(dataset, user, *, resources=(0, 1), start=None, end=None,
                     org=True, **kwargs):
    """An approved application row, as the approve action leaves it before it calls
    ``create_for_application`` (not committed)."""
    today = today_beijing()
    start = start or today
    end = end or today + dt.timedelta(days=180)
    ids = [dataset["resources"][i]["id"] for i in resources]
    fields = dict(
        package_id=dataset["id"], org_id=dataset["owner_org"], user_id=user["id"],
        status="approved", purpose="城市停车诱导研究，分析停车场使用规律",
        scenario="停车诱导应用的算法训练和效果评估", security_measures="专用服务器，访问控制，日志审计，定期删除",
        resource_ids=[], term_start=start, term_end=end, conditions_accepted=True,
        received_on=today, due_on=add_workdays(today, 10)[0], due_provisional=False,
        decided_at=dt.datetime.utcnow(), conditions_of_use="不得向第三方提供；成果发布前告知甲方",
        granted_resource_ids=ids, granted_term_start=start, granted_term_end=end)
    if org:
        fields.update(applicant_type="organization", applicant_name="连云港示例科技有限公司",
                      credit_code="91320700MA1MXXXX0X", contact_name="王五",
                      contact_phone="13800000000", contact_email="wangwu@example.com")
    fields.update(kwargs)
    application = Application(**fields)
    model.Session.add(application)
    model.Session.flush()
    return application


@pytest.fixture
def approve(cond_dataset, people, grantee):
    """Approve an application of ``grantee`` (or another user) as the agency's editor:
    returns the committed agreement's id."""
    return approver(cond_dataset, people, grantee)


def approver(cond_dataset, people, grantee):
    def run(user=None, dataset=None, interval=None, **kwargs):
        application = make_application(dataset or cond_dataset, user or grantee, **kwargs)
        application.decided_by = people["agency_editor"]["id"]
        agreement = workflow.create_for_application(
            application, people["agency_editor"]["name"], report_interval_months=interval)
        model.Session.commit()
        return agreement.id
    return run


@pytest.fixture
def signed(approve, grantee):
    """An agreement signed by the grantee: returns the grant as the action shows it."""
    return signer(approve, grantee)


def signer(approve, grantee):
    def run(**kwargs):
        agreement_id = approve(**kwargs)
        return tk.get_action("lyg_opendata_agreement_sign")(
            {"user": grantee["name"]}, {"id": agreement_id, "accept": True})
    return run
