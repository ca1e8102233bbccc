"""The demo portal has applications for disclosure (`ckan lyg-opendata demo load`): the
citizen's in several states, a letter answered 非本机关; loading twice adds nothing."""
import pytest

import ckan.model as model

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def load(cli, pw_file):
    result = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_disclosure_applications(cli, tmp_path):
    output = load(cli, tmp_path / "pw")
    assert "disclosure +5" in output
    rows = model.Session.query(DisclosureRequest).order_by(DisclosureRequest.number).all()
    assert sorted(r.status for r in rows) == ["answered", "answered", "answered",
                                               "correction_requested", "received"]
    assert {r.outcome for r in rows if r.outcome} == {"partial", "already_public", "not_held"}
    letter = [r for r in rows if r.channel == "letter"][0]
    assert letter.outcome == "not_held" and letter.holder_name == "连云港市统计局"
    assert letter.user_id is None and letter.registered_by == model.User.get("jtj-clerk").id
    assert "disclosure +0" in load(cli, tmp_path / "pw")
    assert model.Session.query(DisclosureRequest).count() == 5
