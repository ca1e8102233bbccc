"""The yearly report's table of applications (national format of 2021, part 三): generated
from the applications, by applicant column and outcome row, and it adds up."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure import report
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent, DisclosureRequest
from ckanext.lyg_opendata.workdays import today_beijing

from tests.disclosure.conftest import ctx, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

COLS = [c.code for c in report.COLUMNS]


def cell(table, row, col):
    found = [r for r in table["rows"] if r["code"] == row][0]
    return found["cells"][COLS.index(col)]


def rows(table):
    return {r["code"]: dict(zip(COLS, r["cells"])) for r in table["rows"]}


def check_adds_up(table):
    t = rows(table)
    for code, cells in t.items():
        assert cells["total"] == sum(v for k, v in cells.items() if k != "total"), code
    for parent in report.RESULT_GROUPS:
        subs = [code for code, _term, p in report.ROWS if p == parent]
        if subs:
            for col in COLS:
                assert t[parent][col] == sum(t[s][col] for s in subs), (parent, col)
    for col in COLS:
        assert t["total"][col] == sum(t[g][col] for g in report.RESULT_GROUPS), col
        assert t["new"][col] + t["carried_in"][col] == t["total"][col] + t["carried_out"][col], col


def _dates(req_id, received, answered=None):
    row = model.Session.get(DisclosureRequest, req_id)
    row.received_on = row.clock_start = received
    if answered:
        row.answered_on = answered
    model.repo.commit()


def test_table_counts_by_column_and_outcome_and_adds_up(people, agency, applicant, apply):
    a = people["agency_editor"]
    answer = tk.get_action("lyg_opendata_disclosure_answer")
    # 2025: one carried over into 2026 (answered 2026), one finished in 2025 (not counted)
    old_open, old_done = apply(), apply()
    _dates(old_open["id"], dt.date(2025, 12, 20))
    answer(ctx(a), {"id": old_done["id"], "outcome": "public", "answer_text": "提供如下。"})
    _dates(old_done["id"], dt.date(2025, 11, 3), dt.date(2025, 11, 20))
    answer(ctx(a), {"id": old_open["id"], "outcome": "already_public", "answer_text": "已主动公开。",
                    "where_to_find": "市政府网站"})
    _dates(old_open["id"], dt.date(2025, 12, 20), dt.date(2026, 1, 8))
    # 2026: an individual's partial, a business's withheld (process), a research institute's
    # not held, one withdrawn, one still open (carried to 2027)
    p = apply()
    answer(ctx(a), {"id": p["id"], "outcome": "partial", "answer_text": "部分公开。",
                    "withheld_category": "third_party", "withheld_reason": "涉及商业秘密。",
                    "legal_basis": "条例第十五条"})
    biz = tk.get_action("lyg_opendata_disclosure_create")(ctx(applicant), organization(organization=agency["id"]))
    answer(ctx(a), {"id": biz["id"], "outcome": "withheld", "answer_text": "不予公开。",
                    "withheld_category": "process", "withheld_reason": "过程性信息。",
                    "legal_basis": "条例第十六条"})
    lab = tk.get_action("lyg_opendata_disclosure_create")(ctx(applicant), organization(
        organization=agency["id"], organization_kind="research", applicant_name="某研究所"))
    answer(ctx(a), {"id": lab["id"], "outcome": "not_held", "answer_text": "非本机关掌握。"})
    gone = apply()
    tk.get_action("lyg_opendata_disclosure_withdraw")(ctx(applicant), {"id": gone["id"]})
    still = apply()
    for req in (p, biz, lab, gone, still):
        _dates(req["id"], dt.date(2026, 3, 2), dt.date(2026, 3, 20) if req is not still else None)
    model.Session.query(DisclosureEvent).filter(DisclosureEvent.action == "withdraw").update(
        {"created": dt.datetime(2026, 3, 10, 2, 0)})
    model.repo.commit()
    # another agency's application is not in this agency's table, but in the city's
    tk.get_action("lyg_opendata_disclosure_create")(ctx(applicant), organization(organization="lyg-other-agency"))
    _dates(model.Session.query(DisclosureRequest).filter(
        DisclosureRequest.organization_id != agency["id"]).one().id, dt.date(2026, 5, 6))

    t = tk.get_action("lyg_opendata_disclosure_yearly_report")(
        ctx(a), {"year": 2026, "organization": agency["name"]})
    check_adds_up(t)
    assert cell(t, "new", "individual") == 3 and cell(t, "new", "business") == 1
    assert cell(t, "new", "research") == 1 and cell(t, "new", "total") == 5
    assert cell(t, "carried_in", "individual") == 1 and cell(t, "carried_in", "total") == 1
    assert cell(t, "public", "individual") == 1          # already public, answered 2026
    assert cell(t, "partial", "individual") == 1
    assert cell(t, "withheld.process", "business") == 1 and cell(t, "withheld", "total") == 1
    assert cell(t, "unavailable.not_held", "research") == 1
    assert cell(t, "other.other", "individual") == 1      # withdrawn
    assert cell(t, "total", "total") == 5 and cell(t, "carried_out", "total") == 1

    y2025 = tk.get_action("lyg_opendata_disclosure_yearly_report")(
        ctx(people["supervisor"]), {"year": 2025, "organization": agency["id"]})
    check_adds_up(y2025)
    assert cell(y2025, "new", "total") == 2 and cell(y2025, "public", "total") == 1
    assert cell(y2025, "carried_out", "total") == 1

    city = tk.get_action("lyg_opendata_disclosure_yearly_report")(ctx(people["supervisor"]), {"year": 2026})
    check_adds_up(city)
    assert cell(city, "new", "total") == 6 and cell(city, "carried_out", "business") == 1


def test_the_city_table_is_for_supervisors(people, agency):
    action = tk.get_action("lyg_opendata_disclosure_yearly_report")
    with pytest.raises(tk.NotAuthorized):
        action(ctx(people["agency_editor"]), {"year": 2026})
    with pytest.raises(tk.NotAuthorized):
        action(ctx(people["agency_editor"]), {"year": 2026, "organization": "lyg-other-agency"})
    with pytest.raises(tk.ValidationError) as err:
        action(ctx(people["supervisor"]), {"year": "abc"})
    assert list(err.value.error_dict) == ["year"]
    empty = action(ctx(people["supervisor"]), {"year": 2026})
    check_adds_up(empty)
    assert len(empty["rows"]) == 29 and len(empty["columns"]) == 7


def test_report_page(app, people, agency):
    body = app.get("/opendata/disclosure/report?year=2026",
                   headers={"Authorization": people["agency_editor"]["token"]}).body
    assert "本年新收政府信息公开申请数量" in body and "结转下年度继续办理" in body and "商业企业" in body
    assert app.get("/opendata/disclosure/report",
                   headers={"Authorization": people["registered"]["token"]}).status_code == 403


def test_report_xlsx_has_the_same_figures(app, people, agency, apply):
    import io

    from openpyxl import load_workbook
    apply()
    headers = {"Authorization": people["agency_editor"]["token"]}
    year = today_beijing().year  # the year of the receipt day, Beijing's (not the host's)
    res = app.get(f"/opendata/disclosure/report.xlsx?year={year}&organization={agency['name']}",
                  headers=headers)
    assert res.status_code == 200 and res.data.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(res.data)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    table = tk.get_action("lyg_opendata_disclosure_yearly_report")(
        ctx(people["agency_editor"]), {"year": year, "organization": agency["name"]})
    body = {r[0]: r[1:8] for r in values[3:] if r[0] and r[1] is not None}
    assert len(body) == 29
    for row in table["rows"]:
        assert list(body[row["label"]]) == row["cells"], row["code"]
    assert body["一、本年新收政府信息公开申请数量"][6] == 1
    assert "市交通运输局" in values[0][0] and values[2][2] == "商业企业"
    assert app.get(f"/opendata/disclosure/report.xlsx?year={year}", headers=headers).status_code == 403
    assert app.get("/opendata/disclosure/report.xlsx?year=abc",
                   headers={"Authorization": people["supervisor"]["token"]}).status_code == 400
