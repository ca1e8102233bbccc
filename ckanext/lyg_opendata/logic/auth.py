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
]
