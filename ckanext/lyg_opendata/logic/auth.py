"""Auth functions registered with CKAN (tk.blanket.auth_functions): one per action."""
from ckanext.lyg_opendata.catalog.auth import (  # noqa: F401
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
from ckanext.lyg_opendata.catalog.freshness_auth import lyg_opendata_overdue_list  # noqa: F401
from ckanext.lyg_opendata.catalog.openlist_auth import lyg_opendata_open_list  # noqa: F401
from ckanext.lyg_opendata.workdays.auth import (  # noqa: F401
    lyg_opendata_calendar_year_list,
    lyg_opendata_calendar_year_load,
    lyg_opendata_calendar_year_show,
    lyg_opendata_workdays_add,
)
from ckanext.lyg_opendata.search import (  # noqa: F401
    lyg_opendata_search_suggest_auth as lyg_opendata_search_suggest,
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
]

# Per-domain modules: each lists what it registers in its __all__.
from ckanext.lyg_opendata.access.application_auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.application_auth as _access_application_auth  # noqa: E402
__all__ += _access_application_auth.__all__
from ckanext.lyg_opendata.access.agreement_auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.agreement_auth as _access_agreement_auth  # noqa: E402
__all__ += _access_agreement_auth.__all__
from ckanext.lyg_opendata.access.enforce_auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.access.enforce_auth as _access_enforce_auth  # noqa: E402
__all__ += _access_enforce_auth.__all__

from ckanext.lyg_opendata.audit.auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.audit.auth as _audit_auth  # noqa: E402
__all__ += _audit_auth.__all__
from ckanext.lyg_opendata.objections.auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.objections.auth as _objections_auth  # noqa: E402
__all__ += _objections_auth.__all__
from ckanext.lyg_opendata.participation.auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.auth as _participation_auth  # noqa: E402
__all__ += _participation_auth.__all__
from ckanext.lyg_opendata.participation.ratings_auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.participation.ratings_auth as _participation_ratings_auth  # noqa: E402
__all__ += _participation_ratings_auth.__all__
from ckanext.lyg_opendata.data.auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.data.auth as _data_auth  # noqa: E402
__all__ += _data_auth.__all__
from ckanext.lyg_opendata.evaluation.auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.evaluation.auth as _evaluation_auth  # noqa: E402
__all__ += _evaluation_auth.__all__
from ckanext.lyg_opendata.disclosure.auth import *  # noqa: F401,F403,E402
import ckanext.lyg_opendata.disclosure.auth as _disclosure_auth  # noqa: E402
__all__ += _disclosure_auth.__all__

from ckanext.lyg_opendata.identity.security.audit import (  # noqa: E402
    auth_event_list as lyg_opendata_security_event_list)
__all__ += ["lyg_opendata_security_event_list"]

# chains of other plugins' functions (DataStore, DCAT) are listed only while those are loaded
from ckanext.lyg_opendata.dcat.deletions import (  # noqa: E402
    auth_confirm as lyg_opendata_harvest_deletions_confirm)
__all__ += ["lyg_opendata_harvest_deletions_confirm"]
__all__ = _access_enforce_auth.PluginAwareNames(__all__)
