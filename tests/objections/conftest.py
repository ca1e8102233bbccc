"""Fixtures of the objection tests: a published dataset of ``agency`` with the people of
every role around it, and helpers to raise objections and put them in a state."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections.model import Objection


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


@pytest.fixture
def dataset(people, published_dataset):
    """A published dataset of ``agency`` (created after ``people`` so the roles exist)."""
    return published_dataset(name="lyg-parking", title="连云港市公共停车场",
                             notes="全市共有公共停车场 1200 个。")


@pytest.fixture
def raise_objection(people, dataset):
    """Raise an objection as the registered user (or ``user``)."""
    def run(user=None, **kwargs):
        data = {"package_id": dataset["id"], "type": "error",
                "description": "停车场数量应为 1250 个，不是 1200 个。"}
        data.update(kwargs)
        return tk.get_action("lyg_opendata_objection_create")(ctx(user or people["registered"]), data)
    return run


@pytest.fixture
def in_state(raise_objection):
    """An objection put directly in ``status`` (for the exhaustive transition tests)."""
    def run(status, **kwargs):
        obj = raise_objection(**kwargs)
        row = model.Session.get(Objection, obj["id"])
        row.status = status
        model.repo.commit()
        return obj
    return run
