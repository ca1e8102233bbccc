"""The header per role, the workbench, dataset and resource pages of each open type, error
pages, sharing, slugs and the application form's traps (issue 15, points 2-4 and 8)."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk

from tests.access.conftest import (  # noqa: F401 (fixtures)
    applicant, cond_dataset, form_data, headers)
from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PUBLIC_NAV = ["数据目录", "数据领域", "数据开放主体", "开放清单", "数据接口", "关于"]
SECTIONS = {"anonymous": None, "registered": ["own"], "other_agency_editor": ["agency", "own"],
            "agency_editor": ["agency", "own"], "agency_admin": ["agency", "own"],
            "supervisor": ["supervisor", "own"], "sysadmin": ["supervisor", "own", "sysadmin"]}


def _soup(resp):
    return BeautifulSoup(resp.body, "html.parser")


def _get(app, path, user=None, **kw):
    return app.get(path, headers={"Authorization": user["token"]} if user else {}, **kw)


def test_header_has_six_public_items_and_one_workbench_menu_per_role(app, people):
    for role in ROLES:
        soup = _soup(_get(app, "/dataset/", people[role]))
        items = [li.get_text(" ", strip=True) for li in soup.select(".masthead .navbar-nav > li")]
        assert items == PUBLIC_NAV, (role, items)
        menu = soup.select_one(".lyg-workbench-menu")
        if role == "anonymous":
            assert menu is None
            continue
        headers_ = [h.get_text(strip=True) for h in menu.select(".dropdown-header")]
        assert len(headers_) == len(SECTIONS[role]), (role, headers_)
        workbench = _soup(_get(app, "/opendata/workbench", people[role]))
        assert [s["data-section"] for s in workbench.select("[data-section]")] == SECTIONS[role], role


def test_workbench_counts_what_waits(app, people, create_dataset, sysadmin):
    ds = create_dataset(name="wb-pending", title="待审核的数据集")
    tk.get_action("lyg_opendata_review_submit")({"user": sysadmin["name"]},
                                                {"id": ds["id"], "desensitized": True})
    soup = _soup(_get(app, "/opendata/workbench", people["supervisor"]))
    review = soup.select_one('.lyg-workbench a[href$="/opendata/review"]').find_parent("li")
    assert review.select_one("[data-count]")["data-count"] == "1"
    # the header's badge sums the items waiting
    assert int(soup.select_one("#lyg-workbench-toggle .lyg-badge").get_text()) >= 1


def test_anonymous_workbench_asks_to_log_in(app):
    resp = app.get("/opendata/workbench", follow_redirects=False)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]


def test_login_lands_on_the_workbench():
    assert tk.config.get("ckan.auth.route_after_login") == "lyg_opendata_portal.workbench"


def test_no_gravatar_and_no_third_party_addresses(app, people):
    body = _get(app, f"/user/{people['registered']['name']}", people["registered"]).body
    assert "gravatar" not in body.lower() and "lyg-avatar" in body
    for role in ("anonymous", "sysadmin"):
        html = _get(app, "/", people[role]).body
        srcs = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert not [s for s in srcs if not s.startswith(tk.config.get("ckan.site_url"))
                    and "beian.miit.gov.cn" not in s], srcs


def test_dataset_page_of_conditional_data(app, cond_dataset):
    soup = _soup(app.get("/dataset/bus-gps"))
    text = soup.get_text(" ")
    assert "开放条件" in text and "仅限交通规划研究使用" in text
    assert "od_80x15_blue" not in str(soup) and "opendefinition.org" not in str(soup)
    assert soup.select_one(".license") is None  # no CC BY licence block
    assert len(soup.select(".lyg-login-to-apply, .lyg-apply")) == 1
    assert not soup.select('a[href*="facebook.com"], a[href*="twitter.com"], a[href*="x.com"]')
    # no empty metadata row
    for td in soup.select("td.dataset-details"):
        assert td.get_text(strip=True), td.find_previous("th").get_text()
    assert soup.select_one('.lyg-share img[src*="/opendata/share-qr.svg"]') is not None


def test_dataset_page_of_open_data_keeps_its_licence(app, published_dataset):
    published_dataset(name="open-bus", title="公交线路")
    soup = _soup(app.get("/dataset/open-bus"))
    assert soup.select_one(".license") is not None and "od_80x15_blue" not in str(soup)


def test_resource_page_shows_no_internal_field(app, cond_dataset):
    res = cond_dataset["resources"][0]
    body = app.get(f"/dataset/bus-gps/resource/{res['id']}").body
    assert "Lyg redacted" not in body and "lyg_redacted" not in body


def test_resource_page_shares_without_third_parties(app, cond_dataset):
    res = cond_dataset["resources"][0]
    soup = _soup(app.get(f"/dataset/bus-gps/resource/{res['id']}"))
    assert not soup.select('a[href*="facebook.com"], a[href*="twitter.com"], a[href*="x.com"]')
    qr = soup.select_one('.lyg-share img[src*="/opendata/share-qr.svg"]')
    assert qr is not None and res["id"] in qr["src"]


def test_refused_download_of_conditional_data_leads_to_the_application(app, cond_dataset):
    res = cond_dataset["resources"][0]
    resp = app.get(f"/dataset/bus-gps/resource/{res['id']}/download")
    assert resp.status_code == 403
    soup = _soup(resp)
    assert soup.select_one("h1").get_text(strip=True) == "无权访问此页面"
    assert soup.select_one('a[href$="/dataset/bus-gps/apply"]') is not None


def test_not_found_page_is_chinese_with_a_way_forward(app):
    resp = app.get("/dataset/no-such-dataset-here")
    assert resp.status_code == 404
    soup = _soup(resp)
    assert "页面不存在" in soup.get_text() or "未找到" in soup.get_text()
    assert soup.select_one('#error-content a[href="/"]') is not None


def test_share_qr_is_made_locally_for_own_links_only(app):
    site = tk.config.get("ckan.site_url")
    resp = app.get("/opendata/share-qr.svg", query_string={"url": site + "/dataset/x"})
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("image/svg+xml")
    # a standalone SVG image: without its namespace browsers draw nothing (a broken image)
    assert resp.body.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert app.get("/opendata/share-qr.svg", query_string={"url": "https://evil.example/"}
                   ).status_code == 400


def test_slug_from_a_chinese_title_is_pinyin(app):
    assert app.get("/opendata/slug", query_string={"title": "连云港市公交线路"}).json == {
        "slug": "lian-yun-gang-shi-gong-jiao-xian-lu"}
    assert app.get("/opendata/slug", query_string={"title": "GDP（季度）2024"}).json["slug"] == \
        "gdp-ji-du-2024"


def test_new_dataset_last_step_says_save_draft(app, sysadmin, create_dataset):
    ds = create_dataset(name="draft-stage", title="草稿", state="draft")
    body = _get(app, f"/dataset/{ds['name']}/resource/new", sysadmin).body
    assert "保存草稿" in body


def test_application_form_keeps_the_consent_boxes_after_a_field_error(app, cond_dataset, applicant):
    data = form_data(cond_dataset, contact_phone="123")
    data.pop("package_id")
    data["resource_scope"] = "all" if data.pop("resource_ids") == "all" else "some"
    data["accept_conditions"] = data["accept_privacy"] = "true"
    resp = app.post("/dataset/bus-gps/apply", data=data, headers=headers(applicant))
    assert resp.status_code == 400
    soup = _soup(resp)
    assert soup.select_one("#accept-conditions").has_attr("checked")
    assert soup.select_one("#accept-privacy").has_attr("checked")


def test_facet_links_are_labelled_in_chinese(app, published_dataset):
    published_dataset(name="facet-bus", title="公交线路", update_frequency="monthly")
    soup = _soup(app.get("/dataset/"))
    labels = [a["aria-label"] for a in soup.select(".nav-facet a[aria-label]")]
    assert labels and not [lbl for lbl in labels if "update_frequency" in lbl or "open_type" in lbl
                           or "organization" in lbl], labels
    assert any("更新频度" in lbl for lbl in labels), labels


def test_activity_type_filter_is_in_chinese(app, published_dataset, sysadmin):
    published_dataset(name="act-bus", title="公交线路")
    body = _get(app, "/dataset/activity/act-bus", sysadmin).body
    soup = _soup(app.get("/dataset/activity/act-bus", headers={"Authorization": sysadmin["token"]}))
    options = [o.get_text(strip=True) for o in soup.select("#activity_types_filter_select option")]
    assert "新建数据集" in options and "修改数据集" in options, options
    assert "New Package" not in body and "Changed Package" not in body


def test_workbench_counts_data_requests_for_supervisors_agencies_and_requesters(app, people, agency):
    ctx = {"user": people["registered"]["name"]}
    req = tk.get_action("lyg_opendata_data_request_create")(ctx, {
        "title": "公共充电桩实时状态", "description": "需要全市公共充电桩的位置和实时空闲状态。"})

    def count(role, path):
        soup = _soup(_get(app, "/opendata/workbench", people[role]))
        link = soup.select_one(f'.lyg-workbench a[href*="{path}"]')
        badge = link.find_parent("li").select_one("[data-count]")  # no badge: nothing waits
        return int(badge["data-count"]) if badge else 0
    assert count("supervisor", "/opendata/data-requests?status=submitted") == 1
    tk.get_action("lyg_opendata_data_request_route")({"user": people["supervisor"]["name"]}, {
        "id": req["id"], "organization": agency["name"]})
    assert count("supervisor", "/opendata/data-requests?status=submitted") == 0
    assert count("agency_editor", "/opendata/data-requests?status=assigned") == 1
    assert count("registered", "/opendata/data-requests?mine=1") == 0


def test_organisations_have_local_emblems_and_the_measures_words(app, people, agency, sysadmin):
    """The agencies' list and page show a local emblem (two characters of the agency's name on
    a colour of its own) instead of CKAN's grey placeholder picture, an uploaded picture where
    there is one, and the sidebar explains a data-opening body in the Measures' words."""
    tk.get_action("organization_patch")({"user": sysadmin["name"]}, {
        "id": agency["id"], "title": "市发展和改革委员会", "image_url": ""})
    tk.get_action("organization_patch")({"user": sysadmin["name"]}, {
        "id": "lyg-other-agency", "image_url": "http://127.0.0.1/logo.png"})
    tk.get_action("organization_patch")({"user": sysadmin["name"]}, {  # factories give a logo
        "id": tk.config["ckanext.lyg_opendata.supervisor_org"], "image_url": ""})
    soup = _soup(_get(app, "/organization/"))
    assert "placeholder-organization" not in str(soup)
    # the cards in portal.css's grid, not placed by CKAN's masonry script (uneven widths)
    grid = soup.select_one("ul.media-grid")
    assert grid.select(".lyg-org-emblem") and grid.get("data-module") is None
    emblems = {e["aria-label"]: e.get_text(strip=True) for e in soup.select(".lyg-org-emblem")}
    assert emblems["市发展和改革委员会"] == "发改"
    assert emblems["市大数据管理局"] == "大数据"
    # a picture on another website would be blocked by the CSP (a broken image): the emblem
    assert emblems["市统计局"] == "统计"
    assert "127.0.0.1/logo.png" not in str(soup) and not soup.select('img.lyg-org-image[alt="市统计局"]')
    tk.get_action("organization_patch")({"user": sysadmin["name"]}, {  # an uploaded picture
        "id": "lyg-other-agency", "image_url": "2026-11-29-logo.png"})
    local = _soup(_get(app, "/organization/")).select_one('img.lyg-org-image[alt="市统计局"]')
    assert local["src"].startswith(tk.config["ckan.site_url"] + "/")
    assert local["src"].endswith("/2026-11-29-logo.png")
    helper = soup.select_one(".lyg-org-helper").get_text(" ", strip=True)
    assert "CKAN" not in helper and "第三条" in helper
    page = _soup(_get(app, f"/organization/{agency['name']}"))
    assert page.select_one("#organization-info .lyg-org-emblem").get_text(strip=True) == "发改"
    assert "placeholder-organization" not in str(page)


@pytest.mark.parametrize("title, short", [
    ("市交通运输局", "交通"), ("连云港市统计局", "统计"), ("市信息中心", "信息"),
    ("市工业和信息化局", "工信"), ("市政府办公室", "政府"), ("Port Authority", "PA"), ("", "?"),
])
def test_organisation_emblem_words(title, short):
    from ckanext.lyg_opendata.portal.helpers import lyg_opendata_org_emblem
    html = str(lyg_opendata_org_emblem({"title": title, "name": ""}))
    assert f'<span class="lyg-org-emblem-text">{short}</span>' in html


@pytest.mark.parametrize("image, local", [
    ("/uploads/group/logo.png", True), ("http://test.lyg-opendata.invalid/uploads/group/a.png", True),
    ("https://cdn.example.com/a.png", False), ("//cdn.example.com/a.png", False),
    ("http://test.lyg-opendata.invalid.example.com/a.png", False),
])
def test_organisation_pictures_elsewhere_fall_back_to_the_emblem(image, local):
    from ckanext.lyg_opendata.portal.helpers import lyg_opendata_org_emblem
    html = str(lyg_opendata_org_emblem({"title": "市统计局", "image_display_url": image}))
    assert ('<img src=' in html) is local and ("lyg-org-emblem-text" in html) is not local
