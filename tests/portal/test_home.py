"""The home page: figures computed from the database (and cached in Redis), browse by
subject area and by agency, newest datasets and notices; configurable without templates."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.portal import figures

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _figure(soup, key) -> int:
    return int(soup.select_one(f'[data-figure="{key}"] .lyg-figure-value').get_text().strip())


def test_figures_equal_database_counts(app, published_dataset, create_dataset, sysadmin):
    published_dataset(name="h-open", title="公交线路", subject_areas=["transport"],
                      resources=[{"name": "表", "url": "http://example.invalid/a.csv", "format": "CSV"}])
    published_dataset(name="h-cond", title="用水户", open_type="conditional",
                      open_conditions="仅限科研", subject_areas=["transport", "environment"])
    create_dataset(name="h-draft", title="草稿数据集", subject_areas=["transport"])  # not public
    figures.invalidate()
    soup = BeautifulSoup(app.get("/").body, "html.parser")

    import sqlalchemy as sa
    q = lambda sql: model.Session.execute(sa.text(sql)).scalar()  # noqa: E731
    public = ("state='active' AND NOT private AND type='dataset' "
              "AND extras->>'review_status'='published'")
    assert _figure(soup, "datasets") == q(f"SELECT count(*) FROM package WHERE {public}") == 2
    assert _figure(soup, "open_type_conditional") == q(
        f"SELECT count(*) FROM package WHERE {public} AND extras->>'open_type'='conditional'") == 1
    assert _figure(soup, "resources") == q(
        "SELECT count(*) FROM resource r JOIN package p ON p.id=r.package_id "
        "WHERE r.state='active' AND p.state='active' AND NOT p.private AND p.type='dataset' "
        "AND p.extras->>'review_status'='published'") == 1
    assert _figure(soup, "agencies") == 1
    # subject areas: counts of public datasets only (the draft is not counted)
    transport = soup.select_one('[data-subject="transport"] .lyg-count').get_text()
    assert re.search(r"\b2\b", transport), transport
    assert len(soup.select(".lyg-subjects [data-subject]")) == 16


def test_figures_are_cached_in_redis_until_refreshed(app, cli, published_dataset):
    figures.invalidate()
    assert figures.cached()["datasets"] == 0
    published_dataset(name="h-later", title="后来发布的数据集")
    # the cached copy is served until the job (or the TTL) refreshes it
    assert figures.cached()["datasets"] == 0
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["lyg-opendata", "portal", "refresh-figures"])
    assert result.exit_code == 0, result.output
    assert "datasets 1" in result.output
    assert figures.cached()["datasets"] == 1


def test_home_page_has_no_ckan_placeholders(app):
    body = app.get("/").body
    for text in ("欢迎來到CKAN", "我们还没有写好文案", "这是一个特殊的区段", "placeholder-420x220",
                 "ckan-footer-logo", "od_80x15_blue", "docs.ckan.org", "ckan.org"):
        assert text not in body, text
    soup = BeautifulSoup(body, "html.parser")
    assert soup.select_one("form[role=search] input[name=q]") is not None
    assert soup.select(".lyg-examples a")
    assert "连云港市公共数据开放平台" in soup.select_one(".lyg-brand").get_text()


def test_home_page_texts_come_from_config(app, sysadmin):
    # what a sysadmin saves on /ckan-admin/config (config_option_update)
    tk.get_action("config_option_update")({"user": sysadmin["name"]}, {
        "ckan.site_intro_text": "欢迎使用本市公共数据。",
        "ckanext.lyg_opendata.home.news": "2026-11-20 | 平台上线数据接口说明 | /opendata/developer",
        "ckanext.lyg_opendata.site.icp": "苏ICP备00000000号"})
    body = app.get("/").body
    assert "欢迎使用本市公共数据。" in body
    assert "平台上线数据接口说明" in body
    assert "苏ICP备00000000号" in body
    assert "市大数据管理局" in body and "市信息中心" in body


def test_sysadmin_edits_footer_options_on_the_config_page(app, sysadmin):
    tk.get_action("config_option_update")(
        {"user": sysadmin["name"]}, {"ckanext.lyg_opendata.site.site_code": "3207000001"})
    assert "3207000001" in app.get("/").body


def test_withdrawal_is_a_notice_on_the_home_page(app, published_dataset, sysadmin):
    ds = published_dataset(name="h-wd", title="撤回的数据集")
    tk.get_action("lyg_opendata_review_withdraw")(
        {"user": sysadmin["name"]}, {"id": ds["id"], "reason": "数据有误，核实中"})
    soup = BeautifulSoup(app.get("/").body, "html.parser")
    notices = soup.select_one("#lyg-notices-title").find_parent("section").get_text()
    assert "撤回的数据集" in notices


def test_subject_areas_page_is_not_empty(app, published_dataset):
    published_dataset(name="h-s", title="道路数据", subject_areas=["transport"])
    figures.invalidate()
    soup = BeautifulSoup(app.get("/opendata/subjects").body, "html.parser")
    assert len(soup.select("[data-subject]")) == 16
    link = soup.select_one('[data-subject="transport"]')["href"]
    result = BeautifulSoup(app.get(link).body, "html.parser")
    assert "道路数据" in result.get_text()


def test_sysadmin_saves_home_and_footer_on_the_config_form(app, sysadmin):
    """/ckan-admin/config has the portal's fields; saving the form changes the pages."""
    env = {"Authorization": tk.get_action("api_token_create")(
        {"user": sysadmin["name"]}, {"user": sysadmin["name"], "name": "cfg"})["token"]}
    form = BeautifulSoup(app.get("/ckan-admin/config", headers=env).body, "html.parser")
    for key in ("ckanext.lyg_opendata.home.example_queries", "ckanext.lyg_opendata.home.news",
                "ckanext.lyg_opendata.site.organizer", "ckanext.lyg_opendata.site.icp"):
        assert form.select_one(f'[name="{key}"]') is not None, key
    data = {field["name"]: field.get("value") or field.get_text()
            for field in form.select("#admin-config-form input[name], #admin-config-form textarea[name]")
            if field.get("type") not in ("file", "checkbox")}
    data.update({"ckanext.lyg_opendata.home.example_queries": "地铁 学校",
                 "ckanext.lyg_opendata.home.news": "2026-11-28 | 表单保存的公告 <b>注意</b> |",
                 "ckanext.lyg_opendata.site.organizer": "连云港市数据局", "save": ""})
    resp = app.post("/ckan-admin/config", data=data, headers=env, follow_redirects=False)
    assert resp.status_code == 302
    home = app.get("/").body
    soup = BeautifulSoup(home, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(".lyg-examples a")] == ["地铁", "学校"]
    assert "表单保存的公告 &lt;b&gt;注意&lt;/b&gt;" in home and "<b>注意</b>" not in home
    assert "连云港市数据局" in home


def test_header_sign_up_link_keeps_cores_word(app):
    """A workflow's own "register" (录入 a letter) must not take over core's 注册 (sign up)."""
    soup = BeautifulSoup(app.get("/").body, "html.parser")
    link = soup.select_one('a[href$="/user/register"]')
    assert link is not None and link.get_text(strip=True) == "注册"
