"""The workbench (工作台) links the agency staff to their government information drafts and the
complaints about their applications, and the supervisors to the complaints to answer and the
entries not published in time, each with its count; nobody else sees these links."""
import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays

from tests.disclosure.conftest import ctx
from tests.disclosure.test_proactive import entry

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

DRAFTS = "/opendata/govinfo?status=draft"
LATE = "late=true"
COMPLAINTS = "/opendata/disclosure/complaints"


def _get(app, path, user):
    return app.get(path, headers={"Authorization": user["token"]})


def _links(app, user):
    """{href: count} of the workbench's links (0: no badge)."""
    soup = BeautifulSoup(_get(app, "/opendata/workbench", user).body, "html.parser")
    out = {}
    for a in soup.select(".lyg-workbench a[href]"):
        badge = a.find_parent("li").select_one("[data-count]")
        out[a["href"]] = int(badge["data-count"]) if badge else 0
    return out


def _count(links, *parts):
    found = [n for href, n in links.items() if all(p in href for p in parts)]
    assert len(found) == 1, (parts, links)
    return found[0]


def test_workbench_links_catalog_drafts_and_complaints_by_role(app, people, agency, applicant,
                                                               in_state):
    def govinfo(user, org, **kw):
        return tk.get_action("lyg_opendata_govinfo_create")(ctx(user), {"organization": org, **entry(**kw)})
    today = workdays.today_beijing().isoformat()
    govinfo(people["agency_editor"], agency["id"], written_on="2020-01-06")     # overdue draft
    govinfo(people["agency_editor"], agency["id"], written_on=today)            # in time
    govinfo(people["other_agency_editor"], "lyg-other-agency", written_on="2020-01-06")
    govinfo(people["agency_editor"], agency["id"], written_on=today, publish=True)  # published
    req = in_state("answered", outcome="withheld")
    tk.get_action("lyg_opendata_disclosure_complaint_create")(ctx(applicant), {
        "request_id": req["id"], "ground": "wrong_answer", "text": "答复未说明不予公开的法律依据。"})

    for role in ("agency_editor", "agency_admin"):
        links = _links(app, people[role])
        assert _count(links, DRAFTS) == 2, role
        assert _count(links, COMPLAINTS) == 1, role
    other = _links(app, people["other_agency_editor"])
    assert _count(other, DRAFTS) == 1 and _count(other, COMPLAINTS) == 0
    sup = _links(app, people["supervisor"])
    assert _count(sup, DRAFTS, LATE) == 2          # both agencies' overdue drafts
    assert _count(sup, COMPLAINTS) == 1
    for user in (people["registered"], applicant):
        links = _links(app, user)
        assert not [h for h in links if "/opendata/govinfo" in h or COMPLAINTS in h], links

    # the links lead to what they count
    page = BeautifulSoup(_get(app, COMPLAINTS, people["agency_editor"]).body, "html.parser")
    assert [a.get_text(strip=True) for a in page.select(".lyg-disclosure-complaint-list a")] == [
        req["number"]]
    page = BeautifulSoup(_get(app, COMPLAINTS, people["other_agency_editor"]).body, "html.parser")
    assert not page.select(".lyg-disclosure-complaint-list a")
    assert app.get(COMPLAINTS, headers={"Authorization": people["registered"]["token"]}).status_code == 403
    drafts = BeautifulSoup(_get(app, DRAFTS, people["agency_editor"]).body, "html.parser")
    late = BeautifulSoup(_get(app, DRAFTS + "&" + LATE, people["supervisor"]).body, "html.parser")
    assert len(drafts.select(".lyg-govinfo-entry")) == 2
    assert len(late.select(".lyg-govinfo-entry")) == 2


def test_complaint_list_of_agency_staff_is_their_agencies_only(people, applicant, in_state):
    req = in_state("answered", outcome="withheld")
    tk.get_action("lyg_opendata_disclosure_complaint_create")(ctx(applicant), {
        "request_id": req["id"], "ground": "wrong_answer", "text": "答复未说明不予公开的法律依据。"})

    def listed(user):
        return tk.get_action("lyg_opendata_disclosure_complaint_list")(ctx(user), {})["count"]
    assert listed(people["agency_editor"]) == listed(people["supervisor"]) == 1
    assert listed(people["other_agency_editor"]) == 0
    with pytest.raises(tk.NotAuthorized):
        listed(people["registered"])
