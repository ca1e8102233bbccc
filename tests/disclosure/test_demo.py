"""The demo portal has applications for disclosure (`ckan lyg-opendata demo load`): the
citizen's in several states, a letter answered 非本机关; loading twice adds nothing."""
import pytest

import ckan.model as model

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.disclosure.model import (
    DisclosureComplaint, DisclosureReportFigures, DisclosureRequest)
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def load(cli, pw_file):
    result = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_disclosure_applications(cli, tmp_path):
    output = load(cli, tmp_path / "pw")
    assert "disclosure +6" in output  # five applications and a complaint
    complaint = model.Session.query(DisclosureComplaint).one()
    assert complaint.status == "filed" and complaint.ground == "wrong_answer"
    figures = model.Session.query(DisclosureReportFigures).one()
    assert figures.figures["decisions.licensing"] == 1260
    rows = model.Session.query(DisclosureRequest).order_by(DisclosureRequest.number).all()
    assert sorted(r.status for r in rows) == ["answered", "answered", "answered",
                                               "correction_requested", "received"]
    assert {r.outcome for r in rows if r.outcome} == {"partial", "already_public", "not_held"}
    letter = [r for r in rows if r.channel == "letter"][0]
    assert letter.outcome == "not_held" and letter.holder_name == "连云港市统计局"
    assert letter.user_id is None and letter.registered_by == model.User.get("jtj-clerk").id
    # the proactive catalog: the seed's document list, published on the seed's dates
    assert "govinfo +164" in output
    entries = model.Session.query(GovInfo).all()
    assert len(entries) == 164 and {e.status for e in entries} == {"published"}
    rule = [e for e in entries if e.doc_number == "连政规发〔2019〕2号"][0]
    assert rule.kind == "normative" and "第一章 总则" in rule.body
    assert rule.published_on.isoformat() == "2019-11-08"
    assert {e.category for e in entries} >= {"leadership", "meetings", "personnel", "plans"}
    again = load(cli, tmp_path / "pw")
    assert "disclosure +0" in again and "govinfo +0" in again
    assert model.Session.query(DisclosureRequest).count() == 5
    assert model.Session.query(DisclosureComplaint).count() == 1
    assert model.Session.query(DisclosureReportFigures).count() == 1
    assert model.Session.query(GovInfo).count() == 164
