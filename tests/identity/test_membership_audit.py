"""Memberships in the sysadmins' security log (issue 20 item 3): a user added to an
organisation or group, their role changed, removed — through the API's organization/group
actions, core's member_create/member_delete, the members page and user_delete — is one
``role_changed`` entry with the group, the role before and after and who did it; nothing is
recorded when nothing changed."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")


def ctx(user):
    return {"user": user["name"]}


def roles_of(sysadmin, user):
    result = tk.get_action("lyg_opendata_security_event_list")(
        ctx(sysadmin), {"user": user["name"], "kind": "role_changed", "limit": 500})
    return [(e["detail"]["change"], e["detail"]["group"], e["detail"]["previous"],
             e["detail"]["capacity"], e["actor"])
            for e in sorted(result["results"], key=lambda e: e["created"])]


def test_added_changed_removed_through_the_organisation_actions(sysadmin, agency):
    clerk = factories.User(name="member-clerk")
    org = agency["name"]
    act = tk.get_action
    act("organization_member_create")(ctx(sysadmin), {"id": org, "username": clerk["name"],
                                                      "role": "editor"})
    act("organization_member_create")(ctx(sysadmin), {"id": org, "username": clerk["name"],
                                                      "role": "editor"})  # no change
    act("organization_member_create")(ctx(sysadmin), {"id": org, "username": clerk["id"],
                                                      "role": "admin"})
    # by id, as the members page sends it
    act("organization_member_delete")(ctx(sysadmin), {"id": agency["id"], "user_id": clerk["id"]})
    act("organization_member_delete")(ctx(sysadmin), {"id": org, "username": clerk["name"]})  # gone
    who = sysadmin["name"]
    assert roles_of(sysadmin, clerk) == [("added", org, "", "editor", who),
                                         ("changed", org, "editor", "admin", who),
                                         ("removed", org, "admin", "", who)]


def test_groups_core_member_actions_and_user_delete(sysadmin, agency, create_dataset):
    person = factories.User(name="member-person")
    group = factories.Group(name="traffic-topic", title="交通主题", user=sysadmin)
    act = tk.get_action
    act("group_member_create")(ctx(sysadmin), {"id": group["id"], "username": person["name"],
                                               "role": "member"})
    act("member_create")(ctx(sysadmin), {"id": agency["id"], "object": person["name"],
                                         "object_type": "user", "capacity": "member"})
    act("member_delete")(ctx(sysadmin), {"id": group["name"], "object": person["id"],
                                         "object_type": "user"})
    act("member_create")(ctx(sysadmin), {"id": group["id"], "object": person["name"],
                                         "object_type": "user", "capacity": "admin"})
    # a dataset added to a group is not a role
    pkg = create_dataset(name="bus-stops")
    act("member_create")(ctx(sysadmin), {"id": group["id"], "object": pkg["id"],
                                         "object_type": "package", "capacity": "public"})
    act("user_delete")(ctx(sysadmin), {"id": person["name"]})
    who = sysadmin["name"]
    entries = roles_of(sysadmin, person)
    assert entries[:3] == [("added", "traffic-topic", "", "member", who),
                           ("added", agency["name"], "", "member", who),
                           ("removed", "traffic-topic", "member", "", who)]
    assert entries[3] == ("added", "traffic-topic", "", "admin", who)
    assert sorted(entries[4:]) == [("removed", agency["name"], "member", "", who),
                                   ("removed", "traffic-topic", "admin", "", who)]
    # the creator of a group becomes its admin: that is recorded too
    assert ("added", "traffic-topic", "", "admin", who) in roles_of(sysadmin, sysadmin)


def test_the_members_page_removal_is_listed_with_its_details(app, sysadmin, agency):
    admin = factories.UserWithToken(name="org-admin-li")
    clerk = factories.User(name="removed-clerk")
    tk.get_action("organization_member_create")(ctx(sysadmin), {
        "id": agency["id"], "username": admin["name"], "role": "admin"})
    tk.get_action("organization_member_create")(ctx(sysadmin), {
        "id": agency["id"], "username": clerk["name"], "role": "editor"})
    res = app.post(f"/organization/member_delete/{agency['name']}?user={clerk['id']}",
                   headers={"Authorization": admin["token"]}, follow_redirects=False)
    assert res.status_code == 302
    assert roles_of(sysadmin, clerk)[-1] == ("removed", agency["name"], "editor", "",
                                             admin["name"])
    page = app.get("/en/ckan-admin/security-events?user=removed-clerk",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert f"{agency['title']}: removed (was Editor)" in page
    assert f"{agency['title']}: added as Editor" in page


def test_a_refused_removal_records_nothing(app, sysadmin, agency):
    clerk = factories.User(name="kept-clerk")
    outsider = factories.User(name="outsider")
    tk.get_action("organization_member_create")(ctx(sysadmin), {
        "id": agency["id"], "username": clerk["name"], "role": "editor"})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("organization_member_delete")(ctx(outsider), {
            "id": agency["id"], "username": clerk["name"]})
    assert [e[0] for e in roles_of(sysadmin, clerk)] == ["added"]
