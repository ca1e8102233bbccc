"""Actions registered with CKAN (tk.blanket.actions): the domains' actions and the
chained core actions."""
from ckanext.lyg_opendata.catalog.action import (  # noqa: F401
    lyg_opendata_review_approve,
    lyg_opendata_review_change_approve,
    lyg_opendata_review_change_return,
    lyg_opendata_review_change_show,
    lyg_opendata_review_history,
    lyg_opendata_review_my_submissions,
    lyg_opendata_review_queue,
    lyg_opendata_review_return,
    lyg_opendata_review_submit,
    lyg_opendata_review_withdraw,
    lyg_opendata_withdrawal_list,
)
from ckanext.lyg_opendata.catalog.freshness import lyg_opendata_overdue_list  # noqa: F401
from ckanext.lyg_opendata.catalog.openlist import lyg_opendata_open_list  # noqa: F401
from ckanext.lyg_opendata.workdays.action import (  # noqa: F401
    lyg_opendata_calendar_year_list,
    lyg_opendata_calendar_year_load,
    lyg_opendata_calendar_year_show,
    lyg_opendata_workdays_add,
)
from ckanext.lyg_opendata.access.redaction import dcat_dataset_show  # noqa: F401
from ckanext.lyg_opendata.search import lyg_opendata_search_suggest  # noqa: F401
from ckanext.lyg_opendata.catalog.guard import (  # noqa: F401
    bulk_update_private,
    bulk_update_public,
    package_create,
    package_update,
)

__all__ = [
    "lyg_opendata_review_approve",
    "lyg_opendata_review_change_approve",
    "lyg_opendata_review_change_return",
    "lyg_opendata_review_change_show",
    "lyg_opendata_review_history",
    "lyg_opendata_review_my_submissions",
    "lyg_opendata_review_queue",
    "lyg_opendata_review_return",
    "lyg_opendata_review_submit",
    "lyg_opendata_review_withdraw",
    "lyg_opendata_withdrawal_list",
    "lyg_opendata_open_list",
    "lyg_opendata_overdue_list",
    "lyg_opendata_calendar_year_list",
    "lyg_opendata_calendar_year_load",
    "lyg_opendata_calendar_year_show",
    "lyg_opendata_workdays_add",
    "lyg_opendata_search_suggest",
    "dcat_dataset_show",
    "bulk_update_private",
    "bulk_update_public",
    "package_create",
    "package_update",
]

# Per-domain modules: each lists what it registers in its __all__.
from ckanext.lyg_opendata.access.application_action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.application_action as _access_application_action  # noqa: E402
__all__ += _access_application_action.__all__
from ckanext.lyg_opendata.access.agreement_action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.agreement_action as _access_agreement_action  # noqa: E402
__all__ += _access_agreement_action.__all__
from ckanext.lyg_opendata.access.enforce_action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.enforce_action as _access_enforce_action  # noqa: E402
__all__ += _access_enforce_action.__all__

from ckanext.lyg_opendata.audit.action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.audit.action as _audit_action  # noqa: E402
__all__ += _audit_action.__all__
from ckanext.lyg_opendata.objections.action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.objections.action as _objections_action  # noqa: E402
__all__ += _objections_action.__all__
from ckanext.lyg_opendata.participation.action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.action as _participation_action  # noqa: E402
__all__ += _participation_action.__all__
from ckanext.lyg_opendata.participation.ratings import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.ratings as _participation_ratings  # noqa: E402
__all__ += _participation_ratings.__all__
from ckanext.lyg_opendata.participation.publishers import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.publishers as _participation_publishers  # noqa: E402
__all__ += _participation_publishers.__all__
from ckanext.lyg_opendata.participation.suggestions import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.suggestions as _participation_suggestions  # noqa: E402
__all__ += _participation_suggestions.__all__
from ckanext.lyg_opendata.data.action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.data.action as _data_action  # noqa: E402
__all__ += _data_action.__all__
from ckanext.lyg_opendata.disclosure.action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.disclosure.action as _disclosure_action  # noqa: E402
__all__ += _disclosure_action.__all__

from ckanext.lyg_opendata.evaluation.action import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.evaluation.action as _evaluation_action  # noqa: E402
__all__ += _evaluation_action.__all__

from ckanext.lyg_opendata.dcat.deletions import lyg_opendata_harvest_deletions_confirm  # noqa: F401,E402
__all__ += ["lyg_opendata_harvest_deletions_confirm"]

from ckanext.lyg_opendata.identity.security.audit import (  # noqa: F401,E402
    api_token_revoke, lyg_opendata_security_event_list)
from ckanext.lyg_opendata.identity.security.password import user_create, user_update  # noqa: F401,E402
__all__ += ["lyg_opendata_security_event_list", "user_create", "user_update", "api_token_revoke"]

# every lyg_opendata_* action authorises before it validates (authz.py)
from ckanext.lyg_opendata import authz as _authz  # noqa: E402
_authz.wrap_actions(globals(), list(__all__))

# chains of other plugins' functions (DataStore, DCAT) are listed only while those are loaded
__all__ = _access_enforce_action.PluginAwareNames(__all__)
