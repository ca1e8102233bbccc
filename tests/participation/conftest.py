"""Fixtures of the participation tests: the people of every role around ``agency``, a
published dataset, and helpers to file data requests and put them in a state."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.participation.model import DataRequest


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


def act(name, user, **data):
    return tk.get_action(name)(ctx(user), data)


@pytest.fixture
def dataset(people, published_dataset):
    return published_dataset(name="lyg-bus-lines", title="连云港市公交线路",
                             notes="全市公交线路及站点。")


@pytest.fixture
def file_request(people):
    """File a data request as the registered user (or ``user``)."""
    def run(user=None, **kwargs):
        data = {"title": "公共停车场实时空余泊位", "description": "希望开放全市公共停车场的实时空余泊位数据。",
                "purpose": "开发停车导航小程序"}
        data.update(kwargs)
        return act("lyg_opendata_data_request_create", user or people["registered"], **data)
    return run


@pytest.fixture
def in_state(file_request, agency):
    """A request put directly in ``status``, routed to ``agency`` with a running clock."""
    from ckanext.lyg_opendata import workdays

    def run(status, **kwargs):
        req = file_request(**kwargs)
        row = model.Session.get(DataRequest, req["id"])
        row.status = status
        row.organization_id = agency["id"]
        row.clock_start = workdays.today_beijing()
        row.clock_days = 15
        model.repo.commit()
        return req
    return run
