"""The pages of data requests: user text shown as text, the empty search's offer with the
query filled in, the forms over HTTP, the dataset page listing its requests."""

import pytest

from tests.participation.conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EVIL = '<script>alert("x")</script>'


def _auth(user):
    return {"Authorization": user["token"]}


def test_user_text_is_escaped_everywhere(app, people, file_request):
    req = file_request(title="停车场 " + EVIL, description="说明 " + EVIL, purpose=EVIL)
    for url in ("/opendata/data-requests", f"/opendata/data-requests/{req['id']}"):
        body = app.get(url).body
        assert EVIL not in body and "&lt;script&gt;" in body, url


def test_empty_search_offers_a_request_with_the_query(app, people):
    body = app.get("/dataset/", query_string={"q": "不存在的数据xyz"}).body
    assert "lyg-request-offer" in body
    assert "/opendata/data-requests/new?q=" in body
    form = app.get("/opendata/data-requests/new", query_string={"q": "不存在的数据xyz"},
                   headers=_auth(people["registered"])).body
    assert 'value="不存在的数据xyz"' in form


def test_search_with_results_makes_no_offer(app, people, published_dataset):
    published_dataset(name="lyg-bus", title="公交线路")
    assert "lyg-request-offer" not in app.get("/dataset/", query_string={"q": "公交线路"}).body


def test_file_route_answer_through_the_forms(app, people, agency, published_dataset):
    ds = published_dataset(name="lyg-parking-open", title="公共停车场名录")
    response = app.post("/opendata/data-requests/new", data={
        "title": "公共停车场名录", "description": "需要全市公共停车场名称与地址。",
        "show_name": "false", "contact": "wang@example.org"},
        headers=_auth(people["registered"]), follow_redirects=False)
    assert response.status_code == 302
    rid = response.headers["Location"].rstrip("/").split("/")[-1]
    page = app.get(f"/opendata/data-requests/{rid}").body
    assert "wang@example.org" not in page and "注**" in page
    assert "lyg-request-route" not in page  # anonymous: no forms
    sup = app.get(f"/opendata/data-requests/{rid}", headers=_auth(people["supervisor"])).body
    assert "lyg-request-route" in sup and "wang@example.org" in sup
    app.post(f"/opendata/data-requests/{rid}/route", data={"organization": agency["name"]},
             headers=_auth(people["supervisor"]))
    editor_page = app.get(f"/opendata/data-requests/{rid}", headers=_auth(people["agency_editor"])).body
    assert "lyg-request-answer-form" in editor_page
    # a bad answer is a message on the page, not an error page
    bad = app.post(f"/opendata/data-requests/{rid}/answer", data={"answer": "opened"},
                   headers=_auth(people["agency_editor"]))
    assert bad.status_code == 200 and "lyg-request-answer-form" in bad.body
    app.post(f"/opendata/data-requests/{rid}/answer",
             data={"answer": "opened", "datasets": ds["name"], "text": "已开放。"},
             headers=_auth(people["agency_editor"]))
    assert act("lyg_opendata_data_request_show", None, id=rid)["status"] == "opened"
    dataset_page = app.get(f"/dataset/{ds['name']}").body
    assert "lyg-dataset-requests" in dataset_page and f"/opendata/data-requests/{rid}" in dataset_page


def test_support_button_and_unknown_pages(app, people, file_request):
    req = file_request()
    page = app.get(f"/opendata/data-requests/{req['id']}", headers=_auth(people["agency_admin"])).body
    assert "lyg-request-support" in page
    app.post(f"/opendata/data-requests/{req['id']}/support", headers=_auth(people["agency_admin"]))
    assert act("lyg_opendata_data_request_show", None, id=req["id"])["support_count"] == 1
    assert app.get("/opendata/data-requests/nope").status_code == 404
    assert app.post(f"/opendata/data-requests/{req['id']}/explode",
                    headers=_auth(people["agency_admin"])).status_code == 404
    assert app.get("/opendata/data-requests", query_string={"status": "weird"}).status_code == 200
    assert app.get("/opendata/data-requests", query_string={"organization": "nope"}).status_code == 200


def test_form_errors_show_whole_sentences(app, people):
    """A field's error reaches CKAN's form macros as a list (forms.field_errors): as a plain
    string it came out one character at a time."""
    from bs4 import BeautifulSoup
    page = app.post("/opendata/data-requests/new", data={"title": "", "description": "短"},
                    headers=_auth(people["registered"]), follow_redirects=False)
    assert page.status_code == 200
    errors = [e.get_text(strip=True) for e in BeautifulSoup(page.body, "html.parser").select(
        ".error-block, .error-inline, .invalid-feedback")]
    assert errors and all(", " not in e for e in errors), errors
