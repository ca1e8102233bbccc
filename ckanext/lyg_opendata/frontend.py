"""Front-end fixes for a portal whose default language is zh_Hans_CN, and the usage count
of every answered request (portal/usage.py).

CKAN 2.12's JavaScript asks for its translations at ``/api/i18n/<lang>`` with the page's
``lang`` attribute after replacing only the first hyphen (``zh-Hans-CN`` becomes
``zh_Hans-CN``); CKAN answers 400 and, since the modules wait for the translations, no
JavaScript module starts on Chinese pages (autocomplete, the repeating data-item rows,
confirm dialogs …). This static route (werkzeug matches it before CKAN's
``/api/i18n/<lang>``) serves the right catalog.
"""
from __future__ import annotations

from flask import Blueprint

frontend = Blueprint("lyg_opendata_frontend", __name__)


def zh_hans_js_translations():
    from ckan.views.api import i18n_js_translations
    return i18n_js_translations("zh_Hans_CN")


frontend.add_url_rule("/api/i18n/zh_Hans-CN", view_func=zh_hans_js_translations)


@frontend.after_app_request
def _count_usage(response):
    from ckanext.lyg_opendata.portal.usage import count_response
    return count_response(response)
