"""The proactive disclosure catalog (主动公开) through the action API and its pages: entries
by the guide's categories, the 20-working-day rule on the shared calendar (late entries
flagged and counted), Chinese search, field errors with nothing written, every move from
every state, and who may do what by role."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure.proactive import auth as govinfo_auth
from ckanext.lyg_opendata.disclosure.proactive import codes, workflow
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo, GovInfoEvent
from ckanext.lyg_opendata.workdays import loader

from tests.conftest import ROLES
from tests.disclosure.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def act(name, user, **data):
    return tk.get_action(f"lyg_opendata_govinfo_{name}")(ctx(user), data)


def entry(**kwargs):
    data = {"title": "市政府关于印发连云港市机动车停车场管理办法的通知", "doc_number": "连政发〔2026〕1号",
            "category": "government_documents", "kind": "rule", "written_on": "2026-09-18",
            "forms": ["portal", "gazette"], "validity": "valid",
            "summary": "《连云港市机动车停车场管理办法》已经市政府常务会议审议通过。",
            "body": "第一条 为加强机动车停车场管理，制定本办法。"}
    data.update(kwargs)
    return data


@pytest.fixture
def enter(people, agency):
    def run(user=None, **kwargs):
        return act("create", user or people["agency_editor"], organization=agency["id"], **entry(**kwargs))
    return run


def test_entered_as_draft_then_published_public_only_once_published(people, enter):
    loader.load_library_year(2026)
    made = enter()
    assert made["status"] == "draft" and made["published_on"] is None
    assert made["category_label"] == "市政府文件" and made["forms"] == ["portal", "gazette"]
    # formed Friday 18 Sep 2026: 20 working days across 中秋/国庆 and the 调休 days → 22 Oct
    assert made["deadline"] == "2026-10-22" and not made["deadline_provisional"]
    assert made["overdue"]  # a draft past its day (today is after it)
    anonymous = act("search", None)
    assert anonymous["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        act("show", None, id=made["id"])
    done = act("publish", people["agency_editor"], id=made["id"], published_on="2026-10-22")
    assert done["status"] == "published" and not done["late"] and done["days_to_publish"] == 20
    public = act("search", None)
    assert [r["id"] for r in public["results"]] == [made["id"]]
    assert public["late_count"] == 0 and public["facets"]["category"]["government_documents"] == 1
    assert public["facets"]["year"] == {2026: 1}
    shown = act("show", None, id=made["id"])
    assert shown["body"].startswith("第一条") and "events" not in shown
    staff = act("show", people["agency_editor"], id=made["id"])
    assert [e["action"] for e in staff["events"]] == ["create", "publish"]


@pytest.mark.parametrize("written,changed,published,late", [
    ("2026-09-18", None, "2026-10-22", False),   # the 20th working day
    ("2026-09-18", None, "2026-10-23", True),    # one day late
    ("2026-09-30", None, "2026-11-03", False),   # 国庆 week not counted, 10 Oct 调休 counted
    ("2026-09-30", None, "2026-11-04", True),
    ("2026-01-05", "2026-09-18", "2026-10-22", False),  # changed: the clock starts again
])
def test_twenty_working_days_from_written_or_changed(enter, people, written, changed, published, late):
    loader.load_library_year(2026)
    kwargs = {"written_on": written, "publish": True, "published_on": published}
    if changed:
        kwargs["changed_on"] = changed
    made = enter(**kwargs)
    assert made["late"] is late and made["published_on"] == published
    found = act("search", None, late=True)
    assert found["count"] == (1 if late else 0) and found["late_count"] == (1 if late else 0)


def test_search_in_chinese_by_category_year_and_agency(enter, people):
    parking = enter(publish=True, published_on="2026-10-20")
    enter(title="市十四届政府第67次常务会议", category="meetings", doc_number="", kind="other",
          body="会议研究了停车场建设等事项。", written_on="2025-02-26", publish=True,
          published_on="2025-02-26")
    enter(title="连云港市2025年国民经济和社会发展统计公报", category="statistics", body="", doc_number="",
          summary="", written_on="2026-03-01", publish=True, published_on="2026-03-02")
    search = lambda **q: [r["title"] for r in act("search", None, **q)["results"]]  # noqa: E731
    assert len(search(q="停车场")) == 2
    assert search(q="停车场 第67次") == ["市十四届政府第67次常务会议"]
    assert search(q="连政发〔2026〕1号") == [parking["title"]]
    assert search(q="100%") == [] and search(q="_") == []
    assert search(category="statistics") == ["连云港市2025年国民经济和社会发展统计公报"]
    assert search(year=2025) == ["市十四届政府第67次常务会议"]
    assert len(search(organization="lyg-jtj-test")) == 3 and search(organization="lyg-other-agency") == []
    result = act("search", None, category="meetings")
    assert result["facets"]["category"]["statistics"] == 1  # the facets ignore the category chosen
    assert set(result["facets"]["category"]) == set(codes.codes("category"))
    assert act("search", None, limit=1)["count"] == 3
    assert len(act("search", None, limit=1, offset=2)["results"]) == 1


@pytest.mark.parametrize("bad,fields", [
    ({"title": "", "category": "nonsense", "written_on": "18/09/2026"}, {"title", "category", "written_on"}),
    ({"forms": ["portal", "radio"], "kind": "law"}, {"forms", "kind"}),
    ({"written_on": "2999-01-01"}, {"written_on"}),
    ({"changed_on": "2026-09-01"}, {"changed_on"}),
    ({"validity": "valid", "repealed_on": "2026-10-01"}, {"repealed_on"}),
    ({"publish": True, "published_on": "2026-09-17"}, {"published_on"}),
    ({"title": "x" * 301, "body": "<script>alert(1)</script>" * 9000}, {"title", "body"}),
])
def test_field_errors_and_nothing_written(enter, bad, fields):
    with pytest.raises(tk.ValidationError) as err:
        enter(**bad)
    assert set(err.value.error_dict) == fields
    assert all(isinstance(m, str) and m for msgs in err.value.error_dict.values() for m in msgs)
    assert model.Session.query(GovInfo).count() == 0
    assert model.Session.query(GovInfoEvent).count() == 0


def test_unknown_agency_and_entry(people):
    with pytest.raises(tk.ValidationError) as err:
        act("create", people["sysadmin"], organization="no-such-agency", **entry())
    assert set(err.value.error_dict) == {"organization"}
    for name in ("show", "publish", "withdraw", "update"):
        with pytest.raises(tk.ObjectNotFound):
            act(name, people["sysadmin"], id="no-such-entry", text="理由")


def test_update_keeps_what_is_not_sent_and_refuses_withdrawn(enter, people):
    made = enter(publish=True, published_on="2026-10-20")
    changed = act("update", people["agency_editor"], id=made["id"], changed_on="2026-11-02",
                  published_on="2026-11-03", validity="repealed", repealed_on="2026-11-02")
    assert changed["title"] == made["title"] and changed["changed_on"] == "2026-11-02"
    assert changed["published_on"] == "2026-11-03" and changed["validity"] == "repealed"
    with pytest.raises(tk.ValidationError) as err:
        act("update", people["agency_editor"], id=made["id"], title="")
    assert set(err.value.error_dict) == {"title"}
    assert model.Session.get(GovInfo, made["id"]).title == made["title"]
    act("withdraw", people["agency_admin"], id=made["id"], text="文件已废止，撤下。")
    with pytest.raises(tk.ValidationError) as err:
        act("update", people["agency_editor"], id=made["id"], title="新标题")
    assert set(err.value.error_dict) == {"status"}


STATES = sorted(workflow.TRANSITIONS.states)
VALID = {"publish": {"draft"}, "withdraw": {"published"}}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", sorted(VALID))
def test_every_verb_from_every_state(enter, people, state, verb):
    assert set(workflow.TRANSITIONS) == set(VALID)
    made = enter()
    row = model.Session.get(GovInfo, made["id"])
    row.status = state
    row.published_on = dt.date(2026, 10, 20) if state != "draft" else None
    model.repo.commit()
    data = {"id": made["id"], "text": "理由说明"}
    if state in VALID[verb]:
        out = act(verb, people["sysadmin"], **data)
        assert out["status"] == workflow.TRANSITIONS[verb][1]
    else:
        with pytest.raises(tk.ValidationError) as err:
            act(verb, people["sysadmin"], **data)
        assert set(err.value.error_dict) == {"status"}
        assert model.Session.get(GovInfo, made["id"]).status == state


EVERYONE = set(ROLES)
AGENCY = {"agency_editor", "agency_admin", "sysadmin"}
MATRIX = [
    ("lyg_opendata_govinfo_create", None, AGENCY),
    ("lyg_opendata_govinfo_update", "draft", AGENCY),
    ("lyg_opendata_govinfo_publish", "draft", AGENCY),
    ("lyg_opendata_govinfo_withdraw", "published", {"agency_admin", "supervisor", "sysadmin"}),
    ("lyg_opendata_govinfo_show", "draft", AGENCY | {"supervisor"}),
    ("lyg_opendata_govinfo_show", "published", EVERYONE),
    ("lyg_opendata_govinfo_search", None, EVERYONE),
    ("lyg_opendata_govinfo_file_download", "draft", AGENCY | {"supervisor"}),
    ("lyg_opendata_govinfo_file_download", "published", EVERYONE),
]


def test_every_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == set(govinfo_auth.__all__)


@pytest.mark.parametrize("auth_name,state,allowed", MATRIX,
                         ids=[f"{a.split('govinfo_')[1]}-{s}" for a, s, _r in MATRIX])
def test_govinfo_permission_matrix(auth_name, state, allowed, people, agency, enter):
    data = {"organization": agency["id"]}
    if state:
        made = enter(publish=state == "published", published_on="2026-10-20")
        data = {"id": made["id"]}
    for role in ROLES:
        context = {"user": people[role]["name"] if people[role] else "", "model": model}
        if role in allowed:
            assert tk.check_access(auth_name, context, dict(data)), role
        else:
            with pytest.raises(tk.NotAuthorized):
                tk.check_access(auth_name, context, dict(data))
                pytest.fail(f"{role} was allowed {auth_name}")


def test_another_agency_cannot_enter_for_this_one_and_staff_lists(people, agency, enter):
    with pytest.raises(tk.NotAuthorized):
        act("create", people["other_agency_editor"], organization=agency["id"], **entry())
    draft = enter()
    assert act("search", people["other_agency_editor"])["count"] == 0
    assert [r["id"] for r in act("search", people["agency_editor"], status="draft")["results"]] == [draft["id"]]
    assert act("search", people["supervisor"])["count"] == 1
    assert act("search", people["registered"], status="draft")["count"] == 0


def auth(user):
    return {"Authorization": user["token"]} if user else {}


def test_pages_list_by_category_escape_and_show_field_errors(app, people, agency, enter):
    made = enter(title="<script>alert('x')</script>停车场管理办法", publish=True,
                 published_on="2026-10-23")
    listing = app.get("/opendata/govinfo")
    assert listing.status_code == 200
    assert "<script>alert('x')</script>" not in listing.body
    assert "&lt;script&gt;" in listing.body and "市政府领导分工、工作规则、机构职能" in listing.body
    assert 'data-category="government_documents">1<' in listing.body
    assert "lyg-govinfo-late" in listing.body and "lyg-govinfo-new" not in listing.body
    assert "lyg-govinfo-new" in app.get("/opendata/govinfo", headers=auth(people["agency_editor"])).body
    assert made["id"] in app.get("/opendata/govinfo?q=停车场&category=government_documents").body
    assert made["id"] not in app.get("/opendata/govinfo?category=meetings").body
    assert app.get("/opendata/govinfo?year=abc").status_code == 200
    read = app.get(f"/opendata/govinfo/{made['id']}")
    assert read.status_code == 200 and "连政发〔2026〕1号" in read.body and "&lt;script&gt;" in read.body
    assert "lyg-govinfo-withdraw" not in read.body
    assert "lyg-govinfo-withdraw" in app.get(f"/opendata/govinfo/{made['id']}",
                                             headers=auth(people["agency_admin"])).body
    assert app.get("/opendata/govinfo/no-such-entry").status_code == 404
    draft = enter(title="草稿")
    assert app.get(f"/opendata/govinfo/{draft['id']}").status_code == 403
    assert app.get("/opendata/govinfo/new", headers=auth(people["registered"])).status_code == 403
    bad = app.post("/opendata/govinfo/new", headers=auth(people["agency_editor"]),
                   data={"organization": agency["name"], "title": "", "category": "",
                         "written_on": "2026-13-01", "forms": "portal"})
    assert bad.status_code == 200 and bad.body.count("error-block") >= 3
    assert model.Session.query(GovInfo).count() == 2
    ok = app.post("/opendata/govinfo/new", headers=auth(people["agency_editor"]),
                  data={"organization": agency["name"], "title": "市政府办公室关于印发应急预案的通知",
                        "category": "emergency", "written_on": "2026-11-02", "forms": "portal",
                        "publish": "true"}, follow_redirects=False)
    assert ok.status_code == 302
    row = model.Session.query(GovInfo).filter(GovInfo.category == "emergency").one()
    assert row.status == "published" and row.published_on is not None
    moved = app.post(f"/opendata/govinfo/{draft['id']}/publish", headers=auth(people["agency_editor"]),
                     data={"published_on": "2026-11-02"}, follow_redirects=False)
    assert moved.status_code == 302
    assert model.Session.get(GovInfo, draft["id"]).status == "published"
    refused = app.post(f"/opendata/govinfo/{draft['id']}/withdraw", headers=auth(people["agency_editor"]),
                       data={"text": "理由说明"})
    assert refused.status_code == 403


def test_the_change_link_only_for_the_agency_staff(app, people, enter):
    """``perms.update`` in Jinja is dict.update (always true): the link showed to everybody."""
    made = enter(title="市政府关于停车场管理的通知", publish=True, published_on="2026-10-23")
    page = f"/opendata/govinfo/{made['id']}"
    for who in (None, people["registered"]):
        assert "lyg-govinfo-edit" not in app.get(page, headers=auth(who)).body
    assert "lyg-govinfo-edit" in app.get(page, headers=auth(people["agency_editor"])).body
