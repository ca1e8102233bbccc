"""In a real browser (JavaScript on): the front end's own strings are Chinese, and the pages
of the public and of an agency's clerk show no English UI words in their visible text."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import i18n

from tests.i18n.test_pages import catalog_world, english_words  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PASSWORD = "Lyg-test-1234"


@pytest.fixture
def front_end(tmp_path, monkeypatch, live_server):
    """The live server with uploads on and the JavaScript catalogs built, as `ckan run`
    builds them at start."""
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    i18n.build_js_translations()
    return live_server


def login(page, base, user):
    db_user = model.User.get(user["name"])
    db_user.password = PASSWORD
    model.Session.commit()
    page.context.clear_cookies()
    page.goto(base + "/user/login")
    page.fill("#field-login", user["name"])
    page.fill("#field-password", PASSWORD)
    page.press("#field-password", "Enter")
    page.wait_for_url(lambda url: "/user/login" not in url)


def test_front_end_strings_are_chinese(front_end, page, catalog_world):
    base = front_end
    # the resource page's "show more" toggle is made by JavaScript
    pub = catalog_world["published"]
    page.goto(f"{base}/dataset/{pub['name']}/resource/{pub['resources'][0]['id']}")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.toggle-show").first.inner_text().strip() == "显示更多"

    clerk = catalog_world["people"]["agency_editor"]
    login(page, base, clerk)
    # the delete button of the dataset form asks through a JavaScript confirm dialog
    page.goto(f"{base}/dataset/edit/{catalog_world['draft']['name']}")
    page.wait_for_load_state("networkidle")
    page.locator("a.btn-danger[data-module=confirm-action]").click()
    dialog = page.locator(".modal.show")
    dialog.wait_for()
    assert dialog.locator(".modal-title").inner_text().strip() == "请确认"
    buttons = [b.strip() for b in dialog.locator("button").all_inner_texts() if b.strip()]
    assert "确认" in buttons and "取消" in buttons, buttons
    dialog.locator("button", has_text="取消").click()

    # the picture of the profile form: JavaScript's upload / link buttons
    page.goto(f"{base}/user/edit/{clerk['name']}")
    page.wait_for_load_state("networkidle")
    upload = page.locator(".image-upload, [data-module=image-upload]").first
    remove = upload.locator(".btn-remove-url")
    if remove.count():                       # a picture is set: its remove button first
        assert remove.first.inner_text().strip() == "移除"
        remove.first.click()
    text = upload.inner_text()
    assert "上传" in text and "链接" in text, text
    assert "Upload" not in text and "Link" not in text, text


def walk(w):
    org, pub, draft = w["agency"]["name"], w["published"], w["draft"]
    anonymous = [
        "/", "/dataset/", "/dataset/?tags=交通", f"/dataset/{pub['name']}",
        f"/dataset/{pub['name']}/resource/{pub['resources'][0]['id']}",
        "/organization/", f"/organization/{org}", f"/organization/{org}/open-list",
        "/group/", "/about", "/opendata/list", "/opendata/withdrawn",
        "/user/login", "/user/register",
    ]
    clerk = [
        "/dashboard/datasets", "/opendata/my-submissions", "/dataset/new",
        f"/dataset/edit/{draft['name']}", f"/dataset/{draft['name']}",
        f"/dataset/{draft['name']}/resource/new",
        f"/organization/{org}/open-list", f"/opendata/overdue?organization={org}",
        f"/user/{w['people']['agency_editor']['name']}",
        f"/user/edit/{w['people']['agency_editor']['name']}",
    ]
    return [(p, "anonymous") for p in anonymous] + [(p, "agency_editor") for p in clerk]


def test_walk_shows_no_english_ui_words(front_end, page, catalog_world):
    """Visible text after the JavaScript ran (what a person reads), anonymous then as the
    agency's clerk; a failure lists each page with its English words."""
    base = front_end
    failures = []
    logged_in = False
    for path, who in walk(catalog_world):
        if who == "agency_editor" and not logged_in:
            login(page, base, catalog_world["people"]["agency_editor"])
            logged_in = True
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if response is None or response.status != 200:
            failures.append(f"{path} ({who}): HTTP {response and response.status}")
            continue
        words = [w for w in english_words(page.inner_text("body"), catalog_world["data"])
                 if w not in catalog_world["codes"]]
        if words:
            failures.append(f"{path} ({who}): {', '.join(words)}")
    assert not failures, "English UI words in the browser:\n  " + "\n  ".join(failures)
