"""Code lists of participation (codes are the API; labels in the UI language)."""
from __future__ import annotations

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.vocab import CodeLists, Term

STATUSES = [
    Term("submitted", "待分办", "Waiting to be routed"),
    Term("assigned", "办理中", "With the data-opening body"),
    Term("need_info", "待补充说明", "Waiting for more details"),
    Term("planned", "将开放", "Will be opened"),
    Term("opened", "已开放", "Opened"),
    Term("conditional", "有条件开放", "Open on conditions"),
    Term("refused", "不予开放", "Not to be opened"),
    Term("withdrawn", "已撤回", "Withdrawn"),
    Term("hidden", "已屏蔽", "Hidden"),
]

# the six answers of a data-opening body (issue 17)
ANSWERS = [
    Term("planned", "将开放", "Will be opened"),
    Term("opened", "已开放", "Already opened"),
    Term("conditional", "有条件开放", "Open on conditions"),
    Term("refused", "不予开放", "Not to be opened"),
    Term("not_ours", "非本单位数据", "Not this body's data"),
    Term("need_info", "需补充说明", "More details needed"),
]

EVENTS = [
    Term("create", "提出需求", "Request filed"),
    Term("route", "分办", "Routed to a data-opening body"),
    Term("claim", "认领", "Taken up by a data-opening body"),
    Term("answer_planned", "答复：将开放", "Answered: will be opened"),
    Term("answer_opened", "答复：已开放", "Answered: already opened"),
    Term("answer_conditional", "答复：有条件开放", "Answered: open on conditions"),
    Term("answer_refused", "答复：不予开放", "Answered: not to be opened"),
    Term("answer_not_ours", "答复：非本单位数据，退回分办", "Answered: not this body's data, back for routing"),
    Term("answer_need_info", "答复：需补充说明（暂停计时）", "Answered: more details needed (clock paused)"),
    Term("supplement", "补充说明", "Details added by the requester"),
    Term("withdraw", "撤回", "Withdrawn by the requester"),
    Term("hide", "屏蔽", "Hidden by a moderator"),
    Term("opened_on_publication", "数据集已发布，需求已开放", "Dataset published: request opened"),
]

ROLES = [
    Term("requester", "需求提出人", "The requester"),
    Term("agency", "数据开放主体", "Data-opening body"),
    Term("supervisor", "监管人员", "Supervisors"),
    Term("system", "平台", "Platform"),
]

FORMATS = [
    Term("table", "表格（CSV/XLSX）", "Table (CSV/XLSX)"),
    Term("api", "数据接口（API）", "API"),
    Term("geo", "地理数据", "Geographic data"),
    Term("document", "文档", "Documents"),
    Term("any", "不限", "Any"),
]

SORTS = [
    Term("support", "支持最多", "Most supported"),
    Term("newest", "最新提出", "Newest"),
    Term("relevance", "最相关", "Best match"),
]

_LISTS = CodeLists({"status": STATUSES, "answer": ANSWERS, "event": EVENTS, "role": ROLES,
                    "format": FORMATS, "sort": SORTS, "frequency": vocab.UPDATE_FREQUENCIES,
                    "legal_basis": vocab.NON_OPEN_BASES})
terms, codes, label, choices, one_of = (_LISTS.terms, _LISTS.codes, _LISTS.label, _LISTS.choices,
                                         _LISTS.one_of)
