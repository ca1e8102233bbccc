"""``ckan lyg-opendata data …``: the API token make run gives xloader, default views for
resources made before the views were configured."""
from __future__ import annotations

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.cli import lyg_opendata
from tests.data.conftest import upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_xloader_token_authenticates_as_the_site_user(cli):
    from ckan.lib.api_token import get_user_from_token
    result = cli.invoke(lyg_opendata, ["data", "xloader-token"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    user = get_user_from_token(token)
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    assert user is not None and user.name == site


@pytest.mark.ckan_config("ckan.views.default_views", [])
def test_create_views_adds_the_default_views_to_existing_resources(
        cli, create_dataset, sysadmin, monkeypatch):
    ds = create_dataset(name="reports")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "报告", "format": "PDF", "url": "report.pdf",
        "upload": upload(b"%PDF-1.4\n%%EOF\n", "report.pdf", "application/pdf")})
    assert tk.get_action("resource_view_list")({"user": sysadmin["name"]}, {"id": res["id"]}) == []
    monkeypatch.setitem(tk.config, "ckan.views.default_views", ["lyg_pdf_view", "image_view"])
    result = cli.invoke(lyg_opendata, ["data", "create-views", "--dataset", "reports"])
    assert result.exit_code == 0, result.output
    model.Session.remove()
    views = tk.get_action("resource_view_list")({"user": sysadmin["name"]}, {"id": res["id"]})
    assert [v["view_type"] for v in views] == ["lyg_pdf_view"], result.output
    again = cli.invoke(lyg_opendata, ["data", "create-views", "--dataset", "reports"])
    assert "views created: 0" in again.output
