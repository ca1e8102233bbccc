"""The ``lyg_opendata`` plugin: registration only, the logic lives in the domain modules."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.lyg_opendata import registry, search
from ckanext.lyg_opendata.access import redaction
from ckanext.lyg_opendata.catalog import index
from ckanext.lyg_opendata.catalog.labels import ReviewPermissionLabels
from ckanext.lyg_opendata.evaluation import quality
from ckanext.lyg_opendata.data import scan as data_scan
from ckanext.xloader.interfaces import IXloader
from ckanext.lyg_opendata.objections import index as objections_index
from ckanext.lyg_opendata.participation import publishers, ratings
from ckanext.lyg_opendata.portal import config as portal_config


XLOADER_SQLITE_DEFAULT = "sqlite:////tmp/xloader_jobs.db"

# the nullable columns of the package table that core's package_show always returns
CORE_PACKAGE_KEYS = ("author", "author_email", "maintainer", "maintainer_email", "notes",
                     "url", "version", "license_id")


@tk.blanket.actions(registry.get_actions)
@tk.blanket.auth_functions(registry.get_auth_functions)
@tk.blanket.blueprints(registry.get_blueprints)
@tk.blanket.cli(registry.get_commands)
@tk.blanket.config_declarations
@tk.blanket.helpers(registry.get_helpers)
@tk.blanket.validators(registry.get_validators)
class LygOpendataPlugin(p.SingletonPlugin, DefaultTranslation, ReviewPermissionLabels):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IXloader, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ISignal)
    p.implements(p.IAuthenticator, inherit=True)

    # ISignal: side effects of workflow transitions run after the action (workflow.after);
    # account security records sign-ins, failures, tokens and role changes (identity/security)
    def get_signal_subscriptions(self):
        from ckanext.lyg_opendata import workflow
        from ckanext.lyg_opendata.identity.security import hooks as security_hooks
        subscriptions = workflow.signal_subscriptions()
        for signal, receivers in security_hooks.signal_subscriptions().items():
            subscriptions[signal] = subscriptions.get(signal, []) + receivers
        return subscriptions

    # IAuthenticator: lock-out after failed sign-ins, the second factor (identity/security)
    def login(self):
        from ckanext.lyg_opendata.identity.security import hooks as security_hooks
        return security_hooks.login()

    def authenticate(self, identity):
        from ckanext.lyg_opendata.identity.security import hooks as security_hooks
        return security_hooks.authenticate(identity)

    # IMiddleware: CSRF protection no earlier request can switch off (csrf.py); the bulk
    # page shows a refused bulk change instead of a 500 (catalog/bulk.py)
    def make_middleware(self, app, config):
        if hasattr(app, "before_request") and hasattr(app, "extensions"):
            from ckanext.lyg_opendata import csrf
            from ckanext.lyg_opendata.catalog import bulk
            from ckanext.lyg_opendata.identity.security import sessions
            csrf.install(app)
            bulk.install(app)
            # a session whose password was changed elsewhere is signed out
            app.before_request(sessions.check_session)
            # no third-party images, fonts or media on any page
            from ckanext.lyg_opendata.identity.security import third_party
            app.after_request(third_party.add_policy)
        return app

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "lyg_opendata")
        tk.add_public_directory(config, "public")
        portal_config.update_config(config)
        # xloader's jobs table in the CKAN database, not in a SQLite file shared by every
        # portal of the machine
        if config.get("ckanext.xloader.jobs_db.uri") in (None, "", XLOADER_SQLITE_DEFAULT):
            config["ckanext.xloader.jobs_db.uri"] = config.get("sqlalchemy.url")

    def update_config_schema(self, schema):
        return portal_config.update_config_schema(schema)

    # IConfigurable
    def configure(self, config):
        # GB18030/GBK and UTF-8 files that chardet is unsure of load as what they are
        from ckanext.lyg_opendata.data import encoding
        encoding.install()

    # IPackageController
    def before_dataset_search(self, search_params):
        return search.adjust_search_params(search_params)

    def after_dataset_search(self, search_results, search_params):
        return redaction.after_dataset_search(publishers.label_facets(
            objections_index.label_facets(quality.label_facets(
                index.label_facets(search_results)))))

    def before_dataset_index(self, pkg_dict):
        return redaction.before_dataset_index(publishers.before_dataset_index(
            ratings.before_dataset_index(objections_index.before_dataset_index(
                search.before_dataset_index(quality.before_dataset_index(
                    index.before_dataset_index(pkg_dict)))))))

    def after_dataset_show(self, context, pkg_dict):
        # the catalog fields are stored as extras and scheming takes them out of the list:
        # a dataset without free extras keeps the (empty) list, as core's schema gives it
        pkg_dict.setdefault("extras", [])
        # scheming drops the empty catalog fields that are package columns (maintainer, url
        # …); core always gives them, null when empty
        for key in CORE_PACKAGE_KEYS:
            pkg_dict.setdefault(key, None)
        return redaction.after_dataset_show(
            context, publishers.without_field(
                ratings.without_fields(objections_index.without_marker(pkg_dict))))

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return publishers.dataset_facets(objections_index.dataset_facets(
            quality.dataset_facets(index.dataset_facets(facets_dict))))

    # IResourceController: every new or replaced upload is scanned for personal data
    def after_resource_create(self, context, resource):
        data_scan.on_resource_saved(resource)

    def after_resource_update(self, context, resource):
        data_scan.on_resource_saved(resource)

    # IXloader: after a load, the data dictionary from the 数据项 and the DataStore scan
    def after_upload(self, context, resource_dict, dataset_dict):
        data_scan.on_xloader_upload(resource_dict)
