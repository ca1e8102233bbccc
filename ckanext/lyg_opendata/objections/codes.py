"""Code lists of objections and reports (codes are the API; labels in the UI language)."""
from __future__ import annotations

from ckanext.lyg_opendata.vocab import CodeLists, Term

# Art 20: what is wrong with the data
TYPES = [
    Term("error", "数据错误", "Data error"),
    Term("omission", "数据遗漏", "Data omission"),
    Term("outdated", "更新不及时", "Not updated in time"),
    Term("privacy", "涉及隐私或商业秘密", "Privacy or trade-secret concern"),
    Term("broken_link", "链接失效", "Broken link"),
    Term("other", "其他", "Other"),
]

STATUSES = [
    Term("submitted", "待受理", "Awaiting acceptance"),
    Term("accepted", "核实中", "Being verified"),
    Term("rejected", "不予受理", "Rejected"),
    Term("answered", "已答复", "Answered"),
    Term("reopened", "重新核实中", "Reopened for verification"),
    Term("escalated", "已提请监管人员处理", "Escalated to supervisors"),
    Term("hidden", "已屏蔽", "Hidden"),
    Term("merged", "已合并", "Merged"),
    Term("closed", "已关闭", "Closed"),
]

OUTCOMES = [
    Term("corrected", "已更正", "Corrected"),
    Term("partly_corrected", "部分更正", "Partly corrected"),
    Term("no_error", "经核实无误", "No error found"),
]

# the events of the timeline (transitions and other steps)
EVENTS = [
    Term("raise", "提出异议", "Objection raised"),
    Term("accept", "受理核实", "Accepted for verification"),
    Term("reject", "不予受理", "Rejected"),
    Term("answer", "答复", "Answered"),
    Term("dispute", "对答复有异议，退回重新核实", "Answer disputed, reopened for the agency"),
    Term("escalate", "对答复有异议，提请监管人员处理", "Answer disputed, escalated to supervisors"),
    Term("return_to_agency", "监管人员退回数据开放主体重新核实",
         "Returned to the data-opening body by supervisors"),
    Term("hide", "屏蔽", "Hidden by a moderator"),
    Term("merge", "合并为重复异议", "Merged as a duplicate"),
    Term("reassign", "转交其他数据开放主体", "Reassigned to another data-opening body"),
    Term("close", "关闭", "Closed"),
    Term("withdraw_dataset", "撤回数据集", "Dataset withdrawn"),
    Term("remind", "催办提醒", "Reminder sent"),
]

ROLES = [
    Term("raiser", "异议提出人", "The person who raised it"),
    Term("agency", "数据开放主体", "Data-opening body"),
    Term("supervisor", "监管人员", "Supervisors"),
    Term("system", "平台", "Platform"),
]

REPORT_STATUSES = [
    Term("submitted", "已提交", "Submitted"),
    Term("handling", "处理中", "Being handled"),
    Term("closed", "已办结", "Closed"),
]

REPORT_EVENTS = [
    Term("report", "提交举报", "Report submitted"),
    Term("handle", "开始处理", "Handling started"),
    Term("note", "处理记录", "Note"),
    Term("close", "办结", "Closed"),
]

# the public marker of a dataset under verification (Huai'an standard's wording)
MARKER = Term("under_objection", "有异议，核实中", "Under objection, being verified")

_LISTS = CodeLists({"type": TYPES, "status": STATUSES, "outcome": OUTCOMES, "event": EVENTS,
                    "role": ROLES, "report_status": REPORT_STATUSES, "report_event": REPORT_EVENTS})
terms, codes, label, choices, one_of = (_LISTS.terms, _LISTS.codes, _LISTS.label, _LISTS.choices,
                                         _LISTS.one_of)

