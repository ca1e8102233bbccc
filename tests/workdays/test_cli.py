"""``ckan lyg-opendata calendar load | show | years``."""
import datetime as dt

import pytest

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli
from ckanext.lyg_opendata.workdays import loader

from tests.conftest import ROOT

D = dt.date
pytestmark = pytest.mark.usefixtures("calendar_db")


def run(cli, *args, ok=True):
    result = cli.invoke(lyg_cli, ["calendar", *map(str, args)])
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def test_load_a_year_the_library_knows(cli):
    out = run(cli, "load", 2026)
    assert "2026" in out and "33" in out and "6" in out
    assert workdays.add_workdays(D(2026, 9, 18), 10) == (D(2026, 10, 9), False)
    assert loader.year_summary(2026)["loaded_by"] is None
    run(cli, "load", 2026, "--from-library", ok=False)  # already loaded
    run(cli, "load", 2026, "--from-library", "--replace")
    assert workdays.loaded_years() == [2026]


def test_load_next_year_from_the_operators_csv_then_replace_it(cli, csv_2027):
    out = run(cli, "load", 2027, ok=False)
    assert "2027" in out and "CSV" in out
    out = run(cli, "load", 2027, "--file", csv_2027, "--source", "国办发明电〔2026〕X号")
    assert "2027" in out and "12" in out
    assert loader.year_summary(2027)["source"] == "国办发明电〔2026〕X号"
    out = run(cli, "load", 2027, "--file", csv_2027, ok=False)
    assert "--replace" in out
    run(cli, "load", 2027, "--file", csv_2027, "--replace")
    assert loader.year_summary(2027)["source"] == "file 2027.csv"


def test_a_bad_file_names_each_bad_line_and_loads_nothing(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,x\n"
                   "2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", encoding="utf-8")
    out = run(cli, "load", 2027, "--file", bad, ok=False)
    assert "Line 3: 2027-01-04" in out and "Line 4: 2027-01-01" in out
    assert "Line 5: 2028-01-01" in out
    assert workdays.loaded_years() == []


def test_show_a_year_and_export_it_as_csv_that_loads_back(cli, tmp_path):
    run(cli, "load", 2026)
    out = run(cli, "show", 2026)
    assert "chinesecalendar" in out
    lines = [line for line in out.splitlines() if line.startswith("2026-10-10")]
    assert len(lines) == 1 and "国庆节" in lines[0]
    csv_text = run(cli, "show", 2026, "--csv")
    assert csv_text.splitlines()[0] == "date,kind,name"
    assert "2026-10-10,workday,国庆节" in csv_text.splitlines()
    path = tmp_path / "2026.csv"
    path.write_text(csv_text, encoding="utf-8")
    before = loader.year_days(2026)
    run(cli, "load", 2026, "--file", path, "--replace")
    assert loader.year_days(2026) == before
    run(cli, "show", 2027, ok=False)


def test_years_lists_the_loaded_years(cli, csv_2027):
    out = run(cli, "years")
    assert "2026" not in out.split("chinesecalendar")[0]
    run(cli, "load", 2026)
    run(cli, "load", 2027, "--file", csv_2027)
    out = run(cli, "years")
    assert out.index("2026") < out.index("2027")
    assert "file 2027.csv" in out


def test_loading_every_known_year_is_idempotent(cli):
    known = loader.library_years()
    out = run(cli, "load", "--from-library", "--all-known", "--skip-loaded")
    assert f"{len(known)} years loaded, 0 already loaded" in out
    assert workdays.loaded_years() == known
    out = run(cli, "load", "--from-library", "--all-known", "--skip-loaded")
    assert f"0 years loaded, {len(known)} already loaded" in out


@pytest.mark.parametrize("args", [
    ["load"], ["load", "2027", "--from-library", "--file", "pyproject.toml"],
    ["load", "2026", "--all-known"], ["load", "2026", "--replace", "--skip-loaded"],
    ["load", "1800"]])
def test_contradictory_or_missing_arguments_are_refused(cli, args):
    run(cli, *args, ok=False)


def test_make_run_loads_the_known_years_once():
    dev = (ROOT / "scripts" / "dev.sh").read_text(encoding="utf-8")
    assert "lyg-opendata calendar load --from-library --all-known --skip-loaded" in dev
