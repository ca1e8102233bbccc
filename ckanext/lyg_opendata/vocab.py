"""The code lists of the catalog, in one place.

Read by the scheming schema (through the ``lyg_opendata_choices`` helper), the search
facets, the 开放清单 exports and the DCAT profile alike. Codes are stable and part of the
public API; labels are shown in the UI language.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import ckan.plugins.toolkit as tk


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str

    def label(self, lang: Optional[str] = None) -> str:
        lang = lang or _current_lang()
        return self.en if lang and lang.startswith("en") else self.zh

    def choice(self) -> dict:
        return {"value": self.code, "label": {"zh_Hans_CN": self.zh, "en": self.en}}


class CodeLists:
    """A domain's named code lists (``{"status": [Term…], …}``): the codes of a list, a
    code's label in the UI language (the code itself when unknown) and form choices."""

    def __init__(self, lists: Mapping[str, Sequence[Term]]):
        self._lists = dict(lists)

    def terms(self, kind: str) -> Sequence[Term]:
        return self._lists[kind]

    def codes(self, kind: str) -> list[str]:
        return [t.code for t in self._lists[kind]]

    def label(self, kind: str, code: Optional[str]) -> str:
        for term in self._lists[kind]:
            if term.code == code:
                return term.label()
        return code or ""

    def choices(self, kind: str) -> list[dict]:
        return [{"value": t.code, "text": t.label()} for t in self._lists[kind]]

    def one_of(self, kind: str, *also: str, labels: bool = False):
        """A validator: one of the list's codes (or of ``also``, listed first); the error
        lists the codes, or with ``labels`` their labels."""
        from ckanext.lyg_opendata.validation import one_of
        return one_of([*also, *self.codes(kind)],
                      shown=(lambda code: self.label(kind, code)) if labels else None)


def _current_lang() -> str:
    try:
        return tk.h.lang() or "zh_Hans_CN"
    except Exception:  # outside a request (CLI, jobs): the default UI language
        return tk.config.get("ckan.locale_default") or "zh_Hans_CN"


# Art 6: the three open types. ``rank`` orders them from least to most open.
OPEN_TYPES = [
    Term("unconditional", "无条件开放", "Unconditional"),
    Term("conditional", "有条件开放", "Conditional"),
    Term("non_open", "非开放", "Non-open"),
]
OPEN_RANK = {"non_open": 0, "conditional": 1, "unconditional": 2}

# Art 7: the six grounds for not opening.
NON_OPEN_BASES = [
    Term("state_secret", "依法确定为国家秘密", "Classified as a state secret"),
    Term("security", "开放后可能危及国家安全、公共安全、经济安全、社会稳定",
         "Opening could endanger national, public or economic security or social stability"),
    Term("privacy_trade_secret", "涉及商业秘密、个人隐私", "Involves trade secrets or personal privacy"),
    Term("internal_affairs", "涉及数据开放主体的人员、财务、资产等内部事务",
         "Internal affairs of the body (staff, finance, assets)"),
    Term("agreement_ip", "因协议或者知识产权限制而无法开放",
         "Cannot be opened because of an agreement or intellectual property"),
    Term("other_law", "法律、法规和规章等规定不得开放或者应当通过其他途径获取",
         "Laws or regulations forbid opening or require another channel"),
]

# Art 15: update frequency, with the period after which an update falls due.
UPDATE_FREQUENCIES = [
    Term("realtime", "实时", "Real-time"),
    Term("daily", "每日", "Daily"),
    Term("weekly", "每周", "Weekly"),
    Term("monthly", "每月", "Monthly"),
    Term("quarterly", "每季度", "Quarterly"),
    Term("semiannual", "每半年", "Semi-annual"),
    Term("annual", "每年", "Annual"),
    Term("irregular", "不定期", "Irregular"),
    Term("never", "不更新", "Never updated"),
]
FREQUENCY_PERIOD: dict[str, Optional[dt.timedelta]] = {
    "realtime": dt.timedelta(0),
    "daily": dt.timedelta(days=1),
    "weekly": dt.timedelta(days=7),
    "monthly": dt.timedelta(days=31),
    "quarterly": dt.timedelta(days=92),
    "semiannual": dt.timedelta(days=183),
    "annual": dt.timedelta(days=366),
    "irregular": None,
    "never": None,
}

DATA_TYPES = [
    Term("string", "字符串", "String"),
    Term("integer", "整数", "Integer"),
    Term("decimal", "小数", "Decimal"),
    Term("date", "日期", "Date"),
    Term("datetime", "日期时间", "Date and time"),
    Term("boolean", "布尔值", "Boolean"),
    Term("code", "代码（码表）", "Code list"),
    Term("geometry", "空间坐标", "Geometry"),
    Term("binary", "二进制", "Binary"),
]

SENSITIVITY = [
    Term("no", "不涉及敏感信息", "Not sensitive"),
    Term("desensitized", "涉及敏感信息，已脱敏", "Sensitive, desensitised"),
]

SUBJECT_AREAS = [
    Term("economy", "经济建设", "Economy"),
    Term("transport", "道路交通", "Transport"),
    Term("education_science", "教育科技", "Education and science"),
    Term("health", "医疗卫生", "Health"),
    Term("social_security", "社会保障", "Social security"),
    Term("environment", "资源环境", "Resources and environment"),
    Term("housing", "城建住房", "Urban construction and housing"),
    Term("public_safety", "公共安全", "Public safety"),
    Term("culture_leisure", "文化休闲", "Culture and leisure"),
    Term("institutions", "机构团体", "Institutions and organisations"),
    Term("credit", "信用服务", "Credit services"),
    Term("agriculture", "农业农村", "Agriculture and rural affairs"),
    Term("finance", "财税金融", "Tax and finance"),
    Term("weather", "气象服务", "Weather"),
    Term("daily_life", "生活服务", "Daily life services"),
    Term("other", "其他", "Other"),
]

REVIEW_STATUSES = [
    Term("draft", "草稿", "Draft"),
    Term("pending", "待审核", "Pending review"),
    Term("published", "已发布", "Published"),
    Term("returned", "已退回", "Returned"),
    Term("withdrawn", "已撤回", "Withdrawn"),
]

# Formats read by machines (quality figures count resources in these).
MACHINE_READABLE_FORMATS = {
    "CSV", "TSV", "XLS", "XLSX", "ODS", "JSON", "GEOJSON", "JSON-LD", "XML", "RDF", "TTL",
    "API", "SHP", "KML", "KMZ", "GML", "GPKG", "WMS", "WFS", "PARQUET", "SQL",
}
FORMAT_ALIASES = {
    "EXCEL": "XLSX", "SHAPEFILE": "SHP", "ESRI SHAPEFILE": "SHP", "TEXT/CSV": "CSV",
    "APPLICATION/JSON": "JSON", "APPLICATION/XML": "XML", "TEXT/XML": "XML",
    "接口": "API", "WEB API": "API", "REST": "API", "WEBSERVICE": "API",
    "APPLICATION/PDF": "PDF", "WORD": "DOCX",
}


def data_grades() -> list[Term]:
    """The 数据分级 vocabulary from ``ckanext.lyg_opendata.data_grades``."""
    terms = []
    for item in tk.config.get("ckanext.lyg_opendata.data_grades"):
        code, _, rest = item.partition("|")
        zh, _, en = rest.partition("|")
        terms.append(Term(code.strip(), zh.strip() or code.strip(), en.strip() or zh.strip()))
    return terms


VOCABULARIES = {
    "open_type": lambda: OPEN_TYPES,
    "non_open_basis": lambda: NON_OPEN_BASES,
    "update_frequency": lambda: UPDATE_FREQUENCIES,
    "data_type": lambda: DATA_TYPES,
    "sensitivity": lambda: SENSITIVITY,
    "subject_area": lambda: SUBJECT_AREAS,
    "data_grade": data_grades,
    "review_status": lambda: REVIEW_STATUSES,
}


def terms(vocabulary: str) -> list[Term]:
    return VOCABULARIES[vocabulary]()


def label(vocabulary: str, code: Optional[str], lang: Optional[str] = None) -> str:
    """The label of ``code`` in the UI language; the code itself when unknown."""
    for term in terms(vocabulary):
        if term.code == code:
            return term.label(lang)
    return code or ""


def codes(vocabulary: str) -> list[str]:
    return [t.code for t in terms(vocabulary)]
