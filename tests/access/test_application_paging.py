"""``lyg_opendata_application_list`` counts and pages in the database: a page is the right
slice of the whole order, with the total of everything that matches."""
import pytest

from tests.access.conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def three(apply, applicant):
    """Three applications of one applicant: two withdrawn, the newest open."""
    made = []
    for n in range(3):
        made.append(apply(purpose=f"用于公交线网优化研究第{n}期，分析高峰时段车辆运行规律。"))
        if n < 2:
            act("lyg_opendata_application_withdraw", applicant, id=made[-1]["id"])
    return made


def _ids(result):
    return [r["id"] for r in result["results"]]


def test_mine_pages_newest_first(applicant, three):
    first = act("lyg_opendata_application_list", applicant, limit=2)
    second = act("lyg_opendata_application_list", applicant, limit=2, offset=2)
    assert first["count"] == second["count"] == 3
    assert _ids(first) + _ids(second) == [a["id"] for a in reversed(three)]
    assert act("lyg_opendata_application_list", applicant, limit=1, offset=3)["results"] == []


@pytest.mark.parametrize("scope,who", [("all", "supervisor"), ("agency", "agency_editor")])
def test_queues_page_in_the_order_of_the_whole(scope, who, people, three):
    user = people[who]
    whole = act("lyg_opendata_application_list", user, scope=scope)
    assert whole["count"] == 3 and _ids(whole)[0] == three[2]["id"]  # the open one first
    pages = [act("lyg_opendata_application_list", user, scope=scope, limit=1, offset=n)
             for n in range(3)]
    assert [p["count"] for p in pages] == [3, 3, 3]
    assert sum((_ids(p) for p in pages), []) == _ids(whole)
    only_open = act("lyg_opendata_application_list", user, scope=scope, status="open", limit=5)
    assert only_open["count"] == 1 and _ids(only_open) == [three[2]["id"]]
    withdrawn = act("lyg_opendata_application_list", user, scope=scope, status="withdrawn",
                    limit=1, offset=1)
    assert withdrawn["count"] == 2 and len(withdrawn["results"]) == 1
