"""Pages and form endpoints (tk.blanket.blueprints collects the blueprints listed here)."""
from __future__ import annotations

from ckanext.lyg_opendata.catalog.freshness_views import freshness_blueprint
from ckanext.lyg_opendata.catalog.openlist_views import openlist_blueprint
from ckanext.lyg_opendata.catalog.views import catalog
from ckanext.lyg_opendata.frontend import frontend
from ckanext.lyg_opendata.portal.views import portal_blueprint
from ckanext.lyg_opendata.workdays.views import calendar_blueprint

from ckanext.lyg_opendata.dcat.endpoints import endpoints as dcat_endpoints

__all__ = ["catalog", "openlist_blueprint", "freshness_blueprint", "frontend",
           "calendar_blueprint", "dcat_endpoints", "portal_blueprint"]

# Per-domain modules: each lists what it registers in its __all__.
from ckanext.lyg_opendata.access.application_views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.application_views as _access_application_views  # noqa: E402
__all__ += _access_application_views.__all__
from ckanext.lyg_opendata.access.agreement_views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.agreement_views as _access_agreement_views  # noqa: E402
__all__ += _access_agreement_views.__all__

from ckanext.lyg_opendata.audit.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.audit.views as _audit_views  # noqa: E402
__all__ += _audit_views.__all__
from ckanext.lyg_opendata.objections.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.objections.views as _objections_views  # noqa: E402
__all__ += _objections_views.__all__
from ckanext.lyg_opendata.participation.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.views as _participation_views  # noqa: E402
__all__ += _participation_views.__all__
from ckanext.lyg_opendata.disclosure.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.disclosure.views as _disclosure_views  # noqa: E402
__all__ += _disclosure_views.__all__
from ckanext.lyg_opendata.data.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.data.views as _data_views  # noqa: E402
__all__ += _data_views.__all__
from ckanext.lyg_opendata.evaluation.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.evaluation.views as _evaluation_views  # noqa: E402
__all__ += _evaluation_views.__all__
from ckanext.lyg_opendata.identity.oidc_views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.identity.oidc_views as _identity_oidc_views  # noqa: E402
__all__ += _identity_oidc_views.__all__

from ckanext.lyg_opendata.identity.security.views import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.identity.security.views as _identity_security_views  # noqa: E402
__all__ += _identity_security_views.__all__
