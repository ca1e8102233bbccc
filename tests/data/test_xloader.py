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
