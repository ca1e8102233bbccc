"""Tabular uploads load into the DataStore through the job queue (ckanext-xloader), in
the encodings Chinese government files come in, with the data dictionary from the
catalog entry's 数据项 and types guessed for the other columns."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from tests.data.conftest import upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ITEMS = [
    {"name_zh": "停车场名称", "code": "parking_name", "type": "string", "sensitive": "no"},
    {"name_zh": "泊位数", "code": "spaces", "type": "integer", "description": "小型车泊位",
     "sensitive": "no"},
    {"name_zh": "收费标准", "code": "fee", "type": "string", "sensitive": "no"},
]
ROWS = [("苏宁广场地下停车场", "620", "首小时5元"), ("万达广场地面停车场", "330", "首小时4元"),
        ("市第一人民医院停车场", "780", "首小时3元")]


def _csv(encoding: str, extra_col: bool = True) -> bytes:
    header = "parking_name,spaces,fee" + (",amount" if extra_col else "")
    lines = [header] + [",".join(r) + (f",{i * 10.5}" if extra_col else "")
                        for i, r in enumerate(ROWS, 1)]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def _status(res_id, sysadmin):
    return tk.get_action("xloader_status")({"user": sysadmin["name"]}, {"resource_id": res_id})


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_upload_loads_into_the_datastore_with_the_dictionary(
        xloader, run_jobs, create_dataset, sysadmin, encoding):
    ds = create_dataset(name="parking", data_items=ITEMS)
    def admin():
        return {"user": sysadmin["name"]}
    res = tk.get_action("resource_create")(admin(), {
        "package_id": ds["id"], "name": "停车场名录", "format": "CSV", "url": "parking.csv",
        "upload": upload(_csv(encoding), "parking.csv")})
    run_jobs()
    status = _status(res["id"], sysadmin)
    assert status["status"] == "complete", status
    found = tk.get_action("datastore_search")(admin(), {"resource_id": res["id"], "sort": "_id"})
    assert found["total"] == 3
    assert [r["parking_name"] for r in found["records"]] == [r[0] for r in ROWS]
    fields = {f["id"]: f for f in found["fields"]}
    # 数据项 codes: label and type from the catalog; the other column's type guessed
    assert fields["spaces"]["type"] == "int4" or fields["spaces"]["type"] == "int"
    assert [r["spaces"] for r in found["records"]] == [620, 330, 780]
    info = tk.get_action("datastore_info")(admin(), {"id": res["id"]})
    by_id = {f["id"]: f for f in info["fields"]}
    assert by_id["parking_name"]["info"]["label"] == "停车场名称"
    assert by_id["spaces"]["info"]["label"] == "泊位数"
    assert by_id["spaces"]["info"]["notes"] == "小型车泊位"
    assert by_id["amount"]["type"] == "numeric"
    assert tk.get_action("resource_show")(admin(), {"id": res["id"]})["datastore_active"] is True


def test_xlsx_upload_loads(xloader, run_jobs, create_dataset, sysadmin):
    from ckanext.lyg_opendata.demo.files import to_xlsx
    ds = create_dataset(name="parking", data_items=ITEMS)
    def admin():
        return {"user": sysadmin["name"]}
    content = to_xlsx(["parking_name", "spaces", "fee"], [list(r) for r in ROWS])
    res = tk.get_action("resource_create")(admin(), {
        "package_id": ds["id"], "name": "停车场名录", "format": "XLSX", "url": "parking.xlsx",
        "upload": upload(content, "parking.xlsx", "application/vnd.openxmlformats-"
                         "officedocument.spreadsheetml.sheet")})
    run_jobs()
    assert _status(res["id"], sysadmin)["status"] == "complete"
    found = tk.get_action("datastore_search")(admin(), {
        "resource_id": res["id"], "filters": {"parking_name": "万达广场地面停车场"}})
    assert found["total"] == 1 and found["records"][0]["fee"] == "首小时4元"
    assert found["records"][0]["spaces"] == 330  # the 数据项 type (integer)


def test_dictionary_types_all_columns_at_once_and_keeps_text_where_a_value_does_not_fit(
        create_dataset, sysadmin):
    """One ALTER TABLE changes every column (one rewrite); when one column's values do not
    fit the 数据项's type (泊位数 with a 约300), that column stays text and the others are
    still typed (data/dictionary.py)."""
    from ckanext.lyg_opendata.data import dictionary
    ds = create_dataset(name="parking", data_items=ITEMS)
    admin = {"user": sysadmin["name"]}
    res = tk.get_action("resource_create")(dict(admin), {
        "package_id": ds["id"], "name": "停车场名录", "format": "CSV",
        "url": "https://data.example.invalid/parking.csv"})
    tk.get_action("datastore_create")(dict(admin), {
        "resource_id": res["id"], "force": True,
        "fields": [{"id": c, "type": "text"} for c in ("parking_name", "spaces", "amount", "zip", "total")],
        "records": [{"parking_name": "苏宁广场", "spaces": "620", "amount": "10.5", "zip": "0518",
                     "total": "7"},
                    {"parking_name": "万达广场", "spaces": "约300", "amount": " 3 ", "zip": "222000",
                     "total": ""}]})
    fields = {f["id"]: f["type"] for f in dictionary.apply(res["id"])}
    assert fields == {"parking_name": "text", "spaces": "text", "amount": "numeric",
                      "zip": "text", "total": "int"}
    info = tk.get_action("datastore_info")(dict(admin), {"id": res["id"]})
    by_id = {f["id"]: f for f in info["fields"]}
    assert by_id["amount"]["type"] == "numeric" and by_id["total"]["type"] == "int4"
    assert by_id["spaces"]["type"] == "text" and by_id["spaces"]["info"]["label"] == "泊位数"
    rows = tk.get_action("datastore_search")(dict(admin), {"resource_id": res["id"], "sort": "_id"})
    assert [r["amount"] for r in rows["records"]] == [10.5, 3] or \
        [str(r["amount"]) for r in rows["records"]] == ["10.5", "3"]
    assert [r["total"] for r in rows["records"]] == [7, None]
