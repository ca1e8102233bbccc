"""Ratings and comments (评价): one per user and dataset (editable), the average and count on
the page and in the index (search sorts by it), the word filter, hiding by supervisors with
a reason, the agency's public answer, the role matrix and bad input as field errors."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.participation import ratings_auth

from tests.conftest import ROLES
from tests.participation.conftest import act, ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EVIL = '<img src=x onerror="alert(1)">'


def rate(user, dataset, q=4, t=3, u=5, **kw):
    return act("lyg_opendata_rating_rate", user, package_id=dataset["name"], quality=q,
               timeliness=t, usability=u, **kw)


def test_one_rating_per_user_editable_and_the_summary(app, people, dataset):
    first = rate(people["registered"], dataset, comment="数据很全。")
    again = rate(people["registered"], dataset, q=2, t=2, u=2, comment="更新不及时。")
    assert again["id"] == first["id"] and again["scores"] == {"quality": 2, "timeliness": 2, "usability": 2}
    rate(people["agency_admin"], dataset, q=5, t=4, u=3)
    result = act("lyg_opendata_rating_list", None, package_id=dataset["id"])
    assert result["summary"]["count"] == 2
    assert result["summary"]["average"] == 3.0  # (2+2+2 + 5+4+3) / 6
    assert [d["average"] for d in result["summary"]["dimensions"]] == [3.5, 3.0, 2.5]
    assert result["mine"] is None
    page = app.get(f"/dataset/{dataset['name']}").body
    assert "lyg-rating-average" in page and ">3.0<" in page


def test_search_sorts_by_rating(people, dataset, published_dataset):
    other = published_dataset(name="lyg-bus-stops", title="公交站点")
    third = published_dataset(name="lyg-unrated", title="未评价的数据")
    rate(people["registered"], dataset, q=2, t=2, u=2)
    rate(people["registered"], other, q=5, t=5, u=4)
    found = tk.get_action("package_search")({}, {"sort": "rating_average desc", "rows": 10})
    names = [d["name"] for d in found["results"]]
    assert names[:2] == ["lyg-bus-stops", dataset["name"]] and names[-1] == third["name"]
    assert found["results"][0]["rating_average"] == 4.7 and found["results"][0]["rating_count"] == 1
    assert "rating_average" not in act("package_show", None, id=dataset["id"])


@pytest.mark.parametrize("data,field", [
    ({"quality": 0}, "quality"), ({"quality": 6}, "quality"), ({"quality": "很好"}, "quality"),
    ({"timeliness": 4.5}, "timeliness"), ({"usability": None}, "usability"),
    ({"usability": [3]}, "usability"), ({"comment": ["好"]}, "comment"),
    ({"comment": "x" * 2001}, "comment"), ({"package_id": ["lyg-bus-lines"]}, "package_id"),
])
def test_bad_ratings_are_field_errors(people, dataset, data, field):
    payload = {"package_id": dataset["name"], "quality": 4, "timeliness": 4, "usability": 4, **data}
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_rating_rate", people["registered"], **payload)
    assert field in e.value.error_dict


def test_drafts_cannot_be_rated_and_unknown_is_404(people, create_dataset):
    draft = create_dataset(name="lyg-draft")
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_rating_rate", people["sysadmin"], package_id=draft["name"],
            quality=3, timeliness=3, usability=3)
    assert "package_id" in e.value.error_dict
    with pytest.raises(tk.ObjectNotFound):
        act("lyg_opendata_rating_list", None, package_id="no-such-dataset")


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.blocked_words", "代开发票")
def test_comments_pass_the_word_filter(people, dataset):
    with pytest.raises(tk.ValidationError) as e:
        rate(people["registered"], dataset, comment="需要代开发票请联系。")
    assert "comment" in e.value.error_dict


def test_hide_with_a_reason_and_agency_answer(app, people, dataset):
    row = rate(people["registered"], dataset, comment="数据有误 " + EVIL)
    hidden = act("lyg_opendata_rating_hide", people["supervisor"], id=row["id"], reason="含有无关内容。")
    assert hidden["hidden"] and hidden["hidden_reason"] == "含有无关内容。"
    with pytest.raises(tk.ValidationError):
        act("lyg_opendata_rating_hide", people["supervisor"], id=row["id"], reason="再次屏蔽。")
    public = act("lyg_opendata_rating_list", None, package_id=dataset["id"])["results"][0]
    assert public["comment"] is None and public["hidden_reason"] is None and public["scores"]["quality"] == 4
    own = act("lyg_opendata_rating_list", people["registered"], package_id=dataset["id"])["results"][0]
    assert own["comment"].startswith("数据有误") and own["hidden_reason"] == "含有无关内容。"
    answered = act("lyg_opendata_rating_answer", people["agency_editor"], id=row["id"],
                   text="感谢反馈，已核对。" + EVIL)
    assert answered["answer_text"].startswith("感谢反馈")
    author = model.User.get(people["registered"]["name"])
    assert any(dataset["title"] in n.subject for n in notify.notices_for(author.id))
    body = app.get(f"/dataset/{dataset['name']}/ratings").body
    assert "感谢反馈，已核对。" in body and EVIL not in body and "数据有误" not in body
    mine = app.get(f"/dataset/{dataset['name']}/ratings",
                   headers={"Authorization": people["registered"]["token"]}).body
    assert "数据有误" in mine and EVIL not in mine and "&lt;img" in mine


def test_rate_through_the_form(app, people, dataset):
    headers = {"Authorization": people["registered"]["token"]}
    bad = app.post(f"/dataset/{dataset['name']}/ratings", data={"quality": "9"}, headers=headers)
    assert bad.status_code == 200 and "lyg-rating-form" in bad.body
    ok = app.post(f"/dataset/{dataset['name']}/ratings", headers=headers, follow_redirects=False,
                  data={"quality": "5", "timeliness": "4", "usability": "4", "comment": "好用"})
    assert ok.status_code == 302
    assert act("lyg_opendata_rating_list", None, package_id=dataset["id"])["summary"]["count"] == 1
    assert app.get(f"/dataset/{dataset['name']}/ratings", follow_redirects=False).status_code == 200
    assert app.post(f"/dataset/{dataset['name']}/ratings/nope/answer", headers=headers).status_code in (403, 404)


EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
MATRIX = [
    ("lyg_opendata_rating_rate", False, LOGGED_IN),
    ("lyg_opendata_rating_list", False, EVERYONE),
    ("lyg_opendata_rating_hide", True, {"supervisor", "sysadmin"}),
    ("lyg_opendata_rating_answer", True, {"agency_editor", "agency_admin", "sysadmin"}),
]


def test_every_rating_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == {n for n in ratings_auth.__all__ if "_rating_" in n}


@pytest.mark.parametrize("auth_name,needs_rating,allowed", MATRIX, ids=[m[0] for m in MATRIX])
def test_rating_permission_matrix(auth_name, needs_rating, allowed, people, dataset):
    data = {"package_id": dataset["id"]}
    if needs_rating:
        data = {"id": rate(people["registered"], dataset, comment="不错")["id"]}
    for role in ROLES:
        if role in allowed:
            assert helpers.call_auth(auth_name, ctx(people[role]), **data), (auth_name, role)
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(auth_name, ctx(people[role]), **data)
                pytest.fail(f"{auth_name} allowed {role}")
