"""The withdrawal path of an objection (Art 26): on an accepted privacy or trade-secret
objection the dataset is withdrawn at once and everyone who used it is told."""
from __future__ import annotations


import sqlalchemy.orm  # noqa: F401 (sa.orm)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.objections import schema, workflow

_ = tk._

__all__ = [
    "lyg_opendata_objection_withdraw_dataset",
    "lyg_opendata_objection_affected_users",
]


# --- the withdrawal path (Art 26) ----------------------------------------------------------

def affected_user_ids(package_id: str) -> list[str]:
    """Everyone who downloaded the dataset's data or was granted access to it."""
    from ckanext.lyg_opendata import audit
    ids = list(audit.people_who_accessed(package_id) or [])
    try:
        from ckanext.lyg_opendata.access.grants import grantee_ids
    except ImportError:
        grantee_ids = None
    if grantee_ids is not None:
        ids += list(grantee_ids(package_id) or [])
    return list(dict.fromkeys(i for i in ids if i))


def lyg_opendata_objection_withdraw_dataset(context, data_dict):
    """On an accepted privacy or trade-secret objection, withdraw the dataset at once
    (review status ``withdrawn``, public notice at /opendata/withdrawn) and notify everyone
    who downloaded it or was granted access (Art 26). Re-publication goes through review.

    One transaction: the objection's event is written first (under the objection's lock),
    then the review withdrawal writes the dataset and commits both together (core's
    ``package_update`` commits), so there is never a withdrawn dataset without its event nor
    an event without the withdrawal. The people concerned hear from ``notices`` once the
    action has succeeded.

    :param id: the objection's id
    :param reason: shown in the public withdrawal notice (required)
    :returns: ``objection``, ``notified`` (number of people told), ``affected_users``
    """
    data = schema.validate(data_dict, schema.reason_schema())
    obj = workflow.get(data["id"])
    tk.check_access("lyg_opendata_objection_withdraw_dataset", context, data)
    if obj.type != "privacy":
        raise tk.ValidationError({"id": [
            _("Only a privacy or trade-secret objection leads to withdrawal")]})
    if obj.status not in workflow.MARKER_STATES:
        raise tk.ValidationError({"status": [
            _("Accept the objection for verification before withdrawing the dataset")]})
    obj = workflow.lock(obj.id)
    if obj.status not in workflow.MARKER_STATES:  # changed while we waited for the lock
        shared.fail("status", _("Accept the objection for verification before withdrawing "
                                "the dataset"))
    user_ids = affected_user_ids(obj.package_id)
    workflow.record(obj, context.get("user"), "withdraw_dataset", obj.status, obj.status,
                    text=data["reason"], data={"affected_users": len(user_ids)})
    tk.get_action("lyg_opendata_review_withdraw")(
        {"user": context.get("user")}, {"id": obj.package_id, "reason": data["reason"]})
    shared.commit(context)
    workflow.reindex(obj.package_id)
    affected = _user_list(user_ids)
    return {"objection": workflow.objection_dict(obj, "insider"), "notified": len(affected),
            "affected_users": affected}


def _user_list(user_ids: list[str]) -> list[dict]:
    if not user_ids:
        return []
    users = model.Session.query(model.User).filter(model.User.id.in_(user_ids)).all()
    return [{"id": u.id, "name": u.name, "display_name": u.display_name} for u in users]


@tk.side_effect_free
def lyg_opendata_objection_affected_users(context, data_dict):
    """Who downloaded the dataset's data or was granted access to it (from the access log
    and the grants), for the agency and supervisors handling a privacy objection.

    :param id: the objection's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    obj = workflow.get(data["id"])
    tk.check_access("lyg_opendata_objection_affected_users", context, data)
    return _user_list(affected_user_ids(obj.package_id))
