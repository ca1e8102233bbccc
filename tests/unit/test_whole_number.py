"""The shared whole-number validator (validation.whole_number) the domain schemas use for
working days, years and scores: digits only, within the range, each field's own message."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.validation import whole_number

days = whole_number(1, 15, lambda: "not a number", lambda: "out of range")
year = whole_number(2008, 2100, lambda: "a year")


@pytest.mark.parametrize("value, expected", [(1, 1), (15, 15), ("7", 7), (" 12 ", 12)])
def test_whole_numbers_in_range_pass_as_int(value, expected):
    assert days(value, {}) == expected


@pytest.mark.parametrize("value", ["abc", "", None, [3], {"n": 3}, 2.0, 2.5, True, "3.0", "1e2"])
def test_anything_but_digits_is_refused_with_the_first_message(value):
    with pytest.raises(tk.Invalid) as err:
        days(value, {})
    assert err.value.error == "not a number"


@pytest.mark.parametrize("value", [0, 16, "-1", 10**30])
def test_out_of_range_gets_the_second_message(value):
    with pytest.raises(tk.Invalid) as err:
        days(value, {})
    assert err.value.error == "out of range"


def test_one_message_for_both_when_only_one_is_given():
    for value in ("二〇二五", 2007, 2101):
        with pytest.raises(tk.Invalid) as err:
            year(value, {})
        assert err.value.error == "a year"
    assert year("2026", {}) == 2026
