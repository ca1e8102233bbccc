"""The yearly evaluation report (Art 37) through the action API and the pages: who may do
what (every auth function against every role), every transition from every state, the
figures frozen and equal to the scorecards and the tables, the suggestions generated from
the indicators, field-level errors, a published report that never changes (the action and
the database refuse it; a new version replaces it), escaping, the PDF with its Chinese font
embedded, the formula-safe XLSX, and the notices on publication."""
from __future__ import annotations

import datetime as dt
import io

import freezegun
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.evaluation import scorecards
from ckanext.lyg_opendata.evaluation.reports import action as report_actions
from ckanext.lyg_opendata.evaluation.reports import workflow as reports
from ckanext.lyg_opendata.evaluation.model import EvaluationReport, EvaluationReportEvent

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

YEAR = 2025
YEAR_END = dt.datetime(2025, 12, 31, 16)      # 2026-01-01 00:00 Beijing, naive UTC
IN_YEAR = "2025-06-02 02:00:00"                # when the crafted datasets are published
SUPERVISORS = {"supervisor", "sysadmin"}
EVERYONE = set(ROLES)
MATRIX = [
    ("lyg_opendata_evaluation_report_generate", SUPERVISORS, SUPERVISORS),
    ("lyg_opendata_evaluation_report_update", SUPERVISORS, SUPERVISORS),
    ("lyg_opendata_evaluation_report_publish", SUPERVISORS, SUPERVISORS),
    ("lyg_opendata_evaluation_report_discard", SUPERVISORS, SUPERVISORS),
    # (auth, allowed on a draft, allowed on a published report)
    ("lyg_opendata_evaluation_report_show", SUPERVISORS, EVERYONE),
    ("lyg_opendata_evaluation_report_list", EVERYONE, EVERYONE),
]


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


@pytest.fixture
def generate(people):
    # the report of a past year is taken as of its end: the organizations existed then
    model.Session.execute(sa.text('UPDATE "group" SET created = :d'),
                          {"d": dt.datetime(2025, 1, 2)})
    model.repo.commit()

    def run(**kwargs):
        data = {"year": YEAR}
        data.update(kwargs)
        return tk.get_action("lyg_opendata_evaluation_report_generate")(
            ctx(people["supervisor"]), data)
    return run


def _act(people, verb, report_id, **data):
    return tk.get_action(f"lyg_opendata_evaluation_report_{verb}")(
        ctx(people["supervisor"]), {"id": report_id, **data})


def _published(people, generate, commentary="本年度全市公共数据开放工作总体平稳。"):
    draft = generate()
    _act(people, "update", draft["id"], commentary=commentary)
    return _act(people, "publish", draft["id"])


def test_every_auth_function_is_in_the_matrix():
    assert {m[0] for m in MATRIX} == set(report_actions.__all__)


@pytest.mark.parametrize("auth_name,on_draft,on_published", MATRIX,
                         ids=[m[0].split("report_")[1] for m in MATRIX])
def test_permission_matrix(auth_name, on_draft, on_published, people, generate):
    draft = generate()
    published = _published(people, generate)
    for report, allowed in ((draft, on_draft), (published, on_published)):
        data = {"year": YEAR} if auth_name.endswith("generate") else {"id": report["id"]}
        for role in ROLES:
            try:
                tk.check_access(auth_name, ctx(people[role]), data)
                got = True
            except tk.NotAuthorized:
                got = False
            assert got == (role in allowed), (auth_name, report["status"], role)


def test_the_actions_refuse_whom_the_matrix_refuses(people, generate):
    draft = generate()
    for role in ("anonymous", "registered", "other_agency_editor", "agency_editor",
                 "agency_admin"):
        for verb, extra in (("update", {"commentary": "篡改"}), ("publish", {}),
                            ("discard", {}), ("show", {})):
            with pytest.raises(tk.NotAuthorized):
                tk.get_action(f"lyg_opendata_evaluation_report_{verb}")(
                    ctx(people[role]), {"id": draft["id"], **extra})
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("lyg_opendata_evaluation_report_generate")(
                ctx(people[role]), {"year": YEAR})
        # the public list holds no draft
        assert tk.get_action("lyg_opendata_evaluation_report_list")(ctx(people[role]), {}) == []
    row = model.Session.get(EvaluationReport, draft["id"])
    assert row.status == "draft" and row.commentary == ""
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("lyg_opendata_evaluation_report_show")(ctx(None), {"id": "nope"})


def test_the_transition_table_is_what_the_docs_say():
    assert {verb: (set(f), t) for verb, (f, t) in reports.TRANSITIONS.items()} == {
        "update": ({"draft"}, "draft"),
        "publish": ({"draft"}, "published"),
        "discard": ({"draft"}, "discarded"),
    }


@pytest.mark.parametrize("state", sorted(reports.STATUSES))
@pytest.mark.parametrize("verb", list(reports.TRANSITIONS))
def test_every_transition_from_every_state(verb, state, people, generate):
    report = generate()
    row = model.Session.get(EvaluationReport, report["id"])
    row.commentary = "评估意见"
    row.status = state
    model.repo.commit()
    froms, to = reports.TRANSITIONS[verb]
    data = {"commentary": "新的评估意见"} if verb == "update" else {}
    if state in froms:
        result = _act(people, verb, report["id"], **data)
        assert result["status"] == to
        assert result["events"][-1]["action"] == verb
    else:
        with pytest.raises(tk.ValidationError) as e:
            _act(people, verb, report["id"], **data)
        assert "status" in e.value.error_dict
    model.Session.remove()
    row = model.Session.get(EvaluationReport, report["id"])
    assert row.status == (to if state in froms else state)
    events = model.Session.query(EvaluationReportEvent).filter_by(report_id=report["id"]).count()
    assert events == (2 if state in froms else 1)


def test_the_figures_are_the_scorecards_and_the_tables_counts(people, generate,
                                                              published_dataset, agency):
    with freezegun.freeze_time(IN_YEAR, tick=True):
        published_dataset(name="rp-bus", title="公交线路")
        published_dataset(name="rp-parking", title="停车场", open_type="conditional",
                          open_conditions="仅限交通研究使用")
    report = generate()
    figures = report["figures"]
    assert figures["year"] == YEAR
    expected = scorecards.compute(YEAR, at=YEAR_END)
    assert [c["id"] for c in figures["cards"]] == [c["id"] for c in expected]
    for got, want in zip(figures["cards"], expected):
        for f in scorecards.FIGURES + ("rank",):
            assert got[f] == want[f], f
    p = figures["platform"]
    pkgs = model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.private.is_(False)).all()
    by_type = [pkg.extras.get("open_type") for pkg in pkgs
               if pkg.extras.get("review_status") == "published"]
    assert p["datasets_unconditional"] == by_type.count("unconditional") == 1
    assert p["datasets_conditional"] == by_type.count("conditional") == 1
    # the agency and the other agency; the supervising body is not evaluated
    assert p["agencies"] == 2
    assert p["staff_not_filed"] == 2
    mine = next(c for c in figures["cards"] if c["id"] == agency["id"])
    assert mine["datasets_unconditional"] == 1 and mine["datasets_conditional"] == 1
    # suggestions from the indicators: the other agency has published nothing, nobody filed
    text = "\n".join(report["suggestions"])
    assert "市统计局" in text
    # the agency's entries have no resource with a format: the open list is incomplete
    assert [s for s in report["suggestions"] if "市交通运输局" in s] == [
        s for s in report["suggestions"] if "市交通运输局" in s and "Art 11" in s and "0.0%" in s]
    assert any("Art 35" in s and s.startswith("2 ") for s in report["suggestions"])


def test_a_published_report_never_changes(people, generate, published_dataset):
    published = _published(people, generate)
    frozen = model.Session.get(EvaluationReport, published["id"])
    before = (frozen.title, frozen.commentary, dict(frozen.figures), list(frozen.suggestions))
    # the platform's figures change afterwards: the published report does not
    with freezegun.freeze_time(IN_YEAR, tick=True):
        published_dataset(name="rp-new", title="新发布的数据集")
    for verb, data in (("update", {"commentary": "修改已发布的报告"}), ("publish", {}),
                       ("discard", {})):
        with pytest.raises(tk.ValidationError) as e:
            _act(people, verb, published["id"], **data)
        assert "status" in e.value.error_dict
    # nor does the database let anything change it
    with pytest.raises(sa.exc.DBAPIError) as e:
        model.Session.execute(sa.text(
            "UPDATE lyg_opendata_evaluation_report SET commentary = 'x' WHERE id = :id"),
            {"id": published["id"]})
    assert "never changes" in str(e.value)
    model.Session.rollback()
    model.Session.remove()
    row = model.Session.get(EvaluationReport, published["id"])
    assert (row.title, row.commentary, dict(row.figures), list(row.suggestions)) == before
    assert row.figures["platform"]["datasets_unconditional"] == 0
    # a correction is a new version, which replaces the first in the public list
    second = generate()
    assert second["version"] == 2
    assert second["figures"]["platform"]["datasets_unconditional"] == 1
    _act(people, "update", second["id"], commentary="更正后的评估意见。")
    _act(people, "publish", second["id"])
    public = tk.get_action("lyg_opendata_evaluation_report_list")(ctx(None), {})
    assert [(r["version"], r["current"]) for r in public] == [(2, True), (1, False)]
    old = tk.get_action("lyg_opendata_evaluation_report_show")(ctx(None), {"id": published["id"]})
    assert old["replaced_by"] == second["id"] and old["commentary"] == before[1]


def test_field_errors(people, generate):
    generate_action = tk.get_action("lyg_opendata_evaluation_report_generate")
    sup = ctx(people["supervisor"])
    for data, field in (({}, "year"), ({"year": "二〇二五"}, "year"), ({"year": 1999}, "year"),
                        ({"year": 2999}, "year"), ({"year": YEAR, "title": "短"}, "title"),
                        ({"year": YEAR, "title": "x" * 201}, "title")):
        with pytest.raises(tk.ValidationError) as e:
            generate_action(sup, data)
        assert set(e.value.error_dict) == {field}, data
    draft = generate()
    for data, field in (({"suggestions": ["x" * 1001]}, "suggestions"),
                        ({"suggestions": [1, 2]}, "suggestions"),
                        ({"suggestions": ["建议"] * 61}, "suggestions"),
                        ({"title": ""}, "title"),
                        ({"commentary": "x" * 20001}, "commentary")):
        with pytest.raises(tk.ValidationError) as e:
            _act(people, "update", draft["id"], **data)
        assert set(e.value.error_dict) == {field}, data
    with pytest.raises(tk.ValidationError) as e:
        _act(people, "publish", draft["id"])
    assert set(e.value.error_dict) == {"commentary"}
    assert model.Session.get(EvaluationReport, draft["id"]).status == "draft"
    # one suggestion a line, blank lines dropped
    done = _act(people, "update", draft["id"], suggestions="第一条建议\n\n 第二条建议 \n")
    assert done["suggestions"] == ["第一条建议", "第二条建议"]


def test_publishing_notifies_every_evaluated_body(people, generate, agency):
    published = _published(people, generate)
    notices = notify.notices_for(people["agency_editor"]["id"])
    assert [n.link.endswith(published["id"]) for n in notices] == [True]
    assert "市交通运输局" in notices[0].body
    assert notify.notices_for(people["other_agency_editor"]["id"])
    assert notify.notices_for(people["sysadmin"]["id"])  # another supervisor
    assert not notify.notices_for(people["supervisor"]["id"])  # who published it
    assert not notify.notices_for(people["registered"]["id"])


def _env(user):
    return {"Authorization": user["token"]} if user else {}


def test_pages_pdf_and_xlsx(app, people, generate):
    draft = generate()
    _act(people, "update", draft["id"], commentary="<script>alert('x')</script>评估意见",
         suggestions=["=HYPERLINK(\"http://evil\")", "<b>加粗</b>"])
    base = f"/opendata/evaluation-reports/{draft['id']}"
    # the draft: supervisors only (pages, PDF, XLSX)
    for role in ("anonymous", "registered", "agency_admin"):
        for url in (base, base + "/report.pdf", base + "/figures.xlsx"):
            app.get(url, headers=_env(people[role]), status=403)
    page = app.get(base, headers=_env(people["supervisor"]))
    soup = BeautifulSoup(page.body, "html.parser")
    assert soup.select_one("form.lyg-report-edit") is not None
    assert "<script>alert" not in page.body and "&lt;script&gt;" in page.body
    listing = BeautifulSoup(app.get("/opendata/evaluation-reports").body, "html.parser")
    assert listing.select_one(".lyg-evaluation-reports [data-status]") is None
    app.post(base + "/publish", headers=_env(people["supervisor"]), data={})
    # published: everybody, no form
    page = app.get(base)
    soup = BeautifulSoup(page.body, "html.parser")
    assert soup.select_one("form.lyg-report-edit") is None
    # the state, not "published on" (the msgid "Published" reads 发布于 elsewhere)
    assert soup.select_one(".lyg-report-status").get_text(strip=True) == "已发布"
    assert "&lt;b&gt;加粗&lt;/b&gt;" in page.body
    assert soup.select_one(".lyg-report-ranking [data-agency=lyg-jtj-test]") is not None
    listing = BeautifulSoup(app.get("/opendata/evaluation-reports").body, "html.parser")
    assert listing.select_one(f'.lyg-evaluation-reports a[href="{base}"]') is not None
    pdf = app.get(base + "/report.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and b"/FontFile2" in pdf.data  # embedded TrueType
    assert b"+WenQuanYiMicroHei" in pdf.data  # the agreements' font, as a subset
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = text.replace("\n", "")
    for words in ("评估意见", "市交通运输局", "加粗", "HYPERLINK"):
        assert words in text, words
    xlsx = app.get(base + "/figures.xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(xlsx.data))
    assert len(wb.sheetnames) == 3
    cards = list(wb.worksheets[1].iter_rows(values_only=True))
    assert any(row[1] == "市交通运输局" for row in cards[1:])
    suggestions = list(wb.worksheets[2].iter_rows(values_only=True))
    assert suggestions[0][1] == "'=HYPERLINK(\"http://evil\")"
    assert wb.worksheets[2]["B1"].data_type == "s"
    app.get("/opendata/evaluation-reports/nope", status=404)
    # an id with a NUL character names no report: the 404 page, not a 500
    for url in ("/opendata/evaluation-reports/x%00y", "/opendata/evaluation-reports/%00/report.pdf",
                "/opendata/evaluation-reports/%00/figures.xlsx"):
        app.get(url, headers=_env(people["supervisor"]), status=404)
    # field errors on the page, beside the field
    draft2 = generate()
    resp = app.post(f"/opendata/evaluation-reports/{draft2['id']}",
                    headers=_env(people["supervisor"]),
                    data={"title": "短", "commentary": "", "suggestions": ""})
    soup = BeautifulSoup(resp.body, "html.parser")
    group = soup.select_one("#field-title").find_parent(class_="form-group")
    assert "error" in group["class"] and group.select_one(".error-block") is not None
    assert soup.select_one("#field-commentary").find_parent(class_="form-group").select_one(
        ".error-block") is None


def _card(title, **figures):
    card = {f: None for f in scorecards.FIGURES}
    card.update({"title": title, "datasets_unconditional": 4, "datasets_conditional": 0,
                 "freshness_overdue": 0, "applications_overdue": 0, "downloads": 0,
                 "api_calls": 0, "rectifications_open": 0})
    card.update(figures)
    return card


def test_suggestions_from_completeness_uses_and_notices():
    """The rules of ``figures.suggest`` on made figures: open-list completeness below 90 %,
    uses per published dataset below half the mean of all bodies, notices still open — each
    a suggestion with its numbers; a body that meets them gets none."""
    from ckanext.lyg_opendata.evaluation.reports.figures import suggest
    cards = [
        _card("甲局", open_list_complete_share=75.0, downloads=300, api_calls=100),
        _card("乙局", open_list_complete_share=100.0, downloads=10, api_calls=6),
        _card("丙局", open_list_complete_share=90.0, downloads=320, api_calls=80,
              rectifications_open=2),
        _card("丁局", datasets_unconditional=0, rectifications_open=1),
    ]
    got = suggest({"cards": cards, "platform": {"staff_not_filed": 0}})
    # uses per dataset: 100, 4, 100 -> mean 68; 乙局 (4) is below 34
    assert got == [
        "甲局: 75.0% of its open-list entries hold every column; fill in the data items, "
        "formats, update frequency, conditions of conditional data and data domain (Art 11).",
        "乙局: 10 downloads and 6 API calls for 4 published dataset(s), 4.0 per dataset "
        "against 68.0 for all bodies; open data in demand, in machine-readable formats and "
        "through the API (Art 37).",
        "丙局: 2 rectification notice(s) still open; complete the rectification and report "
        "what was done (Art 39).",
        "丁局: 1 rectification notice(s) still open; complete the rectification and report "
        "what was done (Art 39).",
        "丁局 has no published dataset: compile its open list and publish its data (Art 11).",
    ]
