"""Parts 二 and 四 of the yearly report (national format of 2021) and the whole table as a
PDF: part 二 counted from the proactive disclosure catalog plus the figures the agency enters,
part 四 entered with its 总计 the sum of the results; the city's table sums the agencies';
field errors with nothing written; who may enter the figures."""
import io

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure.model import DisclosureReportFigures
from ckanext.lyg_opendata.disclosure import report_parts

from tests.conftest import ROLES
from tests.disclosure.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def govinfo(user, org, **kwargs):
    data = {"organization": org, "title": "文件", "category": "government_documents",
            "written_on": "2026-03-02", "publish": True, "published_on": "2026-03-05", **kwargs}
    return tk.get_action("lyg_opendata_govinfo_create")(ctx(user), data)


def report(user, **data):
    return tk.get_action("lyg_opendata_disclosure_yearly_report")(ctx(user), data)


def enter(user, **data):
    return tk.get_action("lyg_opendata_disclosure_report_figures_update")(ctx(user), data)


def docs(result):
    return {r["code"]: r["cells"] for r in result["part_two"]["documents"]["rows"]}


def four(result):
    return {g["code"]: g["cells"] for g in result["part_four"]["groups"]}


def test_part_two_from_the_catalog_and_part_four_entered_city_sums(people, agency):
    editor, other = people["agency_editor"], people["other_agency_editor"]
    govinfo(editor, agency["id"], kind="rule")                                  # issued 2026, in force
    govinfo(editor, agency["id"], kind="normative", written_on="2025-05-06",   # 2025, repealed 2026
            published_on="2025-05-08", validity="repealed", repealed_on="2026-06-30")
    govinfo(editor, agency["id"], kind="normative", written_on="2025-01-06", published_on="2025-01-08")
    govinfo(editor, agency["id"], kind="other")                                 # not counted
    govinfo(editor, agency["id"], kind="rule", publish=False)                   # a draft: not counted
    govinfo(other, "lyg-other-agency", kind="normative")
    mine = enter(editor, organization=agency["id"], year=2026, figures={
        "decisions.licensing": "120", "decisions.penalty": 7, "fees": "1.5",
        "reconsideration.upheld": 2, "reconsideration.corrected": 1, "reconsideration.pending": 1,
        "litigation_direct.upheld": 1, "litigation_after.other": 3})
    assert docs(mine) == {"rule": [1, 0, 1], "normative": [0, 1, 1]}
    assert [d["value"] for d in mine["part_two"]["decisions"]] == [120, 7, 0]
    assert mine["part_two"]["fees"]["value"] == "1.5000"
    assert four(mine) == {"reconsideration": [2, 1, 0, 1, 4], "litigation_direct": [1, 0, 0, 0, 1],
                          "litigation_after": [0, 0, 3, 0, 3]}
    for cells in four(mine).values():
        assert cells[-1] == sum(cells[:-1])
    enter(other, organization="lyg-other-agency", year=2026,
          figures={"decisions.licensing": 30, "fees": "0.25", "reconsideration.upheld": 1})
    # figures sent replace the stored ones, the others are kept
    again = enter(editor, organization=agency["id"], year=2026, figures={"decisions.penalty": 8})
    assert [d["value"] for d in again["part_two"]["decisions"]] == [120, 8, 0]
    city = report(people["supervisor"], year=2026)
    assert docs(city) == {"rule": [1, 0, 1], "normative": [1, 1, 2]}
    assert [d["value"] for d in city["part_two"]["decisions"]] == [150, 8, 0]
    assert city["part_two"]["fees"]["value"] == "1.7500"
    assert four(city)["reconsideration"] == [3, 1, 0, 1, 5]
    other_year = report(people["supervisor"], year=2025)
    assert docs(other_year) == {"rule": [0, 0, 0], "normative": [2, 0, 2]}
    assert four(other_year)["reconsideration"] == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("figures,fields", [
    ({"decisions.licensing": "-1", "fees": "abc"}, {"decisions.licensing", "fees"}),
    ({"reconsideration.upheld": "1.5", "bribes": 3}, {"reconsideration.upheld", "bribes"}),
    ({"fees": "NaN"}, {"fees"}),
    ("12", {"figures"}),
])
def test_figures_field_errors_and_nothing_written(people, agency, figures, fields):
    with pytest.raises(tk.ValidationError) as err:
        enter(people["agency_editor"], organization=agency["id"], year=2026, figures=figures)
    assert set(err.value.error_dict) == fields
    assert model.Session.query(DisclosureReportFigures).count() == 0
    with pytest.raises(tk.ValidationError) as err:
        enter(people["agency_editor"], organization=agency["id"], year="twenty", figures={})
    assert set(err.value.error_dict) == {"year"}


def test_who_may_enter_the_figures(people, agency):
    allowed = {"agency_editor", "agency_admin", "sysadmin"}
    for role in ROLES:
        context = {"user": people[role]["name"] if people[role] else "", "model": model}
        if role in allowed:
            assert tk.check_access("lyg_opendata_disclosure_report_figures_update", context,
                                   {"organization": agency["id"]}), role
        else:
            with pytest.raises(tk.NotAuthorized):
                tk.check_access("lyg_opendata_disclosure_report_figures_update", context,
                                {"organization": agency["id"]})
                pytest.fail(role)
    assert set(report_parts.ENTERED) == {f["name"] for f in report_parts.figure_fields()}


def auth(user):
    return {"Authorization": user["token"]} if user else {}


def test_the_page_form_and_the_pdf_of_the_whole_table(app, people, agency):
    editor = people["agency_editor"]
    url = f"/opendata/disclosure/report?year=2026&organization={agency['name']}"
    page = app.get(url, headers=auth(editor)).body
    assert "二、主动公开政府信息情况" in page and "四、政府信息公开行政复议、行政诉讼情况" in page
    assert "lyg-disclosure-figures" in page
    assert "lyg-disclosure-figures" not in app.get(url, headers=auth(people["supervisor"])).body
    app.post(f"/opendata/disclosure/report/figures?year=2026&organization={agency['name']}",
             headers=auth(editor), data={"decisions.licensing": "12", "reconsideration.corrected": "2"})
    shown = app.get(url, headers=auth(editor)).body
    assert 'data-cell="reconsideration.total">2<' in shown
    bad = app.post(f"/opendata/disclosure/report/figures?year=2026&organization={agency['name']}",
                   headers=auth(editor), data={"decisions.licensing": "-3"}, follow_redirects=True)
    assert bad.status_code == 200
    assert model.Session.query(DisclosureReportFigures).one().figures["decisions.licensing"] == 12
    assert app.post(f"/opendata/disclosure/report/figures?year=2026&organization={agency['name']}",
                    headers=auth(people["registered"]), data={"fees": "1"}).status_code == 403
    pdf = app.get(f"/opendata/disclosure/report.pdf?year=2026&organization={agency['name']}",
                  headers=auth(editor))
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert b"+WenQuanYiMicroHei" in pdf.data and b"/FontFile2" in pdf.data
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "行政规范性文件", "结转下年度继续办理"):
        assert heading in text.replace(" ", ""), heading
    assert app.get("/opendata/disclosure/report.pdf?year=2026",
                   headers=auth(editor)).status_code == 403  # the city's: supervisors only
    assert app.get("/opendata/disclosure/report.pdf?year=2026",
                   headers=auth(people["supervisor"])).status_code == 200
