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
]
