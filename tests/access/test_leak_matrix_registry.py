"""Every registered action that returns a dataset or a resource has a leak test (issue 11):
the test enumerates CKAN's registered actions; a new ``lyg_opendata_*`` action, or a core
or plugin action whose name says it deals with datasets, resources, activities, searches,
the DataStore or DCAT, fails here until it is listed — with the leak test that covers it,
or as returning no dataset or resource."""
from __future__ import annotations

import ast
import pathlib
import re

import pytest

import ckan.logic as logic
import ckan.plugins.toolkit as tk

pytestmark = pytest.mark.usefixtures("with_plugins")

HERE = pathlib.Path(__file__).parent
LM = "test_leak_matrix.py"
LMA = "test_leak_matrix_actions.py"
API = f"{LM}::test_api_answers_carry_no_data_address"
ACTIVITY = f"{LM}::test_activity_stream_snapshots_are_redacted_including_history"
DCAT = f"{LM}::test_dcat_outputs_of_every_profile_point_to_the_application_page"
REVIEW = f"{LMA}::test_review_actions_return_the_dataset_as_package_show_gives_the_reviewer"
REST = f"{LMA}::test_group_dcat_search_and_write_actions_carry_no_address"
ALIAS = f"{LMA}::test_datastore_by_alias_is_decided_on_the_resource"

# action -> the leak test(s) that call it as users who may not use the data
RETURNS_DATA = {
    "package_show": [API], "resource_show": [API], "package_search": [API],
    "current_package_list_with_resources": [API], "organization_show": [API],
    "resource_search": [API, f"{LMA}::test_ordering_by_a_field_that_holds_data_is_refused"],
    "resource_view_list": [API], "resource_view_show": [API],
    "dataset_followee_list": [API], "followee_list": [API],
    "datastore_search": [API, ALIAS], "datastore_info": [API, ALIAS],
    "package_activity_list": [ACTIVITY], "organization_activity_list": [ACTIVITY],
    "recently_changed_packages_activity_list": [ACTIVITY], "user_activity_list": [ACTIVITY],
    "dashboard_activity_list": [ACTIVITY], "activity_show": [ACTIVITY],
    "activity_data_show": [ACTIVITY], "activity_diff": [ACTIVITY],
    "dcat_dataset_show": [DCAT], "dcat_catalog_show": [DCAT, REST], "dcat_catalog_search": [REST],
    "group_show": [REST], "group_package_show": [REST], "group_activity_list": [REST],
    "package_patch": [REST], "package_update": [REST], "package_revise": [REST],
    "resource_patch": [REST], "resource_update": [REST], "resource_create": [REST],
    "package_owner_org_update": [REST], "package_create_default_resource_views": [REST],
    "resource_create_default_resource_views": [REST],
    "lyg_opendata_review_approve": [REVIEW], "lyg_opendata_review_return": [REVIEW],
    "lyg_opendata_review_withdraw": [REVIEW], "lyg_opendata_review_change_approve": [REVIEW],
    "lyg_opendata_review_change_return": [REVIEW],
    # the agency submits its own dataset (it uses all of the data); the answer is what
    # package_show gives the submitter (catalog.review.shown_to), as for the other moves
    "lyg_opendata_review_submit": [REVIEW],
    # create: only those who may create in the organization (they use all of its data)
    "package_create": [f"{LM}::test_api_answers_carry_no_data_address"],
}

DATA_NAMES = re.compile(r"package|dataset|resource|activity|followee|search|datastore|dcat|"
                        r"group_show|organization_show|harvest")

# registered actions that return no dataset or resource dict (names, counts, ids, schemas,
# workflow records that name a dataset by id/title only, or nothing)
NO_DATA = set("""
activity_create activity_delete activity_delete_all activity_delete_counts
am_following_dataset dataset_followee_count dataset_follower_count dataset_follower_list
dataset_purge datastore_create datastore_delete datastore_function_create
datastore_function_delete datastore_records_delete datastore_run_triggers datastore_upsert
follow_dataset followee_count group_followee_count group_followee_list organization_followee_count
organization_followee_list package_autocomplete package_collaborator_create
package_collaborator_delete package_collaborator_list package_collaborator_list_for_user
package_delete package_list package_relationship_create package_relationship_delete
package_relationship_update package_relationships_list package_resource_reorder resource_delete
resource_view_clear resource_view_create resource_view_delete resource_view_reorder
resource_view_update scheming_dataset_schema_list scheming_dataset_schema_show tag_search
unfollow_dataset user_followee_count user_followee_list datastore_search_sql
harvest_source_create harvest_source_update harvest_source_show harvest_source_list
harvest_job_create harvest_job_list harvest_job_show harvest_object_show harvest_log_list
""".split())


# actions that return masked samples of personal data (the personal-data scan, Art 14, 26):
# only to the dataset's agency, supervisors and sysadmins, masked, never to anybody else
SCAN = "test_leak_matrix_scan.py"
PERSONAL_DATA = {
    "lyg_opendata_scan_list": [
        f"{SCAN}::test_scan_findings_reach_the_agency_and_supervisors_masked_and_nobody_else",
        f"{SCAN}::test_the_resource_page_shows_findings_to_readers_only"],
    "lyg_opendata_scan_finding_dismiss": [
        f"{SCAN}::test_only_the_agency_resolves_or_rescans_and_refusals_change_nothing"],
    "lyg_opendata_scan_run": [
        f"{SCAN}::test_only_the_agency_resolves_or_rescans_and_refusals_change_nothing"],
}

# (reviewed: lyg_opendata_search_suggest answers the name and title of the datasets
# package_search shows the caller; lyg_opendata_harvest_deletions_confirm the ids of the
# harvested datasets it deleted, to sysadmins only)
# the extension's actions other than the review moves return workflow records
# (applications, agreements, grants, objections, reports, calendars, access-log rows, open-
# list rows): metadata and ids, never a resource's address (the open list holds the public
# catalog's own columns)
LYG_NO_DATA = set("""
lyg_opendata_harvest_deletions_confirm lyg_opendata_search_suggest
lyg_opendata_access_log_list lyg_opendata_agreement_list lyg_opendata_agreement_show
lyg_opendata_agreement_sign lyg_opendata_agreement_template_create
lyg_opendata_agreement_template_list lyg_opendata_agreement_template_preview
lyg_opendata_agreement_template_show lyg_opendata_application_approve
lyg_opendata_application_create lyg_opendata_application_events
lyg_opendata_application_list lyg_opendata_application_refuse
lyg_opendata_application_request_info lyg_opendata_application_show
lyg_opendata_application_supply_info lyg_opendata_application_withdraw
lyg_opendata_calendar_year_list lyg_opendata_calendar_year_load
lyg_opendata_calendar_year_show lyg_opendata_grant_list lyg_opendata_grant_revoke
lyg_opendata_grant_show lyg_opendata_objection_accept lyg_opendata_objection_affected_users
lyg_opendata_objection_answer lyg_opendata_objection_close lyg_opendata_objection_create
lyg_opendata_objection_dispute lyg_opendata_objection_hide lyg_opendata_objection_list
lyg_opendata_objection_merge lyg_opendata_objection_my_list lyg_opendata_objection_queue
lyg_opendata_objection_reassign lyg_opendata_objection_reject
lyg_opendata_objection_return_to_agency lyg_opendata_objection_show
lyg_opendata_objection_withdraw_dataset lyg_opendata_open_list lyg_opendata_overdue_list
lyg_opendata_report_create lyg_opendata_report_list lyg_opendata_report_my_list
lyg_opendata_report_show lyg_opendata_report_update lyg_opendata_review_change_show
lyg_opendata_review_history lyg_opendata_review_my_submissions lyg_opendata_review_queue
lyg_opendata_usage_report_list lyg_opendata_usage_report_submit lyg_opendata_withdrawal_list
lyg_opendata_workdays_add
lyg_opendata_rectification_issue lyg_opendata_rectification_prefill
lyg_opendata_rectification_show lyg_opendata_rectification_list
lyg_opendata_rectification_respond lyg_opendata_rectification_return
lyg_opendata_rectification_escalate lyg_opendata_rectification_close
lyg_opendata_scorecard_list lyg_opendata_staff_filing_submit lyg_opendata_staff_filing_show
lyg_opendata_staff_filing_list
lyg_opendata_evaluation_report_generate lyg_opendata_evaluation_report_update
lyg_opendata_evaluation_report_publish lyg_opendata_evaluation_report_discard
lyg_opendata_evaluation_report_show lyg_opendata_evaluation_report_list
lyg_opendata_scorecard_public lyg_opendata_quality_history
""".split()) | set("""
lyg_opendata_data_request_answer lyg_opendata_data_request_claim lyg_opendata_data_request_create
lyg_opendata_data_request_hide lyg_opendata_data_request_list lyg_opendata_data_request_route
lyg_opendata_data_request_show lyg_opendata_data_request_supplement
lyg_opendata_data_request_support lyg_opendata_data_request_withdraw
lyg_opendata_rating_answer lyg_opendata_rating_hide lyg_opendata_rating_list
lyg_opendata_rating_rate lyg_opendata_publisher_list lyg_opendata_publisher_mark
lyg_opendata_publisher_unmark lyg_opendata_suggestion_answer lyg_opendata_suggestion_close
lyg_opendata_suggestion_create lyg_opendata_suggestion_list lyg_opendata_suggestion_show
lyg_opendata_showcase_create lyg_opendata_showcase_update lyg_opendata_showcase_show
lyg_opendata_showcase_list lyg_opendata_showcase_publish lyg_opendata_showcase_return
lyg_opendata_showcase_withdraw
lyg_opendata_disclosure_amend lyg_opendata_disclosure_answer lyg_opendata_disclosure_create
lyg_opendata_disclosure_extend lyg_opendata_disclosure_my_list lyg_opendata_disclosure_queue
lyg_opendata_disclosure_register lyg_opendata_disclosure_request_correction
lyg_opendata_disclosure_show lyg_opendata_disclosure_transfer lyg_opendata_disclosure_withdraw
lyg_opendata_disclosure_lapse
lyg_opendata_disclosure_yearly_report
lyg_opendata_govinfo_create lyg_opendata_govinfo_update lyg_opendata_govinfo_publish
lyg_opendata_govinfo_withdraw lyg_opendata_govinfo_show lyg_opendata_govinfo_search
lyg_opendata_disclosure_complaint_create lyg_opendata_disclosure_complaint_show
lyg_opendata_disclosure_complaint_list lyg_opendata_disclosure_complaint_answer
lyg_opendata_disclosure_complaint_withdraw lyg_opendata_disclosure_report_figures_update
lyg_opendata_security_event_list lyg_opendata_privacy_export lyg_opendata_account_erase
lyg_opendata_account_erasure_show
""".split()) | set("""
lyg_opendata_org_link_create lyg_opendata_org_link_show lyg_opendata_org_link_list
lyg_opendata_org_link_verify lyg_opendata_org_link_refuse lyg_opendata_org_link_withdraw
lyg_opendata_org_member_list lyg_opendata_real_name_show lyg_opendata_real_name_verify
""".split())
# (reviewed when they landed: data requests name their linked datasets by id, name and title
# only, and only published ones outside the routed agency (participation.workflow.datasets_of);
# ratings, publishers, suggestions, disclosure applications and government information
# entries (主动公开: drafts seen by their agency only, tests/disclosure/test_proactive.py)
# hold no dataset dict;
# organisation links and real-name status (identity/) name no dataset at all: their own leak
# tests, the letter and personal details, are tests/identity/test_org_links.py and
# test_org_applications.py)


def _test_functions() -> set[str]:
    found = set()
    for path in HERE.glob("test_leak_matrix*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found |= {f"{path.name}::{node.name}" for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    return found


def test_every_action_that_returns_data_has_a_leak_test():
    tk.get_action("package_show")  # CKAN collects the actions on first use
    registered = set(logic._actions)
    known = set(RETURNS_DATA) | set(PERSONAL_DATA) | NO_DATA | LYG_NO_DATA
    unlisted = sorted(n for n in registered if (n.startswith("lyg_opendata_")
                                                or DATA_NAMES.search(n)) and n not in known)
    assert not unlisted, ("list these in RETURNS_DATA (with their leak test) or NO_DATA: "
                          f"{unlisted}")
    tests = _test_functions()
    missing = {a: t for a, ts in {**RETURNS_DATA, **PERSONAL_DATA}.items() for t in ts
               if t not in tests}
    assert not missing, missing
    # nothing listed twice, nothing listed that is gone
    listed = [set(RETURNS_DATA), set(PERSONAL_DATA), NO_DATA, LYG_NO_DATA]
    twice = {n for i, a in enumerate(listed) for b in listed[i + 1:] for n in a & b}
    assert not twice, twice
    gone = sorted(n for n in set(RETURNS_DATA) | set(PERSONAL_DATA) | LYG_NO_DATA
                  if n.startswith("lyg_opendata_") and n not in registered)
    assert not gone, gone
