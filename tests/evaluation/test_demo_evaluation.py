"""The demo's evaluation content (``ckan lyg-opendata demo load`` with the demo users): a
year of use counts on the statistics page (nothing written to the access log), two
rectification notices and last year's published evaluation report, not duplicated by a
second load."""
import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.portal import figures

from tests.audit.conftest import empty_log_tables

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _logged() -> int:
    return model.Session.execute(sa.text("SELECT coalesce(sum(count), 0) FROM lyg_opendata_usage")).scalar()


def _anonymous_access_log() -> int:
    return model.Session.execute(sa.text(
        "SELECT count(*) FROM lyg_opendata_access_log WHERE coalesce(user_id, '') = ''")).scalar()


def test_demo_shows_figures_over_time_and_notices(cli, tmp_path):
    # the access log outlives clean_db (append-only): emptied as the audit tests do (a
    # sealed day would keep the history out)
    empty_log_tables()
    pw_file = tmp_path / "pw"
    first = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert first.exit_code == 0, first.output
    added = _logged()
    usage = figures.stats_cached()["series"]["usage_by_month"]
    assert added > 300
    assert _anonymous_access_log() == 0  # the Art 21 log holds real use only
    assert len(usage) >= 12
    assert sum(r[1] for r in usage) > sum(r[2] for r in usage) > 0
    sup = {"user": "dsjj-reviewer"}
    rows = tk.get_action("lyg_opendata_rectification_list")(sup, {"status": "all"})
    assert sorted((r["organization_name"], r["status"], r["overdue"]) for r in rows) == [
        ("lyg-fgw", "issued", True), ("lyg-jtj", "responded", False)]
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    scored_first = model.Session.query(QualityScore).count()
    second = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert second.exit_code == 0, second.output
    assert _logged() == added
    assert len(tk.get_action("lyg_opendata_rectification_list")(sup, {"status": "all"})) == 2
    # last year's evaluation report, published once, with every demo agency ranked
    reports = tk.get_action("lyg_opendata_evaluation_report_list")({"user": ""}, {})
    assert [(r["status"], r["version"], r["current"]) for r in reports] == [
        ("published", 1, True)]
    report = tk.get_action("lyg_opendata_evaluation_report_show")({"user": ""}, {"id": reports[0]["id"]})
    assert "开放清单" in report["commentary"] and report["suggestions"]
    jtj = next(c for c in report["figures"]["cards"] if c["name"] == "lyg-jtj")
    assert jtj["quality_average"] is not None
    # quality scores of the published datasets, once; the search sorts by them
    scored = model.Session.query(QualityScore).count()
    assert scored == scored_first >= 10
    best = tk.get_action("package_search")({}, {"sort": "quality_score desc", "rows": 1})
    assert best["results"]
