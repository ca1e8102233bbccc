"""Code lists of the proactive disclosure catalog (主动公开; codes are the API, labels in the
UI language). The categories are the eleven kinds of information of the city's guide (一
(一)); the forms of disclosure its 一 (二)."""
from __future__ import annotations

from ckanext.lyg_opendata.vocab import CodeLists, Term

CATEGORIES = [
    Term("leadership", "市政府领导分工、工作规则、机构职能",
         "Division of work of the city's leaders, working rules, functions of agencies"),
    Term("government_documents", "市政府文件", "Documents of the city government"),
    Term("office_documents", "市政府办公室文件", "Documents of the city government's office"),
    Term("meetings", "市政府重要会议", "Important meetings of the city government"),
    Term("key_work", "市政府重点工作", "Key work of the city government"),
    Term("plans", "国民经济和社会发展规划及其他专项规划",
         "Plans for economic and social development and other special plans"),
    Term("reports_to_congress", "市政府提交省人大及其常委会审议的各类报告",
         "Reports submitted to the provincial people's congress and its standing committee"),
    Term("personnel", "市政府人事任免", "Appointments and removals"),
    Term("emergency", "市政府应急管理", "Emergency management"),
    Term("statistics", "经济和社会发展统计信息", "Statistics of economic and social development"),
    Term("other", "其他依照法律、法规和国家有关规定应当主动公开的重要信息",
         "Other important information to be made public under laws and regulations"),
]

# the document kinds counted in part 二 of the yearly report (第二十条第（一）项)
KINDS = [
    Term("rule", "规章", "Government rule"),
    Term("normative", "行政规范性文件", "Administrative normative document"),
    Term("other", "其他", "Other"),
]

VALIDITY = [
    Term("valid", "有效", "In force"),
    Term("amended", "已修改", "Amended"),
    Term("repealed", "已废止", "Repealed"),
    Term("expired", "已失效", "Expired"),
]

FORMS = [
    Term("portal", "政府门户网站政务公开专栏", "Government website (政务公开 section)"),
    Term("reading_room", "档案馆、图书馆查阅点", "Reading points in the archives and library"),
    Term("gazette", "政府公报", "Government gazette"),
    Term("press", "新闻发布会", "Press conference"),
    Term("media", "报纸、广播、电视等公共媒体", "Newspapers, radio, television"),
]

STATUSES = [
    Term("draft", "待发布", "Not yet published"),
    Term("published", "已发布", "Published"),
    Term("withdrawn", "已撤下", "Withdrawn"),
]

EVENTS = [
    Term("create", "登记", "Entered"),
    Term("update", "修改", "Changed"),
    Term("publish", "发布", "Published"),
    Term("withdraw", "撤下", "Withdrawn"),
]

_LISTS = CodeLists({"category": CATEGORIES, "kind": KINDS, "validity": VALIDITY, "form": FORMS,
                    "status": STATUSES, "event": EVENTS})
terms, codes, label, choices, one_of = (_LISTS.terms, _LISTS.codes, _LISTS.label, _LISTS.choices,
                                        _LISTS.one_of)
