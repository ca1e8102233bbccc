"""The demo's data requests (``ckan lyg-opendata demo load`` with the demo users): taken
through the actions to the states demo.yaml names, supported, and not duplicated by a
second load."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.cli import lyg_opendata

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_demo_data_requests(cli, tmp_path):
    pw_file = tmp_path / "pw"
    first = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert first.exit_code == 0, first.output
    listed = tk.get_action("lyg_opendata_data_request_list")({"user": ""}, {"status": "all"})
    by_title = {r["title"]: r for r in listed["results"]}
    assert by_title["共享单车电子围栏停放点"]["status"] == "planned"
    assert by_title["共享单车电子围栏停放点"]["support_count"] == 3
    assert by_title["公交线路与站点"]["status"] == "opened"
    assert by_title["公交线路与站点"]["requester_name"] == "王晓明"
    assert by_title["主要河道实时水位"]["status"] == "assigned"
    assert by_title["全市公共充电桩位置与实时状态"]["status"] == "submitted"
    assert listed["results"][0]["title"] == "共享单车电子围栏停放点"  # most supported first
    second = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert second.exit_code == 0, second.output
    again = tk.get_action("lyg_opendata_data_request_list")({"user": ""}, {"status": "all"})
    assert again["count"] == 4
    assert {r["support_count"] for r in again["results"]} == {r["support_count"] for r in listed["results"]}
    # ratings (one answered by the agency) and suggestions (one answered by the operator),
    # each made through its action once, not again by the second load
    assert "ratings +5, suggestions +2, showcases +3" in first.output
    assert "ratings +0, suggestions +0, showcases +0" in second.output
    # the showcase of uses: two published (listed on their datasets), one waiting for review
    uses = tk.get_action("lyg_opendata_showcase_list")({"user": ""}, {"package_id": "lyg-parking-lots"})
    assert [u["title"] for u in uses["results"]] == ["港城停车诱导小程序"]
    assert tk.get_action("lyg_opendata_showcase_list")({"user": ""}, {})["count"] == 2
    assert tk.get_action("lyg_opendata_showcase_list")(
        {"user": "dsjj-reviewer"}, {"status": "submitted"})["count"] == 1
    parking = tk.get_action("lyg_opendata_rating_list")({"user": ""}, {"package_id": "lyg-parking-lots"})
    assert parking["summary"]["count"] == 2
    answered = [r for r in parking["results"] if r.get("answer_text")]
    assert len(answered) == 1 and "实时泊位" in answered[0]["answer_text"]
    mine = tk.get_action("lyg_opendata_suggestion_list")({"user": "xxzx-operator"}, {})
    assert sorted(r["status"] for r in mine["results"]) == ["answered", "submitted"]
