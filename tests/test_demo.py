"""`ckan lyg-opendata demo load` creates the demo portal through the action API, idempotently."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.demo import loader
from ckanext.lyg_opendata.cli import lyg_opendata

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_demo_load_creates_agencies_datasets_and_sysadmin(cli, tmp_path):
    pw_file = tmp_path / "admin-password"
    result = cli.invoke(lyg_opendata, ["demo", "load", "--admin", "demoadmin",
                                       "--admin-password-file", str(pw_file)])
    assert result.exit_code == 0, result.output
    data = loader.load_demo_data()
    assert f"datasets +{len(data['datasets'])}" in result.output
    assert model.User.get("demoadmin").sysadmin
    # demo agency clerk and the supervisor's reviewer
    assert model.User.get("dsjj-reviewer") is not None
    assert len(pw_file.read_text().strip()) >= 12

    orgs = tk.get_action("organization_list")({}, {"all_fields": True})
    titles = {o["title"] for o in orgs}
    assert {"市政府办公室", "市大数据管理局", "市信息中心", "市工业和信息化局",
            "市发展和改革委员会", "市交通运输局"} <= titles

    found = tk.get_action("package_search")({}, {"q": "停车"})
    assert "连云港市机动车停车场管理办法" in [r["title"] for r in found["results"]]

    # every open type and every update frequency is covered; entries in several review states
    everything = tk.get_action("package_search")(
        {"ignore_auth": True}, {"rows": 1000, "include_private": True})["results"]
    assert {d["open_type"] for d in everything} == {"unconditional", "conditional", "non_open"}
    assert {d["update_frequency"] for d in everything} == {
        "realtime", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual",
        "irregular", "never"}
    assert {d["review_status"] for d in everything} >= {"published", "pending", "returned"}
    public = tk.get_action("package_search")({}, {"rows": 1000})["results"]
    assert all(d["review_status"] == "published" and d["open_type"] != "non_open" for d in public)


def test_demo_load_twice_changes_nothing(cli, tmp_path):
    pw_file = tmp_path / "pw"
    first = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert first.exit_code == 0, first.output
    password = pw_file.read_text()
    count = tk.get_action("package_search")({}, {"rows": 0})["count"]

    second = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert second.exit_code == 0, second.output
    assert "organizations +0, users +0, datasets +0" in second.output
    assert pw_file.read_text() == password
    assert tk.get_action("package_search")({}, {"rows": 0})["count"] == count


def test_demo_load_synthetic_datasets(cli):
    result = cli.invoke(lyg_opendata, ["demo", "load", "--synthetic", "12"])
    assert result.exit_code == 0, result.output
    assert "synthetic +12" in result.output
    found = tk.get_action("package_search")({}, {"q": "合成数据", "rows": 0})
    assert found["count"] == 12


def test_demo_load_rejects_negative_synthetic(cli):
    result = cli.invoke(lyg_opendata, ["demo", "load", "--synthetic", "-1"])
    assert result.exit_code != 0
    assert "-1" in result.output
