"""Demo organisation links (``ckan lyg-opendata demo load`` with the demo users): a demo
applicant claims to act for its organisation with a generated authorisation letter (授权书,
a PDF), and the supervisor takes the claim to the state the demo names (``verified``,
``refused`` with a reason, or left ``submitted`` in the queue). Through the actions, as the
people who take each step. Idempotent: a claim is known by its user and credit code, in any
state; a second load adds nothing."""
from __future__ import annotations

import io
from typing import Any, Callable

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity.org_model import OrgLink


def _letter(entry: dict[str, Any], fullname: str):
    from werkzeug.datastructures import FileStorage
    from ckanext.lyg_opendata.demo.files import to_pdf
    pdf = to_pdf("授权书", [
        f"兹授权 {fullname} 代表{entry['org_name']}（统一社会信用代码：{entry['credit_code']}）"
        "在连云港市公共数据开放平台办理公共数据开放申请、协议签署等相关事项。",
        "授权期限：自签发之日起一年。",
        f"授权单位：{entry['org_name']}（盖章）",
        "（演示数据）"])
    return FileStorage(io.BytesIO(pdf), filename="授权书.pdf", content_type="application/pdf")


def ensure(entries: list[dict[str, Any]], progress: Callable[[str], None]) -> int:
    from ckanext.lyg_opendata import notify
    supervisors = notify.supervisors()
    made = 0
    for entry in entries:
        user = model.User.get(entry["user"])
        if user is None or model.Session.query(OrgLink.id).filter(
                OrgLink.user_id == user.id,
                OrgLink.credit_code == entry["credit_code"].upper()).first():
            continue
        try:
            link = tk.get_action("lyg_opendata_org_link_create")({"user": user.name}, {
                "org_name": entry["org_name"], "credit_code": entry["credit_code"],
                "letter": _letter(entry, user.fullname or user.name)})
            state = entry.get("state", "submitted")
            if state in ("verified", "refused") and supervisors:
                verb = "verify" if state == "verified" else "refuse"
                staff = next((u for u in supervisors if not u.sysadmin), supervisors[0])
                tk.get_action(f"lyg_opendata_org_link_{verb}")(
                    {"user": staff.name},
                    {"id": link["id"], "reason": entry.get("reason", "")})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as e:
            progress(f"  organisation link {entry['user']} → {entry['org_name']}: not made ({e})")
            continue
        made += 1
    return made
