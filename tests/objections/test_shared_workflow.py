"""The shared workflow shape (``ckanext.lyg_opendata.workflow``) as the objection workflow
uses it: the transition table, the row lock, ``defer_commit`` and the notices from the
action's success signal with its one error policy."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workflow as shared
from ckanext.lyg_opendata.objections.model import Objection, ObjectionEvent

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.ip", 0)]


def test_transitions_read_as_their_table_and_refuse_with_a_translated_field_error():
    table = shared.Transitions({"go": (["a"], "b"), "stop": (["a", "b"], "c")},
                               refused=shared.N_("A %(status)s thing cannot be %(action)s"),
                               field="state")
    assert dict(table) == {"go": (frozenset({"a"}), "b"), "stop": (frozenset({"a", "b"}), "c")}
    assert table.states == {"a", "b", "c"}
    assert table.allowed("a") == ["go", "stop"] and table.allowed("c") == []
    assert table.target("go", "a") == "b" and table.can("stop", "b") and not table.can("go", "b")
    with pytest.raises(tk.ValidationError) as err:
        table.target("go", "c")
    assert err.value.error_dict == {"state": ["A c thing cannot be go"]}
    with pytest.raises(KeyError):
        table.target("fly", "a")


def test_locked_refuses_unknown_and_malformed_ids():
    for bad in (None, "", "no-such-objection", 42):
        with pytest.raises(tk.ObjectNotFound):
            shared.locked(Objection, bad, "Objection not found")


def test_defer_commit_leaves_the_transaction_to_the_caller(people, raise_objection):
    obj = raise_objection()
    context = {**ctx(people["agency_editor"]), "defer_commit": True}
    assert tk.get_action("lyg_opendata_objection_accept")(context, {"id": obj["id"]})["status"] == "accepted"
    model.Session.rollback()  # the caller's composed action failed
    assert model.Session.get(Objection, obj["id"]).status == "submitted"
    assert model.Session.query(ObjectionEvent).filter(
        ObjectionEvent.objection_id == obj["id"], ObjectionEvent.action == "accept").count() == 0


def test_notices_follow_the_success_and_a_failing_receiver_never_fails_the_action(people, raise_objection):
    obj = raise_objection()
    raiser = model.User.get(people["registered"]["name"])
    before = model.Session.query(notify.Notice).filter(notify.Notice.user_id == raiser.id).count()

    def broken(context, data_dict, result):
        raise RuntimeError("the mail server is down")

    shared.after("lyg_opendata_objection_accept")(broken)
    try:
        result = tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    finally:
        shared._receivers["lyg_opendata_objection_accept"].remove(broken)
    assert result["status"] == "accepted"
    model.Session.expire_all()
    assert model.Session.get(Objection, obj["id"]).status == "accepted"
    # the objection's own receiver (registered first) told the raiser
    assert model.Session.query(notify.Notice).filter(notify.Notice.user_id == raiser.id).count() == before + 1
