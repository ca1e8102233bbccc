"""Validators registered with CKAN (tk.blanket.validators)."""
from ckanext.lyg_opendata.catalog.validators import (  # noqa: F401
    lyg_opendata_data_item_code,
    lyg_opendata_dataset_checks,
    lyg_opendata_machine_readable,
    lyg_opendata_normalize_format,
    lyg_opendata_not_before_start,
    lyg_opendata_required_if_conditional,
    lyg_opendata_required_if_non_open,
    lyg_opendata_resource_code,
    lyg_opendata_server_managed,
)

__all__ = [
    "lyg_opendata_data_item_code",
    "lyg_opendata_dataset_checks",
    "lyg_opendata_machine_readable",
    "lyg_opendata_normalize_format",
    "lyg_opendata_not_before_start",
    "lyg_opendata_required_if_conditional",
    "lyg_opendata_required_if_non_open",
    "lyg_opendata_resource_code",
    "lyg_opendata_server_managed",
]
