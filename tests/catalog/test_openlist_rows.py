"""The open list's rows (开放清单, Art 11): each test adds entries of its own (the tests that
read one shared catalog are in test_openlist.py)."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ckanext.lyg_opendata.catalog import openlist
from tests.catalog.test_openlist import ART_11_ZH, open_list

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.mark.usefixtures("zh")
def test_row_holds_every_column_in_the_ui_language(agency, make_entry):
    pkg = make_entry(
        agency, "公共停车场信息", open_type="conditional", open_conditions="须签订数据利用协议",
        update_frequency="quarterly", subject_areas=["transport", "housing"],
        data_updated="2026-03-10",
        resources=[{"url": "http://example.com/a.csv", "format": "csv", "desensitized": True},
                   {"url": "http://example.com/b.xlsx", "format": "Excel", "desensitized": True},
                   {"url": "http://example.com/c.csv", "format": "CSV", "desensitized": True}])
    (row,) = open_list()["results"]
    assert row["seq"] == 1
    assert row["title"] == "公共停车场信息"
    assert row["organization_title"] == "市交通运输局"
    assert row["data_items"] == ["名称", "地址"]
    assert row["formats"] == ["CSV", "XLSX"]
    assert row["update_frequency"] == "quarterly" and row["update_frequency_label"] == "每季度"
    assert row["open_type_label"] == "有条件开放"
    assert row["open_conditions"] == "须签订数据利用协议"
    assert row["subject_areas_labels"] == ["道路交通", "城建住房"]
    assert row["issued"] == pkg["issued"][:10]
    assert row["last_updated"] == "2026-03-10"
    assert row["review_status"] == "published"


def test_unconditional_entries_show_no_conditions(agency, make_entry):
    make_entry(agency, "无条件数据", open_conditions="遗留的条件文字")
    assert open_list()["results"][0]["open_conditions"] == ""


def test_rows_are_numbered_across_pages(agency, make_entry):
    for i in range(5):
        make_entry(agency, f"数据{i}")
    first = open_list(limit=2)
    second = open_list(limit=2, offset=2)
    assert first["count"] == 5
    assert [r["seq"] for r in first["results"]] == [1, 2]
    assert [r["seq"] for r in second["results"]] == [3, 4]
    assert [r["title"] for r in first["results"] + second["results"]] == [f"数据{i}" for i in range(4)]


def test_exports_read_the_index_page_by_page(agency, make_entry):
    for i in range(5):
        make_entry(agency, f"数据{i}")
    entries = list(openlist.iter_entries("", None, False, page_size=2))
    assert [e["title"] for e in entries] == [f"数据{i}" for i in range(5)]


def test_agency_xlsx_has_the_columns_rows_and_real_dates(app, agency, make_entry, catalog):
    make_entry(agency, "甲局有条件", open_type="conditional", open_conditions="须签订协议",
               data_updated="2026-03-10", subject_areas=["transport"])
    res = app.get(f"/organization/{agency['name']}/open-list.xlsx")
    assert res.headers["Content-Type"] == openlist.XLSX_MIMETYPE
    assert ".xlsx" in res.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(res.get_data()))
    ws = wb.worksheets[0]
    assert ws.title == "市交通运输局"
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0] == ART_11_ZH
    assert sorted(r[1] for r in values[1:]) == sorted(["甲局已发布", "甲局有条件"])
    row = next(r for r in values if r[1] == "甲局有条件")
    assert row[0] == 2 or row[0] == 1
    assert row[6] == "有条件开放" and row[7] == "须签订协议" and row[8] == "道路交通"
    assert row[10] == dt.datetime(2026, 3, 10)
    assert isinstance(row[9], dt.datetime)
