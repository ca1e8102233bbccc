"""Tables of the proactive disclosure catalog (主动公开): an entry of government information
and its events. Schema changes go through alembic (migration/lyg_opendata, 0021_govinfo)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import EventColumns, new_id as _uuid, utcnow


class GovInfo(tk.BaseModel):
    """One entry of government information an agency discloses of its own accord. Public
    once published; drafts and withdrawn entries are seen by the agency and supervisors."""
    __tablename__ = "lyg_opendata_govinfo"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                                index=True)                        # 发布机构
    title = sa.Column(sa.UnicodeText, nullable=False)              # 标题
    doc_number = sa.Column(sa.UnicodeText)                         # 文号
    category = sa.Column(sa.UnicodeText, nullable=False, index=True)  # 主题分类 (codes)
    kind = sa.Column(sa.UnicodeText, nullable=False, default="other")  # 规章 / 规范性文件 / 其他
    written_on = sa.Column(sa.Date, nullable=False)                # 成文日期
    changed_on = sa.Column(sa.Date)                                # 变更日期 (the clock restarts)
    published_on = sa.Column(sa.Date, index=True)                  # 发布日期
    forms = sa.Column(JSONB, nullable=False, default=list)         # 公开方式 (codes)
    validity = sa.Column(sa.UnicodeText)                           # 有效性
    repealed_on = sa.Column(sa.Date)                               # 废止/失效日期
    summary = sa.Column(sa.UnicodeText)                            # 内容概述
    body = sa.Column(sa.UnicodeText)                               # 正文
    file_name = sa.Column(sa.UnicodeText)
    file_path = sa.Column(sa.UnicodeText)
    file_mimetype = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="draft", index=True)
    withdrawal_reason = sa.Column(sa.UnicodeText)
    created_by = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    modified = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class GovInfoEvent(EventColumns, tk.BaseModel):
    """One step of an entry (entered, changed, published, withdrawn)."""
    __tablename__ = "lyg_opendata_govinfo_event"

    govinfo_id = sa.Column(sa.UnicodeText, sa.ForeignKey("lyg_opendata_govinfo.id",
                                                         ondelete="CASCADE"),
                           nullable=False, index=True)
    text = sa.Column(sa.UnicodeText)
