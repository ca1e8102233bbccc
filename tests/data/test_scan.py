"""The personal-data scan (Art 14, 26): generated valid numbers are found in uploads and
DataStore tables, invalid ones and ordinary numbers are not; findings hold submission and
approval until the agency replaces the file or marks each false positive with a reason; a
published dataset whose new file has personal data is withdrawn at once, and the
supervisors are told."""
from __future__ import annotations

import random

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.catalog.model import ReviewEvent
from ckanext.lyg_opendata.data import detect
from tests.data.conftest import upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def make_ric(rng: random.Random) -> str:
    from stdnum.cn import ric
    body = "320706" + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
        + f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the 17 digits before the last


def make_card(rng: random.Random) -> str:
    from stdnum import luhn
    body = "622202" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    return body + luhn.calc_check_digit(body)


# --- the detector -----------------------------------------------------------------------------

def test_detector_finds_valid_numbers_and_not_invalid_ones():
    rng = random.Random(7)
    rics = [make_ric(rng) for _ in range(50)]
    # the check character changed: no longer a valid GB 11643 number
    bad = [r[:-1] + ("0" if r[-1] != "0" else "1") for r in rics]
    assert all(detect.is_ric(r) for r in rics)
    assert not any(detect.is_ric(b) for b in bad)
    cards = [make_card(rng) for _ in range(50)]
    rows = [[r, c, f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}", f"u{i}@example.cn",
             str(rng.randint(10, 5000)), b] for i, (r, c, b) in enumerate(zip(rics, cards, bad))]
    found = {(f.column, f.kind): f for f in detect.scan_rows(
        ["身份证号", "银行卡号", "手机", "邮箱", "泊位数", "错号"], rows)}
    assert found[("身份证号", "ric")].count == 50
    assert found[("银行卡号", "bank_card")].count == 50
    assert found[("手机", "mobile")].count == 50
    assert found[("邮箱", "email")].count == 50
    assert not [k for k in found if k[0] in ("泊位数", "错号")]
    sample = found[("身份证号", "ric")].samples[0]
    assert sample.startswith("3207") and "*" * 10 in sample and len(sample) == 18
    assert found[("手机", "mobile")].samples[0][3:7] == "****"


def _reference_counts(header, rows):
    """The detector cell by cell, without the column pre-filter: what every cell matches."""
    nonempty, hits = [0] * len(header), {}
    for row in rows:
        for i, cell in enumerate(row[:len(header)]):
            text = "" if cell is None else str(cell).strip()
            if not text:
                continue
            nonempty[i] += 1
            for kind in detect.matches(text):
                hits[(i, kind)] = hits.get((i, kind), 0) + 1
    return nonempty, hits


def test_column_prefilter_loses_no_match_of_the_cell_by_cell_detector():
    """The block pre-filter (``detect._candidates``) only skips cells that cannot match:
    on a generated table mixing every kind (in free text too, cards with spaces and
    hyphens, +86 numbers, credit codes), ordinary numbers, numbers as ints, empty and short
    rows and a cell holding the block separator, its counts equal the cell-by-cell ones."""
    from stdnum.cn import uscc
    rng = random.Random(21)

    def card_spaced():
        from stdnum import luhn
        body = "622848" + "".join(str(rng.randint(0, 9)) for _ in range(9))
        c = rng.choice([make_card(rng), body + luhn.calc_check_digit(body)])  # 19 or 16 digits
        sep = rng.choice([" ", "-"])
        return sep.join(c[k:k + 4] for k in range(0, len(c), 4))

    def credit_code():
        body = "91320700" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        return body + uscc.calc_check_digit(body)

    header = ["ric", "note", "card", "spaced", "mobile", "mail", "uscc", "amount", "order",
              "int", "mixed"]
    rows = []
    for i in range(3000):
        row = [make_ric(rng), f"申请人身份证号：{make_ric(rng)}，住海州区" if i % 3 else "无",
               make_card(rng), card_spaced(),
               rng.choice(["+86 ", "86-", ""]) + f"1{rng.choice('3589')}{rng.randint(0, 10 ** 9 - 1):09d}",
               f"user{i}@example.cn" if i % 2 else "", credit_code(),
               f"{rng.uniform(0, 10 ** 7):.2f}", str(rng.randint(10 ** 15, 10 ** 19)),
               rng.randint(10 ** 10, 10 ** 12),
               rng.choice([None, "  ", "Lianyungang harbour", f"tel 1{rng.randint(3, 9)}{rng.randint(0, 10 ** 9 - 1):09d} x",
                           make_ric(rng).lower(), "a\x00b " + make_ric(rng)])]
        if i % 97 == 0:
            row = row[:rng.randint(1, len(header))]
        if i % 101 == 0:
            row = row + ["extra", make_ric(rng)]
        rows.append(row)
    nonempty, hits = _reference_counts(header, rows)
    table = detect.TableScan(header).feed_all(iter(rows))
    assert table.nonempty == nonempty
    assert table.hits == hits
    # every kind was there to be found
    assert {k for _, k in hits} == set(detect.KINDS)
    assert {f.column for f in table.findings() if f.personal} >= {
        "ric", "note", "card", "spaced", "mobile", "mail"}


def test_credit_codes_are_a_note_not_personal_data():
    found = detect.scan_rows(["code"], [["91320700MA1WGC202R"], ["12320700MB1L0Y9A2L"]])
    assert [(f.kind, f.personal) for f in found] == [("uscc", False)]


# --- in the job queue ---------------------------------------------------------------------------

def _csv_with_ids(n: int = 5) -> bytes:
    rng = random.Random(3)
    lines = ["name,id_number,spaces"] + [f"用户{i},{make_ric(rng)},{rng.randint(10, 900)}"
                                         for i in range(n)]
    return ("\n".join(lines) + "\n").encode("utf-8")


CLEAN = "name,spaces\n苏宁广场停车场,620\n万达广场停车场,330\n".encode("gb18030")


def _clerk_ctx(people):
    return {"user": people["agency_editor"]["name"]}


def _findings(ctx, res_id):
    return tk.get_action("lyg_opendata_scan_list")(ctx, {"resource_id": res_id})


def test_upload_with_ids_is_flagged_and_blocks_submission_until_resolved(
        run_jobs, create_dataset, people, sysadmin):
    clerk = _clerk_ctx(people)
    ds = create_dataset(name="scanned")
    res = tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "upload": upload(_csv_with_ids(), "list.csv")})
    run_jobs()
    result = _findings(dict(clerk), res["id"])
    assert [(s["source"], s["status"], s["error"]) for s in result["scans"]] == [
        ("file", "done", None)], result["scans"]
    personal = [f for f in result["findings"] if f["personal"]]
    assert [(f["column"], f["kind"], f["count"]) for f in personal] == [("id_number", "ric", 5)]
    assert result["blocking"] == 1
    assert personal[0]["samples"][0].startswith("3207") and "**" in personal[0]["samples"][0]
    # submission refused with a field error that names the resource and the column
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_review_submit")(dict(clerk), {"id": ds["id"], "desensitized": True})
    assert "id_number" in str(err.value.error_dict["resources"])
    # a reason is required to mark it a false positive
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_scan_finding_dismiss")(
            dict(clerk), {"id": personal[0]["id"], "reason": ""})
    assert "reason" in err.value.error_dict
    done = tk.get_action("lyg_opendata_scan_finding_dismiss")(
        dict(clerk), {"id": personal[0]["id"], "reason": "测试用虚构号码，非真实身份证号"})
    assert done["status"] == "false_positive" and done["resolved_by"] == clerk["user"]
    event = model.Session.query(ReviewEvent).filter(
        ReviewEvent.package_id == ds["id"], ReviewEvent.action == "scan_false_positive").one()
    assert event.reason == "测试用虚构号码，非真实身份证号"
    tk.get_action("lyg_opendata_review_submit")(dict(clerk), {"id": ds["id"], "desensitized": True})
    shown = tk.get_action("package_show")({"user": sysadmin["name"]}, {"id": ds["id"]})
    assert shown["review_status"] == "pending"


def test_replacing_the_file_resolves_the_findings(run_jobs, create_dataset, people):
    clerk = _clerk_ctx(people)
    ds = create_dataset(name="scanned")
    res = tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "upload": upload(_csv_with_ids(), "list.csv")})
    run_jobs()
    assert _findings(dict(clerk), res["id"])["blocking"] == 1
    tk.get_action("resource_patch")(dict(clerk), {
        "id": res["id"], "url": "list.csv", "upload": upload(CLEAN, "list.csv")})
    run_jobs()
    after = _findings(dict(clerk), res["id"])
    assert after["blocking"] == 0 and after["findings"] == []
    tk.get_action("lyg_opendata_review_submit")(dict(clerk), {"id": ds["id"], "desensitized": True})


def test_published_dataset_with_a_new_personal_file_is_withdrawn_and_supervisors_told(
        run_jobs, published_dataset, people, sysadmin, reviewer, mail_dir):
    from tests.conftest import read_mail_to
    clerk = _clerk_ctx(people)
    ds = published_dataset(name="scanned")
    assert tk.get_action("package_show")({"user": ""}, {"id": ds["id"]})["review_status"] == "published"
    tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "desensitized": True, "upload": upload(_csv_with_ids(), "list.csv")})
    run_jobs()
    shown = tk.get_action("package_show")({"user": sysadmin["name"]}, {"id": ds["id"]})
    assert shown["review_status"] == "withdrawn" and shown["private"] is True
    with pytest.raises((tk.ObjectNotFound, tk.NotAuthorized)):
        tk.get_action("package_show")({"user": ""}, {"id": ds["id"]})
    event = model.Session.query(ReviewEvent).filter(
        ReviewEvent.package_id == ds["id"], ReviewEvent.action == "withdraw").one()
    assert "id_number" in event.reason
    run_jobs()  # the notices' mails
    assert read_mail_to(mail_dir, reviewer["email"])


# --- who may do what ------------------------------------------------------------------------------

@pytest.mark.parametrize("who,allowed", [
    ("agency_editor", True), ("supervisor", True), ("sysadmin", True),
    ("other_agency_editor", False), ("registered", False), ("anonymous", False)])
def test_scan_list_roles(run_jobs, create_dataset, people, sysadmin, who, allowed):
    ds = create_dataset(name="scanned")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "upload": upload(_csv_with_ids(), "list.csv")})
    user = sysadmin if who == "sysadmin" else people.get(who)
    ctx = {"user": user["name"] if user else "", "ignore_auth": False}
    if allowed:
        assert tk.check_access("lyg_opendata_scan_list", ctx, {"resource_id": res["id"]})
    else:
        with pytest.raises(tk.NotAuthorized):
            tk.check_access("lyg_opendata_scan_list", ctx, {"resource_id": res["id"]})


@pytest.mark.parametrize("who,allowed", [
    ("agency_editor", True), ("sysadmin", True), ("supervisor", False),
    ("other_agency_editor", False), ("registered", False), ("anonymous", False)])
def test_dismiss_and_rescan_roles(run_jobs, create_dataset, people, sysadmin, who, allowed):
    ds = create_dataset(name="scanned")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "upload": upload(_csv_with_ids(), "list.csv")})
    run_jobs()
    finding = _findings({"user": sysadmin["name"]}, res["id"])["findings"][0]
    user = sysadmin if who == "sysadmin" else people.get(who)
    ctx = {"user": user["name"] if user else "", "ignore_auth": False}
    for action, data in (("lyg_opendata_scan_finding_dismiss", {"id": finding["id"]}),
                         ("lyg_opendata_scan_run", {"resource_id": res["id"]})):
        if allowed:
            assert tk.check_access(action, dict(ctx), data)
        else:
            with pytest.raises(tk.NotAuthorized):
                tk.check_access(action, dict(ctx), data)
