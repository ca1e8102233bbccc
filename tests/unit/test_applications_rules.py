"""Applications: the rules that need no database (credit codes, phone numbers, the
state machine's table); moved from tests/access/test_applications.py."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.applications import schema, workflow
from tests.access.conftest import REAL_CREDIT_CODES


# --- the unified social credit code (GB 32100-2015) --------------------------------------------

@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_pass_the_check_character(code):
    assert schema.is_valid_credit_code(code)
    assert schema.credit_code_validator(code.lower(), {}) == code


def test_check_character_computed_from_the_algorithm():
    # weights 1,3,9,27,… mod 31; check = 31 - sum % 31, 31 → 0
    first17 = "91320700MA1XXXXXX"
    total = sum(schema.CREDIT_CODE_CHARSET.index(c) * w
                for c, w in zip(first17, schema.CREDIT_CODE_WEIGHTS))
    expected = schema.CREDIT_CODE_CHARSET[(31 - total % 31) % 31]
    assert schema.credit_code_check_char(first17) == expected
    assert schema.is_valid_credit_code(first17 + expected)
    for other in schema.CREDIT_CODE_CHARSET:
        if other != expected:
            assert not schema.is_valid_credit_code(first17 + other)
    # a sum divisible by 31 gives the check character 0
    assert schema.credit_code_check_char("00000000000000000") == "0"


@pytest.mark.parametrize("code", ["91320700MA1XXXXXXX", "91110000100006090D", "9144030070846113",
                                  "91440300708461136I", "91440300708461136t1", ""])
def test_invalid_credit_codes_are_refused(code):
    with pytest.raises(tk.Invalid):
        schema.credit_code_validator(code, {})


@pytest.mark.parametrize("phone,ok", [
    ("13812345678", True), ("+8613812345678", True), ("0518-85821234", True),
    ("051885821234", True), ("010-12345678", True), ("0518-8582123-801", True),
    ("12812345678", False), ("1381234567", False), ("85821234", False), ("abc", False)])
def test_phone_numbers(phone, ok):
    if ok:
        assert schema.phone_validator(phone, {})
    else:
        with pytest.raises(tk.Invalid):
            schema.phone_validator(phone, {})


# --- the state machine ----------------------------------------------------------------------------

def test_transition_table_is_exhaustive():
    actions = {"withdraw", "request_info", "supply_info", "approve", "refuse"}
    assert set(workflow.TRANSITIONS) == actions
    expected = {
        ("withdraw", "submitted"): "withdrawn", ("withdraw", "info_requested"): "withdrawn",
        ("request_info", "submitted"): "info_requested",
        ("supply_info", "info_requested"): "submitted",
        ("approve", "submitted"): "approved",
        ("refuse", "submitted"): "refused", ("refuse", "info_requested"): "refused",
    }
    for action in actions:
        for status in workflow.STATUSES:
            allowed, target = workflow.TRANSITIONS[action]
            assert (status in allowed) == ((action, status) in expected), (action, status)
            if status in allowed:
                assert target == expected[(action, status)]
