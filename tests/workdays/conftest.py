"""Fixtures of the working-day calendar tests: 2026 loaded through the same code as the CLI
and ``make run``, and a 2027 schedule written as an operator would (a made-up one: the State
Council had not published 2027 when these tests were written)."""
import pytest

from ckanext.lyg_opendata.workdays import loader

# A plausible 2027 schedule for the tests, NOT the State Council's: 元旦 Fri 1 – Sun 3
# January; 春节 Fri 5 – Sat 13 February with Saturday 20 February worked.
CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-20,workday,春节
"""


@pytest.fixture
def calendar_db(with_plugins, clean_db):
    """A clean database with the plugin's tables, no year loaded."""


@pytest.fixture
def calendar_2026(calendar_db):
    """2026 loaded from chinesecalendar, as ``ckan lyg-opendata calendar load 2026`` does."""
    return loader.load_library_year(2026)


@pytest.fixture
def csv_2027(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    return path
