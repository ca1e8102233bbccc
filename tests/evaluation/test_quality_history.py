"""A dataset's quality score history: the scoring job stores a row each time a score
changes (never when it stays), the action ``lyg_opendata_quality_history`` answers whoever
may see the dataset (role allow/deny on a published and a draft dataset), with scores only —
no resource address even for conditional data —; the dataset page's panel shows the table
and the chart."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.evaluation import quality
from ckanext.lyg_opendata.evaluation.model import LinkCheck, QualityChange

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SECRET_URL = "http://127.0.0.1:9/secret-conditional.csv"


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


@pytest.fixture
def scored(people, published_dataset, create_dataset):
    """A conditional dataset scored three times: once, again unchanged, then with its link
    found reachable (a higher score). And a draft of the agency."""
    ds = published_dataset(name="qh-water", title="用水户", open_type="conditional",
                           open_conditions="仅限科研",
                           resources=[{"url": SECRET_URL, "format": "CSV"}])
    draft = create_dataset(name="qh-draft", title="草稿")
    quality.compute(today=dt.date(2026, 10, 5))
    quality.compute(today=dt.date(2026, 10, 6))
    model.Session.add(LinkCheck(resource_id=ds["resources"][0]["id"], url=SECRET_URL, ok=True,
                                status=200))
    model.repo.commit()
    quality.compute(today=dt.date(2026, 11, 2))
    return ds, draft


def test_a_row_when_the_score_changes_only(scored):
    ds, _draft = scored
    rows = model.Session.query(QualityChange).filter_by(package_id=ds["id"]).order_by(
        QualityChange.day).all()
    assert len(rows) == 2                               # the second run changed nothing
    assert rows[1].score - rows[0].score == 15          # downloads reachable: 15 points
    got = tk.get_action("lyg_opendata_quality_history")(ctx(None), {"id": "qh-water"})
    assert [c["score"] for c in got["changes"]] == [r.score for r in rows]
    assert [m["month"] for m in got["months"]] == ["2026-10", "2026-11"]
    assert [c["day"] for c in got["changes"]] == ["2026-10-05", "2026-11-02"]
    # scores only: nothing of the resources of conditional data
    text = json.dumps(got)
    assert SECRET_URL not in text and "resource" not in text and "url" not in text


def test_who_may_read_the_history(people, scored):
    ds, draft = scored
    # a draft: its agency (and sysadmins), as package_show decides; not yet the reviewers
    may_see_draft = {"agency_editor", "agency_admin", "sysadmin"}
    for role in ROLES:
        for dataset, allowed in ((ds, set(ROLES)), (draft, may_see_draft)):
            try:
                tk.check_access("lyg_opendata_quality_history", ctx(people[role]),
                                {"id": dataset["id"]})
                got = True
            except tk.NotAuthorized:
                got = False
            assert got == (role in allowed), (dataset["name"], role)
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_quality_history")(ctx(people["registered"]),
                                                      {"id": draft["id"]})
    own = tk.get_action("lyg_opendata_quality_history")(ctx(people["agency_editor"]),
                                                        {"id": draft["id"]})
    assert own["changes"] == [] and own["months"] == []   # drafts are not scored


def test_bad_input(app, scored):
    action = tk.get_action("lyg_opendata_quality_history")
    for data in ({}, {"id": ""}, {"id": ["x"]}):
        with pytest.raises(tk.ValidationError) as e:
            action(ctx(None), data)
        assert set(e.value.error_dict) == {"id"}
    with pytest.raises(tk.ObjectNotFound):
        action(ctx(None), {"id": "nope"})
    app.get("/api/3/action/lyg_opendata_quality_history?id=nope", status=404)
    app.get("/api/3/action/lyg_opendata_quality_history", status=409)
    body = app.get("/api/3/action/lyg_opendata_quality_history?id=qh-water").json
    assert len(body["result"]["changes"]) == 2


def test_the_panel_shows_the_history(app, scored):
    ds, _draft = scored
    soup = BeautifulSoup(app.get("/dataset/qh-water").body, "html.parser")
    history = soup.select_one(".lyg-quality-history")
    rows = history.select("table.lyg-quality-changes tbody tr")
    scores = [r.score for r in model.Session.query(QualityChange).filter_by(
        package_id=ds["id"]).order_by(QualityChange.day.desc())]
    assert [int(tr.select("td")[1].get_text()) for tr in rows] == scores   # newest first
    chart = history.select_one(".lyg-quality-chart")
    figures = json.loads(chart["data-module-figures"])
    assert figures["series"][0]["data"] == scores[::-1]
    assert SECRET_URL not in str(history)
