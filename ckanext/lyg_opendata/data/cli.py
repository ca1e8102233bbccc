"""``ckan lyg-opendata data …``: the API token ckanext-xloader works with, the default
views of existing resources, loading existing files into the DataStore."""
from __future__ import annotations

import click

import ckan.model as model
import ckan.plugins.toolkit as tk


@click.group(name="data")
def data():
    """Data files: DataStore loading, previews, the personal-data scan."""


@data.command("xloader-token")
def xloader_token():
    """Print a new API token of the site user, for ckanext.xloader.api_token."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    token = tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": site}, {"user": site, "name": "xloader"})["token"]
    click.echo(token)


@data.command("create-views")
@click.option("--dataset", "datasets", multiple=True, help="Only these datasets (name or id).")
def create_views(datasets):
    """Create the default views (ckan.views.default_views) of existing resources that have
    none of that type yet."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"user": site, "ignore_auth": True}
    q = model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.type == "dataset")
    if datasets:
        q = q.filter(model.Package.name.in_(datasets) | model.Package.id.in_(datasets))
    made = 0
    for pkg in q.order_by(model.Package.name):
        pkg_dict = tk.get_action("package_show")(context, {"id": pkg.id})
        views = []
        # CKAN makes either the views that need the DataStore or the others: both
        for datastore in (False, True):
            views += tk.get_action("package_create_default_resource_views")(dict(context), {
                "package": pkg_dict, "create_datastore_views": datastore}) or []
        for view in views:
            made += 1
            click.echo(f"  {pkg.name}: {view['view_type']} ({view['title']})")
    click.echo(f"views created: {made}")


@data.command("load")
@click.option("--dataset", "datasets", multiple=True, help="Only these datasets (name or id).")
def load(datasets):
    """Queue every tabular upload that is not in the DataStore yet for xloader."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    q = model.Session.query(model.Resource).join(model.Package).filter(
        model.Resource.state == "active", model.Package.state == "active")
    if datasets:
        q = q.filter(model.Package.name.in_(datasets) | model.Package.id.in_(datasets))
    queued = 0
    for res in q:
        if res.extras.get("datastore_active") in (True, "True", "true"):
            continue
        if (res.format or "").upper() not in ("CSV", "TSV", "XLSX", "XLS"):
            continue
        if tk.get_action("xloader_submit")({"user": site, "ignore_auth": True},
                                           {"resource_id": res.id}):
            queued += 1
    click.echo(f"queued for the DataStore: {queued}")


COMMANDS = [data]
