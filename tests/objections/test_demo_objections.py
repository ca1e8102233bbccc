"""The demo portal shows objections (`ckan lyg-opendata demo load`, make run): a citizen's
objections in every state a visitor should see (核实中 with the marker on the dataset and in
search, answered "corrected" with its public answer, rejected, waiting), and a report; loading
twice adds nothing."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.objections.model import Objection, ObjectionEvent, Report

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

MARKER = "有异议，核实中"


def load(cli, pw_file):
    result = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert result.exit_code == 0, result.output
    return result.output


def by_dataset():
    rows = model.Session.query(Objection).all()
    return {model.Session.get(model.Package, o.package_id).name: o for o in rows}


def test_demo_objections_in_every_state_with_marker_and_facet(app, cli, tmp_path):
    output = load(cli, tmp_path / "pw")
    assert "objections +4" in output and "reports +1" in output

    citizen = model.User.get("lyg-citizen")
    assert citizen is not None and citizen.fullname == "王晓明"
    objections = by_dataset()
    assert {name: o.status for name, o in objections.items()} == {
        "lyg-statistics-population": "accepted",
        "lyg-parking-lots": "answered",
        "lyg-bus-routes": "rejected",
        "lyg-statistics-gdp": "submitted",
    }
    assert all(o.raised_by == citizen.id for o in objections.values())
    # through the actions: every step is in the timeline, by the agency's clerk
    corrected = objections["lyg-parking-lots"]
    events = model.Session.query(ObjectionEvent).filter(
        ObjectionEvent.objection_id == corrected.id).order_by(ObjectionEvent.created).all()
    assert [e.action for e in events] == ["raise", "accept", "answer"]
    assert events[-1].actor_id == model.User.get("jtj-clerk").id
    assert corrected.answer_outcome == "corrected" and corrected.answer_public
    assert corrected.answer_activity_id

    # the marker on the dataset under verification, not on the others
    page = app.get("/dataset/lyg-statistics-population").body
    assert MARKER in page and "数据错误" in page
    assert MARKER not in app.get("/dataset/lyg-statistics-gdp").body  # only raised
    assert MARKER not in app.get("/dataset/lyg-parking-lots").body  # answered

    # search: one dataset under objection, counted in the facet
    found = tk.get_action("package_search")({"user": ""}, {
        "fq": "under_objection:true", "facet.field": '["under_objection"]'})
    assert [d["name"] for d in found["results"]] == ["lyg-statistics-population"]
    everything = tk.get_action("package_search")({"user": ""}, {
        "facet.field": '["under_objection"]', "rows": 0})
    assert everything["facets"]["under_objection"] == {"true": 1}
    listing = app.get("/dataset/").body
    assert "under_objection=true" in listing and MARKER in listing

    # the corrected answer and the change behind it are public; the raiser is not
    body = app.get(f"/opendata/objections/{corrected.id}").body
    assert "已在数据集说明中补充名录的统计截止日期" in body and "已更正" in body
    assert "名录统计截至每月最后一日" in body  # the change (after)
    tab = app.get("/dataset/lyg-bus-routes/objections").body
    assert "不予受理" in tab
    for page in (body, tab, app.get("/dataset/lyg-statistics-population/objections").body):
        assert "王晓明" not in page and "lyg-citizen" not in page

    # the report goes to supervisors and the agency, never public
    report = model.Session.query(Report).one()
    assert report.reported_by == citizen.id and report.status == "submitted"
    assert report.organization_id == model.Group.get("lyg-jtj").id


def test_demo_objections_load_twice_adds_nothing(cli, tmp_path):
    load(cli, tmp_path / "pw")
    events = model.Session.query(ObjectionEvent).count()
    second = load(cli, tmp_path / "pw")
    assert "users +0" in second and "objections +0" in second and "reports +0" in second
    assert model.Session.query(Objection).count() == 4
    assert model.Session.query(Report).count() == 1
    assert model.Session.query(ObjectionEvent).count() == events


def test_demo_without_password_has_no_citizen_nor_objections(cli):
    result = cli.invoke(lyg_opendata, ["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "objections +0" in result.output
    assert model.User.get("lyg-citizen") is None
    assert model.Session.query(Objection).count() == 0
