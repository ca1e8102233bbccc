"""Auth function of the open list (开放清单): anyone may ask for it; what each caller sees
is decided by the search index's permission labels (see ``openlist``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def lyg_opendata_open_list(context, data_dict):
    return {"success": True}
