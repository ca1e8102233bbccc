"""Code lists of disclosure on application (codes are the API; labels in the UI language).

The outcomes follow the city's guide (part 二 (三), six kinds of answer) and the rows of the
national yearly report (2021 format: 予以公开, 部分公开, 不予公开, 无法提供, 不予处理)."""
from __future__ import annotations

from ckanext.lyg_opendata.vocab import CodeLists, Term

STATUSES = [
    Term("received", "办理中", "Being handled"),
    Term("correction_requested", "待补正", "Awaiting amendment"),
    Term("answered", "已答复", "Answered"),
    Term("withdrawn", "已撤回", "Withdrawn"),
]

CHANNELS = [
    Term("online", "网上申请", "Online"),
    Term("letter", "信函申请", "Letter"),
    Term("fax", "传真申请", "Fax"),
    Term("in_person", "当面申请", "In person"),
]

APPLICANT_TYPES = [
    Term("individual", "自然人", "Natural person"),
    Term("organization", "法人或其他组织", "Legal person or other organization"),
]

# the columns of the yearly report table for legal persons and other organizations
ORGANIZATION_KINDS = [
    Term("business", "商业企业", "Business enterprise"),
    Term("research", "科研机构", "Research institution"),
    Term("public_welfare", "社会公益组织", "Public-welfare organization"),
    Term("legal_services", "法律服务机构", "Legal-services organization"),
    Term("other", "其他", "Other"),
]

ID_TYPES = [
    Term("resident_id", "居民身份证", "Resident identity card"),
    Term("passport", "护照", "Passport"),
    Term("hk_macao_permit", "港澳居民来往内地通行证", "Mainland travel permit for Hong Kong and Macao residents"),
    Term("taiwan_permit", "台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents"),
    Term("other", "其他有效身份证件", "Other valid identity document"),
]

DELIVERY = [
    Term("portal", "平台在线获取", "In the portal"),
    Term("email", "电子邮件", "Email"),
    Term("post", "邮寄", "Post"),
    Term("collect", "当面领取", "Collect in person"),
]

# the six answers of the guide (the sixth, 补正, is the request_correction transition; an
# application still unclear after amendment is answered "unclear"), plus 部分公开
OUTCOMES = [
    Term("public", "予以公开", "Disclosed"),
    Term("partial", "部分公开", "Partly disclosed"),
    Term("already_public", "已主动公开，告知获取途径", "Already public: where to find it"),
    Term("withheld", "不予公开", "Not disclosed"),
    Term("not_held", "非本机关掌握，告知掌握机关", "Not held by this agency: who holds it"),
    Term("not_exist", "信息不存在", "The information does not exist"),
    Term("unclear", "补正后申请内容仍不明确", "Still unclear after amendment"),
]

# 不予公开 sub-reasons (the yearly report's rows, 政府信息公开条例 Art 14-16)
WITHHELD_CATEGORIES = [
    Term("state_secret", "属于国家秘密", "State secret"),
    Term("law_forbids", "其他法律行政法规禁止公开", "Other laws or administrative regulations forbid it"),
    Term("security", "危及“三安全一稳定”", "Would endanger security or stability"),
    Term("third_party", "保护第三方合法权益", "Protects third parties' lawful rights"),
    Term("internal", "属于三类内部事务信息", "Internal affairs information"),
    Term("process", "属于四类过程性信息", "Process information"),
    Term("enforcement", "属于行政执法案卷", "Administrative enforcement files"),
    Term("inquiry", "属于行政查询事项", "Administrative inquiry matters"),
]

EVENTS = [
    Term("submit", "提交申请", "Application submitted"),
    Term("register", "登记信函/传真申请", "Letter or fax registered"),
    Term("request_correction", "告知补正", "Amendment requested"),
    Term("amend", "补正申请", "Application amended"),
    Term("extend", "延长答复期限", "Answer period extended"),
    Term("transfer", "转交其他机关", "Transferred to another agency"),
    Term("answer", "答复", "Answered"),
    Term("withdraw", "撤回申请", "Withdrawn by the applicant"),
    Term("lapse", "逾期未补正，视为放弃申请", "Not amended in time: deemed withdrawn"),
    Term("remind", "催办提醒", "Reminder sent"),
    Term("remind_amend", "补正期限届满前提醒申请人", "Applicant reminded: the time to amend ends soon"),
    Term("erase_personal_data", "保存期满，申请人个人信息已去标识化", "Personal data erased after the retention period"),
]

ROLES = [
    Term("applicant", "申请人", "Applicant"),
    Term("agency", "行政机关", "Agency"),
    Term("supervisor", "监督机关", "Supervisors"),
    Term("system", "平台", "Platform"),
]

# complaints (投诉/举报, 条例 Art 51): what the applicant says the agency failed to do
COMPLAINT_GROUNDS = [
    Term("not_answered", "逾期未答复", "Not answered in time"),
    Term("wrong_answer", "答复不符合规定", "The answer does not meet the rules"),
    Term("not_provided", "未按规定提供信息", "Information not provided as required"),
    Term("fee", "违规收取费用", "A fee was charged"),
    Term("other", "其他", "Other"),
]

COMPLAINT_STATUSES = [
    Term("filed", "处理中", "Being handled"),
    Term("answered", "已答复", "Answered"),
    Term("withdrawn", "已撤回", "Withdrawn"),
]

COMPLAINT_FINDINGS = [
    Term("upheld", "投诉成立，责令改正", "Upheld: the agency is told to correct it"),
    Term("not_upheld", "投诉不成立", "Not upheld"),
]

COMPLAINT_EVENTS = [
    Term("file", "提出投诉", "Complaint filed"),
    Term("answer", "答复投诉", "Complaint answered"),
    Term("withdraw", "撤回投诉", "Complaint withdrawn"),
]

_LISTS = CodeLists({"status": STATUSES, "channel": CHANNELS, "applicant_type": APPLICANT_TYPES,
                    "organization_kind": ORGANIZATION_KINDS, "id_type": ID_TYPES, "delivery": DELIVERY,
                    "outcome": OUTCOMES, "withheld_category": WITHHELD_CATEGORIES, "event": EVENTS,
                    "role": ROLES, "complaint_ground": COMPLAINT_GROUNDS,
                    "complaint_status": COMPLAINT_STATUSES, "complaint_finding": COMPLAINT_FINDINGS,
                    "complaint_event": COMPLAINT_EVENTS})
terms, codes, label, choices, one_of = (_LISTS.terms, _LISTS.codes, _LISTS.label, _LISTS.choices,
                                        _LISTS.one_of)

