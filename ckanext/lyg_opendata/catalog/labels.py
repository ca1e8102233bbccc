"""Permission labels: supervisors read the metadata of every entry that has been
submitted for review (their queue), on top of CKAN's default labels. They get no access
to conditional data through this: resources of conditional datasets are redacted
separately."""
from __future__ import annotations

from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.lyg_opendata import roles

REVIEW_LABEL = "lyg-review"


class ReviewPermissionLabels(DefaultPermissionLabels):
    def get_dataset_labels(self, dataset_obj):
        labels = super().get_dataset_labels(dataset_obj)
        if (dataset_obj.extras.get("review_status") or "draft") != "draft":
            labels.append(REVIEW_LABEL)
        return labels

    def get_user_dataset_labels(self, user_obj):
        labels = super().get_user_dataset_labels(user_obj)
        if user_obj is not None and roles.is_supervisor(user_obj):
            labels.append(REVIEW_LABEL)
        return labels
