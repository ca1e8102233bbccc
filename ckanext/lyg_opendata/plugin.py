"""The ``lyg_opendata`` plugin: registration only, the logic lives in the domain modules."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.lyg_opendata import search


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
class LygOpendataPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # IPackageController
    def before_dataset_search(self, search_params):
        return search.adjust_search_params(search_params)
