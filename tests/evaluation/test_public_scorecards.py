"""The public scorecard: anybody sees each agency with only the figures the platform chose to
publish (ckanext.lyg_opendata.scorecards.public_figures), equal to the full scorecards' values;
the rest stays with supervisors and agencies."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.evaluation import scorecards

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
YEAR = 2026


def test_everybody_may_read_it(people):
    for role in ROLES:
        user = people[role]
        tk.check_access("lyg_opendata_scorecard_public",
                        {"user": user["name"] if user else "", "model": model}, {})


def test_only_the_published_figures_equal_to_the_full_cards(app, people, agency,
                                                            published_dataset):
    published_dataset(name="ps-bus", title="公交线路")
    got = tk.get_action("lyg_opendata_scorecard_public")({"user": ""}, {"year": YEAR})
    default = ["datasets_unconditional", "datasets_conditional", "open_list_complete_share",
               "freshness_on_time_share", "applications_in_time_share",
               "applications_median_workdays", "objections_in_time_share", "downloads",
               "api_calls", "ratings_average", "score"]
    assert got["figures"] == default and got["ranked"] is True
    full = {c["name"]: c for c in scorecards.compute(YEAR)}
    for card in got["cards"]:
        assert set(card) == {"name", "title", "rank", *default}
        for f in default + ["rank"]:
            assert card[f] == full[card["name"]][f], f
    mine = next(c for c in got["cards"] if c["name"] == agency["name"])
    assert mine["datasets_unconditional"] == 1
    soup = BeautifulSoup(app.get(f"/opendata/scorecards/public?year={YEAR}").body,
                         "html.parser")
    heads = [th["data-figure"] for th in soup.select(".lyg-public-scorecards th[data-figure]")]
    assert heads == default
    row = soup.select_one(f'.lyg-public-scorecards tr[data-agency="{agency["name"]}"]')
    assert row.select_one('[data-figure="datasets_unconditional"]').get_text() == "1"
    assert soup.select_one('[data-figure="applications_overdue"]') is None
    app.get("/opendata/scorecards/public?year=abc", status=400)
    with pytest.raises(tk.ValidationError) as e:
        tk.get_action("lyg_opendata_scorecard_public")({"user": ""}, {"year": "abc"})
    assert set(e.value.error_dict) == {"year"}


@pytest.mark.ckan_config("ckanext.lyg_opendata.scorecards.public_figures",
                         "datasets_unconditional no_such_figure")
def test_the_platform_chooses_the_figures(people, agency):
    got = tk.get_action("lyg_opendata_scorecard_public")({"user": ""}, {"year": YEAR})
    assert got["figures"] == ["datasets_unconditional"] and got["ranked"] is False
    assert all(set(c) == {"name", "title", "rank", "datasets_unconditional"}
               and c["rank"] is None for c in got["cards"])
