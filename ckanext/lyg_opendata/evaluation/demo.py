"""Demo content of evaluation (``ckan lyg-opendata demo load``): a year of use counts (page
views, downloads, API calls: portal/usage.py) of the public demo datasets, so that the home and
statistics pages have figures over time, and two rectification notices taken through the
actions (one answered by the agency, one past its deadline), and last year's evaluation report
(Art 37) generated and published, with this month's quality scores of the published datasets
(computed before the report, which then shows each agency's mean; last December's too).
The demo's history starts a year back (``_history``). Idempotent: the usage history is written once; a notice is
known by its agency and requirement; a year that has a report gets none. Nothing is written to the
access log, which records only real use of conditional data (Art 21)."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any, Callable

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

Progress = Callable[[str], None]

MONTHS = 12

NOTICES = [
    {"organization": "lyg-jtj", "ground": "open_list", "by": "dsjj-reviewer",
     "findings": "部分已发布的数据集未按照更新频度更新，开放清单中的最近更新日期与实际不符。",
     "requirement": "请核对本单位开放清单，按更新频度更新相关数据集，并说明建立的定期更新机制。",
     "deadline_days": 10, "response_by": "jtj-clerk",
     "response": "已更新全部逾期数据集，并指定专人每月核对开放清单的更新情况。"},
    {"organization": "lyg-fgw", "ground": "applications", "by": "dsjj-reviewer",
     "findings": "有条件开放数据的申请未在规定期限内答复，补充材料的要求未写明依据。",
     "requirement": "请于期限内答复待办申请，说明超期原因，并完善申请办理流程。",
     "deadline_days": 5, "days_ago": 20},
]


def _usage_history(progress: Progress) -> int:
    """A year of daily use counts (portal/usage.py) of the public demo datasets; written once
    (not when the table already has use older than a month)."""
    from ckanext.lyg_opendata.portal.usage import Usage, add
    from ckanext.lyg_opendata.workdays import today_beijing
    s = model.Session
    today = today_beijing()
    if s.query(Usage).filter(Usage.day < today - dt.timedelta(days=31)).first() is not None:
        return 0
    p = model.package_table
    public = s.execute(sa.select(p.c.id).where(
        p.c.state == "active", p.c.private.is_(False), p.c.type == "dataset",
        p.c.extras["review_status"].astext == "published",
        p.c.extras["open_type"].astext == "unconditional").order_by(p.c.name)).scalars().all()
    s.rollback()
    if not public:
        return 0
    rng = random.Random(20261129)
    written = 0
    for back in range(MONTHS, 0, -1):
        growth = (MONTHS - back + 1) / MONTHS      # use grows over the year
        for channel, base in (("view", 90), ("download", 38), ("api", 22)):
            for _i in range(int(base * growth) + rng.randint(0, 6)):
                day = today - dt.timedelta(days=30 * back - rng.randint(0, 27))
                add(rng.choice(public), None, channel, 1, day=day)
                written += 1
    progress(f"  usage history: {written} page views, downloads and API calls over {MONTHS} months")
    return written


def _notices(progress: Progress) -> int:
    from ckanext.lyg_opendata.evaluation.model import Rectification
    made = 0
    for entry in NOTICES:
        org = model.Group.get(entry["organization"])
        by = model.User.get(entry["by"])
        if org is None or by is None:
            continue
        if model.Session.query(Rectification).filter_by(
                organization_id=org.id, requirement=entry["requirement"]).first():
            continue
        ctx = {"user": by.name, "model": model}
        row = tk.get_action("lyg_opendata_rectification_issue")(ctx, {
            k: entry[k] for k in ("organization", "ground", "findings", "requirement",
                                  "deadline_days")})
        if entry.get("days_ago"):  # the demo's late notice: issued weeks ago
            obj = model.Session.get(Rectification, row["id"])
            obj.clock_start -= dt.timedelta(days=entry["days_ago"])
            obj.created -= dt.timedelta(days=entry["days_ago"])
            model.repo.commit()
        if entry.get("response_by") and model.User.get(entry["response_by"]):
            tk.get_action("lyg_opendata_rectification_respond")(
                {"user": entry["response_by"], "model": model},
                {"id": row["id"], "text": entry["response"]})
        made += 1
        progress(f"  rectification notice to {entry['organization']}")
    return made


def _history(progress: Progress) -> int:
    """The demo stands for a platform that has run for over a year (as its use counts do):
    the organizations date from the start of last year and the published demo datasets'
    review events move back a year, so that last year's report — taken as of that year's
    end (evaluation/asof.py) — has datasets and agencies; once (not when a review event is
    older than a month)."""
    from ckanext.lyg_opendata.catalog.model import ReviewEvent
    from ckanext.lyg_opendata.workdays import today_beijing
    s = model.Session
    today = today_beijing()
    month_ago = dt.datetime.combine(today - dt.timedelta(days=31), dt.time())
    if s.query(ReviewEvent).filter(ReviewEvent.created < month_ago).first() is not None:
        return 0
    start = dt.datetime(today.year - 1, 1, 1) - dt.timedelta(hours=8)
    s.execute(sa.update(model.group_table).where(model.group_table.c.created > start)
              .values(created=start))
    p = model.package_table
    moved = s.execute(sa.update(ReviewEvent.__table__).where(
        ReviewEvent.package_id.in_(sa.select(p.c.id).where(
            p.c.extras["review_status"].astext == "published"))).values(
        created=ReviewEvent.created - dt.timedelta(days=365))).rowcount
    model.repo.commit()
    progress(f"  history: {moved} review events of the published datasets a year back")
    return moved


REPORT_COMMENTARY = (
    "本年度，全市各数据开放主体按照《连云港市公共数据开放与开发利用管理暂行办法》"
    "编制并更新开放清单，平台开放数据集数量和数据调用量持续增长，有条件开放数据的申请"
    "基本能够在十个工作日内答复。\n\n"
    "评估也发现，部分单位存在数据更新不及时、申请答复超期、专人专岗未备案等问题。"
    "各单位应对照下列改进建议，在下一年度内完成整改。")


def _report(progress: Progress) -> int:
    """Last year's evaluation report, generated from the figures and published through the
    actions; once (not when that year has a report)."""
    from ckanext.lyg_opendata.evaluation.model import EvaluationReport
    from ckanext.lyg_opendata.workdays import today_beijing
    year = today_beijing().year - 1
    by = model.User.get("dsjj-reviewer")
    if by is None or model.Session.query(EvaluationReport).filter_by(year=year).first():
        return 0
    ctx = {"user": by.name, "model": model}
    row = tk.get_action("lyg_opendata_evaluation_report_generate")(ctx, {"year": year})
    tk.get_action("lyg_opendata_evaluation_report_update")(
        dict(ctx), {"id": row["id"], "commentary": REPORT_COMMENTARY})
    tk.get_action("lyg_opendata_evaluation_report_publish")(dict(ctx), {"id": row["id"]})
    progress(f"  evaluation report of {year}, published")
    return 1


def _quality(progress: Progress) -> int:
    """This month's quality scores of the published demo datasets (no link check: the demo's
    external addresses count as not checked yet); once (not when scores exist)."""
    from ckanext.lyg_opendata.evaluation import quality
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    from ckanext.lyg_opendata.workdays import today_beijing
    if model.Session.query(QualityScore).first() is not None:
        return 0
    # last December's too: the month last year's report takes its scores from
    quality.compute(today=dt.date(today_beijing().year - 1, 12, 31))
    result = quality.compute()
    quality.reindex(result["changed"])
    progress(f"  quality scores of {result['scored']} dataset(s)")
    return result["scored"]


def load(data: dict[str, Any], progress: Progress, counts: dict[str, int]) -> None:
    counts["usage_history"] = _usage_history(progress)
    counts["rectifications"] = _notices(progress)
    counts["history"] = _history(progress)
    counts["quality_scores"] = _quality(progress)
    counts["evaluation_reports"] = _report(progress)
    from ckanext.lyg_opendata.portal import figures
    try:
        figures.invalidate()
    except Exception:  # Redis down: the figures refresh with their TTL
        pass
