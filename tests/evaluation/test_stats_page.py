"""The public statistics page (/opendata/stats): each figure equals a count taken directly
from the tables, each series has a table and a CSV file, the figures are cached in Redis, the
chart library is served locally, and nothing restricted or personal is shown."""
from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.evaluation.model import QualityScore
from ckanext.lyg_opendata.portal import usage
from ckanext.lyg_opendata.objections.model import Objection
from ckanext.lyg_opendata.portal import figures

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PUBLIC = ("p.state='active' AND NOT p.private AND p.type='dataset' "
          "AND p.extras->>'review_status'='published'")
SECRET_NAME = "保密申请人" + uuid.uuid4().hex[:6]
SECRET_MAIL = f"secret-{uuid.uuid4().hex[:8]}@example.invalid"


def q(sql: str, **params):
    return model.Session.execute(sa.text(sql), params).all()


def _table(soup, key) -> list[list[str]]:
    section = soup.select_one(f'[data-series="{key}"]')
    return [[c.get_text(strip=True) for c in tr.select("th, td")]
            for tr in section.select("tbody tr")]


def _csv(app, key) -> list[list[str]]:
    resp = app.get(f"/opendata/stats/{key}.csv")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    text = resp.body
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _application(pkg, user, status, received, due, decided_at=None):
    row = Application(package_id=pkg["id"], org_id=pkg["owner_org"], user_id=user["id"],
                      status=status, applicant_name=SECRET_NAME, contact_email=SECRET_MAIL,
                      contact_name=SECRET_NAME, purpose="科研", scenario="分析",
                      security_measures="加密", term_start=received, term_end=due,
                      received_on=received, due_on=due, decided_at=decided_at)
    model.Session.add(row)
    return row


@pytest.fixture
def world(published_dataset, create_dataset, sysadmin, agency):
    a = published_dataset(name="st-bus", title="公交线路", subject_areas=["transport"],
                          resources=[{"name": "表", "url": "http://example.invalid/a.csv",
                                      "format": "CSV"},
                                     {"name": "表2", "url": "http://example.invalid/b.csv",
                                      "format": "CSV"}])
    b = published_dataset(name="st-water", title="用水户", open_type="conditional",
                          open_conditions="仅限科研", subject_areas=["transport", "environment"],
                          resources=[{"name": "水", "url": "http://example.invalid/w.csv",
                                      "format": "CSV"}])
    # restricted: a draft of the agency and the only (draft) dataset of another agency
    draft = create_dataset(name="st-draft", title="未公开草稿数据集", subject_areas=["health"])
    hidden_org = factories.Organization(name="st-hidden", title="只有草稿的委办局",
                                        users=[{"name": sysadmin["name"], "capacity": "admin"}])
    tk.get_action("package_create")({"user": sysadmin["name"]}, {
        "name": "st-hidden-ds", "title": "隐藏机构数据集", "owner_org": hidden_org["id"],
        "license_id": "cc-by", "notes": "x", "open_type": "unconditional",
        "update_frequency": "monthly", "data_items": [
            {"name_zh": "名称", "code": "name", "type": "string", "description": "",
             "sensitive": "no"}]})
    applicant = factories.User(fullname=SECRET_NAME, email=SECRET_MAIL)
    _application(b, applicant, "submitted", dt.date(2026, 9, 1), dt.date(2026, 9, 15))
    _application(b, applicant, "approved", dt.date(2026, 9, 2), dt.date(2026, 9, 16),
                 dt.datetime(2026, 9, 10, 2))                    # on time
    _application(b, applicant, "refused", dt.date(2026, 10, 8), dt.date(2026, 10, 22),
                 dt.datetime(2026, 10, 23, 1))                   # late
    model.Session.add(Objection(package_id=a["id"], organization_id=agency["id"],
                                type="error", description="错误", contact=SECRET_MAIL,
                                clock_start=dt.date(2026, 10, 1), deadline_days=15,
                                created=dt.datetime(2026, 10, 1, 3),
                                answered_at=dt.datetime(2026, 11, 2, 3)))
    # quality scores by hand: st-bus 60 then 90, st-water 40; the draft's 88 is not public
    for pkg, month, score, rating in ((a, "2026-10", 60, "sufficient"), (a, "2026-11", 90, "excellent"),
                                      (b, "2026-11", 40, "bad"), (draft, "2026-11", 88, "excellent")):
        model.Session.add(QualityScore(package_id=pkg["id"], month=month, score=score,
                                       rating=rating, indicators={}))
    model.Session.commit()
    for channel, day, n in [("download", dt.date(2026, 10, 5), 2), ("view", dt.date(2026, 10, 6), 5),
                            ("api", dt.date(2026, 11, 5), 3), ("download", dt.date(2026, 12, 1), 1)]:
        usage.add(b["id"], None, channel, n, day=day)
    figures.invalidate()
    return {"a": a, "b": b}


def test_each_figure_equals_the_tables(app, world):
    soup = BeautifulSoup(app.get("/opendata/stats").body, "html.parser")

    # datasets published per month, by open type, and the running total
    expected = {}
    for month, ot, n in q(f"SELECT substr(p.extras->>'issued',1,7), p.extras->>'open_type', "
                          f"count(*) FROM package p WHERE {PUBLIC} GROUP BY 1, 2"):
        expected.setdefault(month, {})[ot] = n
    rows = _table(soup, "datasets_by_month")
    assert [r[0] for r in rows] == sorted(expected)
    total = 0
    for row in rows:
        m = expected[row[0]]
        total += m.get("unconditional", 0) + m.get("conditional", 0)
        assert row[1:] == [str(m.get("unconditional", 0)), str(m.get("conditional", 0)), str(total)]
    assert total == 2

    # datasets and resources by open type
    rows = {r[0]: r[1:] for r in _table(soup, "datasets_by_open_type")}
    for ot, label in [("unconditional", "无条件开放"), ("conditional", "有条件开放")]:
        (d,), = q(f"SELECT count(*) FROM package p WHERE {PUBLIC} AND p.extras->>'open_type'=:t", t=ot)
        (r,), = q(f"SELECT count(*) FROM resource r JOIN package p ON p.id=r.package_id "
                  f"WHERE {PUBLIC} AND r.state='active' AND p.extras->>'open_type'=:t", t=ot)
        assert rows[label] == [str(d), str(r)]
    assert rows["无条件开放"] == ["1", "2"] and rows["有条件开放"] == ["1", "1"]

    # subject areas: public datasets only (the draft's 'health' is not there)
    rows = {r[0]: int(r[1]) for r in _table(soup, "datasets_by_subject_area")}
    assert rows == {"道路交通": 2, "资源环境": 1}, rows

    # agencies: only those with public datasets
    rows = _table(soup, "datasets_by_agency")
    assert rows == [["市交通运输局", "2", "3"]]

    # downloads and API calls per month, from the use counts (page views are not in it)
    counts = {}
    for month, channel, n in q(
            "SELECT to_char(day,'YYYY-MM'), channel, sum(count) FROM lyg_opendata_usage "
            "WHERE channel IN ('download', 'api') GROUP BY 1, 2"):
        counts.setdefault(month, [0, 0])[0 if channel == "download" else 1] += n
    rows = _table(soup, "usage_by_month")
    assert {r[0]: [int(r[1]), int(r[2])] for r in rows} == counts
    assert counts == {"2026-10": [2, 0], "2026-11": [0, 3], "2026-12": [1, 0]}

    # applications: received by month received, decisions by Beijing month decided
    rows = {r[0]: r[1:] for r in _table(soup, "applications_by_month")}
    (sep_received,), = q("SELECT count(*) FROM lyg_opendata_application "
                         "WHERE to_char(received_on,'YYYY-MM')='2026-09'")
    assert rows["2026-09"] == [str(sep_received), "1", "0", "1", "100"]
    assert rows["2026-10"] == ["1", "0", "1", "0", "0"]

    # objections: received by month raised, answered by month answered
    rows = {r[0]: r[1:] for r in _table(soup, "objections_by_month")}
    assert rows == {"2026-10": ["1", "0"], "2026-11": ["0", "1"]}
    # the count columns say what is counted: not 收到日期, the date an application was received
    for key, first in (("applications_by_month", "收到的申请"), ("objections_by_month", "收到的异议")):
        head = [th.get_text(strip=True) for th in
                soup.select_one(f'[data-series="{key}"]').select("thead th")]
        assert head[1] == first and "收到日期" not in head, head


def test_quality_series_equal_the_tables(app, world):
    """The quality distribution (newest score of each public dataset) and the score history
    (each month's mean and ratings), against the hand-made scores and a direct count; the
    chart plots the same numbers as the table."""
    import json
    soup = BeautifulSoup(app.get("/opendata/stats").body, "html.parser")
    newest = dict(q(
        f"SELECT s.rating, count(*) FROM lyg_opendata_quality_score s JOIN package p "
        f"ON p.id=s.package_id WHERE {PUBLIC} AND s.month=(SELECT max(month) FROM "
        f"lyg_opendata_quality_score t WHERE t.package_id=s.package_id) GROUP BY 1"))
    assert newest == {"excellent": 1, "bad": 1}
    rows = _table(soup, "quality_distribution")
    assert rows == [["优秀", "1"], ["良好", "0"], ["合格", "0"], ["待改进", "1"]]
    section = soup.select_one('[data-series="quality_distribution"]')
    fig = json.loads(section.select_one("[data-module-figures]")["data-module-figures"])
    assert fig["categories"] == ["优秀", "良好", "合格", "待改进"]
    assert fig["series"][0]["data"] == [1, 0, 0, 1]

    means = {m: round(float(v), 1) for m, v in q(
        f"SELECT s.month, avg(s.score) FROM lyg_opendata_quality_score s JOIN package p "
        f"ON p.id=s.package_id WHERE {PUBLIC} GROUP BY 1")}
    assert means == {"2026-10": 60.0, "2026-11": 65.0}     # (90 + 40) / 2; not the draft's 88
    rows = _table(soup, "quality_by_month")
    assert rows == [["2026-10", "60.0", "0", "0", "1", "0"],
                    ["2026-11", "65.0", "1", "0", "0", "1"]]
    head = [th.get_text(strip=True) for th in soup.select_one(
        '[data-series="quality_by_month"]').select("thead th")]
    assert head == ["月份", "平均分", "优秀", "良好", "合格", "待改进"]
    section = soup.select_one('[data-series="quality_by_month"]')
    fig = json.loads(section.select_one("[data-module-figures]")["data-module-figures"])
    assert fig["type"] == "line" and fig["categories"] == ["2026-10", "2026-11"]
    assert [s["data"] for s in fig["series"]] == [[60.0, 65.0]]   # the mean only


def test_each_series_has_a_chart_a_table_and_a_csv(app, world):
    body = app.get("/opendata/stats").body
    soup = BeautifulSoup(body, "html.parser")
    sections = soup.select("[data-series]")
    from ckanext.lyg_opendata.portal.stats import SERIES
    assert [s["data-series"] for s in sections] == list(SERIES)
    for section in sections:
        key = section["data-series"]
        chart = section.select_one('[data-module="lyg-stats-chart"]')
        assert chart is not None, key
        import json
        fig = json.loads(chart["data-module-figures"])
        table = _table(soup, key)
        assert fig["categories"] == [r[0] for r in table]
        assert section.select_one(f'a[href$="/opendata/stats/{key}.csv"]') is not None
        rows = _csv(app, key)
        assert rows[1:] == [[c if c != "–" else "" for c in r] for r in table], key
        assert rows[0] == [th.get_text(strip=True) for th in section.select("thead th")]
    # the chart library comes from the portal itself, never from another host
    scripts = [s.get("src", "") for s in soup.select("script[src]")]
    assert any("stats" in s for s in scripts), scripts
    assert all(s.startswith("/") and not s.startswith("//") for s in scripts), scripts
    assert app.get("/opendata/stats/nothing.csv", status=404)


def test_home_page_links_the_statistics_page(app, world):
    soup = BeautifulSoup(app.get("/").body, "html.parser")
    assert soup.select_one('a.lyg-stats-link[href="/opendata/stats"]') is not None


def test_no_restricted_or_personal_data(app, world):
    pages = [app.get("/opendata/stats").body] + [
        app.get(f"/opendata/stats/{k}.csv").body for k in (
            "datasets_by_month", "datasets_by_open_type", "datasets_by_subject_area",
            "datasets_by_agency", "usage_by_month", "applications_by_month",
            "objections_by_month", "quality_distribution", "quality_by_month")]
    for text in pages:
        for secret in ("未公开草稿数据集", "只有草稿的委办局", "隐藏机构数据集", "st-hidden",
                       SECRET_NAME, SECRET_MAIL, "10.9.8.7", "仅限科研"):
            assert secret not in text, secret
    # the cached copy holds nothing else either
    raw = str(figures.stats_cached())
    for secret in ("只有草稿的委办局", SECRET_NAME, SECRET_MAIL, "10.9.8.7"):
        assert secret not in raw


def test_figures_are_cached_until_refreshed(app, world, published_dataset, cli):
    first = figures.stats_cached()
    assert first["series"]["datasets_by_open_type"][0][1] == 1
    published_dataset(name="st-later", title="后来的数据集")
    assert figures.stats_cached() == first
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["lyg-opendata", "portal", "refresh-figures"])
    assert result.exit_code == 0, result.output
    assert figures.stats_cached()["series"]["datasets_by_open_type"][0][1] == 2


def test_the_computed_time_is_shown_in_beijing_time(app):
    import freezegun
    with freezegun.freeze_time("2026-11-28 20:00:00"):   # UTC: 04:00 on the 29th in Beijing
        figures.invalidate()
        body = app.get("/opendata/stats").body
    assert "2026年11月29日 04:00" in body and "UTC" not in BeautifulSoup(body, "html.parser").select_one(
        ".lyg-meta").get_text()
