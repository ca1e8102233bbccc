"""The tests of ``create_for_application`` (the approve action of applications calls it
inside its transaction); the fixtures are in this directory's conftest.py."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.agreements import texts, workflow
from ckanext.lyg_opendata.access.model import Agreement, AgreementTemplate
from tests.access.agreements.conftest import make_application

D = dt.date

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_create_for_application_fills_the_model_text_and_freezes_it(cond_dataset, people,
                                                                     grantee):
    assert model.Session.query(AgreementTemplate).count() == 0
    application = make_application(cond_dataset, grantee)
    application.decided_by = people["agency_editor"]["id"]
    agreement = workflow.create_for_application(application, people["agency_editor"]["name"])
    assert agreement in model.Session.new  # added, not committed
    model.Session.commit()

    stored = model.Session.get(Agreement, agreement.id)
    template = model.Session.query(AgreementTemplate).one()
    assert (template.version, stored.template_version, stored.template_id) == (1, 1, template.id)
    text = stored.text
    for expected in ("市交通运输局", "连云港示例科技有限公司", "91320700MA1MXXXX0X", "停车场收费明细",
                     "320700/JTJ/0042", "2024年明细（CSV）", "2025年明细（CSV）",
                     "城市停车诱导研究", "停车诱导应用的算法训练", "专用服务器", "仅向科研机构开放",
                     "不得向第三方提供", stored.number, "王五 13800000000 wangwu@example.com",
                     workflow.cn_date(application.granted_term_end)):
        assert expected in text, expected
    assert "2026年明细" not in text  # not granted
    assert "{" not in text and "}" not in text
    assert stored.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert stored.agency_signed_by == people["agency_editor"]["id"]
    assert stored.agency_signed_at is not None and stored.applicant_signed_at is None
    assert stored.report_schedule == "end" and stored.report_interval_months is None
    assert stored.number.startswith("LYG-XY-")


def test_an_individual_applicant_and_the_latest_template(cond_dataset, people, grantee, sysadmin):
    texts.create_template("新示范文本", "协议 {agreement_number}：{applicant}（{applicant_type}）"
                               "使用 {dataset_title} 的 {resources}，{report_schedule}", "v2",
                               sysadmin["id"])
    application = make_application(cond_dataset, grantee, org=False, resources=(2,))
    agreement = workflow.create_for_application(application, people["agency_admin"]["name"],
                                                  report_interval_months=3)
    model.Session.commit()
    assert agreement.template_version == 2
    assert "示例科技联系人（自然人）" in agreement.text and "2026年明细（CSV）" in agreement.text
    assert agreement.report_schedule == "periodic" and agreement.report_interval_months == 3
    assert "第2期" in agreement.text


@pytest.mark.parametrize("change, field", [
    ({"granted_resource_ids": []}, "granted_resource_ids"),
    ({"granted_resource_ids": ["not-a-resource"]}, "granted_resource_ids"),
    ({"granted_term_end": D(2020, 1, 1)}, "granted_term_end"),
])
def test_create_for_application_refuses_what_it_cannot_fill(cond_dataset, people, grantee,
                                                             change, field):
    application = make_application(cond_dataset, grantee)
    for key, value in change.items():
        setattr(application, key, value)
    with pytest.raises(tk.ValidationError) as err:
        workflow.create_for_application(application, people["agency_editor"]["name"])
    assert field in err.value.error_dict
    model.Session.rollback()


def test_a_periodic_interval_out_of_range_is_a_field_error(cond_dataset, people, grantee):
    application = make_application(cond_dataset, grantee)
    with pytest.raises(tk.ValidationError) as err:
        workflow.create_for_application(application, people["agency_editor"]["name"],
                                          report_interval_months=0, report_schedule="periodic")
    assert "report_interval_months" in err.value.error_dict
    model.Session.rollback()
