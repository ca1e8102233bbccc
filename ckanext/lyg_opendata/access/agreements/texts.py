"""The model text of agreements (协议示范文本): a versioned template; sysadmins add versions,
never edit one. Its placeholders, their check, rendering and the sample values of the preview."""
from __future__ import annotations

import logging
import pathlib
import string
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)
from sqlalchemy.dialects.postgresql import insert as pg_insert

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.access.model import (
    AgreementTemplate, _utcnow)
from ckanext.lyg_opendata.tables import new_id as _new_id

log = logging.getLogger(__name__)
_ = tk._


DEFAULT_TEXT = pathlib.Path(__file__).resolve().parents[2] / "templates" / "lyg_opendata" \
    / "access" / "agreement_default.txt"
DEFAULT_TITLE = "公共数据有条件开放利用协议"


# The placeholders a template may use, with what they hold (shown on the admin page).
PLACEHOLDERS: dict[str, str] = {
    "agreement_number": N_("Agreement number"),
    "agency": N_("The agency (data-opening body): its organization's title"),
    "applicant": N_("The applicant: the organization's or the person's name"),
    "applicant_type": N_("Individual, or legal person / other organization"),
    "credit_code": N_("Unified social credit code (organizations)"),
    "contact": N_("Contact person, phone and email"),
    "applicant_account": N_("The applicant's account on the portal"),
    "dataset_title": N_("Dataset title"),
    "resource_code": N_("Resource code of the dataset"),
    "dataset_url": N_("Address of the dataset's page"),
    "resources": N_("The granted resources (names)"),
    "purpose": N_("Purpose of use"),
    "scenario": N_("Usage scenario"),
    "security_measures": N_("Security measures"),
    "open_conditions": N_("The dataset's conditions of opening"),
    "conditions_of_use": N_("The agency's conditions of use"),
    "term_start": N_("First day of the term"),
    "term_end": N_("Last day of the term"),
    "report_schedule": N_("When usage reports are due"),
    "approved_on": N_("Date of approval"),
    "created_on": N_("Date the agreement was generated"),
}


# --- templates -------------------------------------------------------------------------

def default_text() -> str:
    return DEFAULT_TEXT.read_text(encoding="utf-8")


def template_errors(body: str) -> list[str]:
    """What is wrong with a template body: unknown placeholders, bad braces."""
    errors: list[str] = []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError:
        return [_("Unbalanced braces: write {{ and }} for a literal brace")]
    unknown: list[str] = []
    used = False
    for _lit, field, spec, conv in parsed:
        if field is None:
            continue
        used = True
        if field not in PLACEHOLDERS or spec or conv:
            shown = "{" + field + (("!" + conv) if conv else "") + ((":" + spec) if spec else "") + "}"
            if shown not in unknown:
                unknown.append(shown)
    for name in unknown:
        errors.append(_("Unknown placeholder %s") % name)
    if not used:
        errors.append(_("The text uses no placeholder"))
    return errors


def render(body: str, values: dict[str, str]) -> str:
    """Fill a (valid) template body's placeholders."""
    return body.format_map({k: values.get(k, "") for k in PLACEHOLDERS})


def sample_values() -> dict[str, str]:
    """Example values for previewing a template."""
    return {
        "agreement_number": "LYG-XY-20260918-0A1B2C3D", "agency": "连云港市交通运输局",
        "applicant": "连云港示例科技有限公司", "applicant_type": "法人或者其他组织",
        "credit_code": "91320700MA1XXXXXX0", "contact": "张三 13800000000 zhangsan@example.com",
        "applicant_account": "example-company", "dataset_title": "公共停车场收费明细",
        "resource_code": "320700/JTJ/0001", "dataset_url": "https://data.example/dataset/parking",
        "resources": "2026年明细（CSV）", "purpose": "城市停车诱导研究",
        "scenario": "停车诱导应用的算法训练", "security_measures": "专用服务器，访问控制，日志审计",
        "open_conditions": "仅向科研机构开放", "conditions_of_use": "不得向第三方提供",
        "term_start": "2026年10月1日", "term_end": "2027年9月30日",
        "report_schedule": "利用期限届满后10个工作日内提交一次", "approved_on": "2026年9月18日",
        "created_on": "2026年9月18日",
    }


def latest_template() -> Optional[AgreementTemplate]:
    return model.Session.query(AgreementTemplate).order_by(
        AgreementTemplate.version.desc()).first()


def current_template(actor_id: Optional[str] = None) -> AgreementTemplate:
    """The highest version; version 1 from the shipped model text when there is none
    (two first approvals at once insert it once)."""
    template = latest_template()
    if template is not None:
        return template
    model.Session.execute(pg_insert(AgreementTemplate.__table__).values(
        id=_new_id(), version=1, title=DEFAULT_TITLE, body=default_text(),
        note=None, created_by=actor_id, created=_utcnow(),
    ).on_conflict_do_nothing(index_elements=["version"]))
    return latest_template()


def create_template(title: str, body: str, note: Optional[str], actor_id: Optional[str]
                    ) -> AgreementTemplate:
    """A new version (the highest + 1); old versions never change. The shipped model text
    is version 1 (stored first if no version exists yet). Flushed: the action commits."""
    errors = template_errors(body)
    if errors:
        raise tk.ValidationError({"body": errors})
    # one writer at a time: a transaction-level advisory lock on the template table
    model.Session.execute(sa.text(
        "SELECT pg_advisory_xact_lock(hashtext('lyg_opendata_agreement_template'))"))
    current_template(actor_id)  # the shipped model text stays version 1
    top = model.Session.query(sa.func.max(AgreementTemplate.version)).scalar() or 0
    template = AgreementTemplate(version=top + 1, title=title, body=body, note=note,
                                 created_by=actor_id)
    model.Session.add(template)
    model.Session.flush()
    return template


def template_dict(template: AgreementTemplate, with_body: bool = True) -> dict[str, Any]:
    creator = model.Session.get(model.User, template.created_by) if template.created_by else None
    data = {"id": template.id, "version": template.version, "title": template.title,
            "note": template.note, "created": template.created.isoformat(),
            "created_by": creator.name if creator else None,
            "placeholders": sorted({f for _l, f, _s, _c in string.Formatter().parse(template.body)
                                    if f})}
    if with_body:
        data["body"] = template.body
    return data
