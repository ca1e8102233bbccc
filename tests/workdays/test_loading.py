"""Loading a year: validation of an operator's CSV with a message naming the line, the
library's years, replacing only when asked and atomically, concurrent loads, the
migration's downgrade."""
import datetime as dt
import threading

import pytest
import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.workdays import loader
from ckanext.lyg_opendata.workdays.model import CalendarDay, CalendarYear

from tests.workdays.conftest import CSV_2027

D = dt.date
pytestmark = pytest.mark.usefixtures("with_plugins")


def errors_of(data, year=2027):
    with pytest.raises(loader.LoadError) as e:
        loader.load_csv(year, data, "file test.csv")
    return e.value.errors


# --- validation ------------------------------------------------------------------------

@pytest.mark.usefixtures("calendar_db")
@pytest.mark.parametrize("content, expected", [
    ("date,kind,name\n2027-01-01,holiday,元旦\n2026-12-31,holiday,元旦\n",
     "Line 3: 2026-12-31 is not in 2027"),
    ("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,元旦\n",
     "Line 3: 2027-01-04 is a Monday to Friday"),
    ("date,kind,name\n2027-01-01,holiday,元旦\n\n2027-01-01,holiday,元旦\n",
     "Line 4: 2027-01-01 is listed twice (first at Line 2)"),
    ("date,kind,name\n2027-01-01,vacation,元旦\n", "Line 2: kind 'vacation' is neither"),
    ("date,kind,name\n2027-02-30,holiday,春节\n", "Line 2: '2027-02-30' is not a date"),
    ("date,kind,name\n27-1-1,holiday,元旦\n", "Line 2: '27-1-1' is not a date"),
    ("date,kind,name\n2027-01-01,holiday,元旦,extra\n", "Line 2: expected 3 columns"),
    ("date,kind,name\n2027-01-01\n", "Line 2: expected 3 columns"),
    ("date,kind,name\n# nothing yet\n", "No days given"),
    ("", "No days given"),
    ("date,kind,name\n2027-01-01,holiday," + "节" * 101 + "\n", "Line 2: the name is longer"),
])
def test_a_bad_csv_is_refused_with_a_message_naming_the_line(content, expected):
    errors = errors_of(content.encode("utf-8"))
    assert any(expected in e for e in errors), errors
    assert workdays.loaded_years() == []
    assert model.Session.query(CalendarDay).count() == 0


@pytest.mark.usefixtures("calendar_db")
def test_every_problem_of_a_file_is_reported_at_once():
    errors = errors_of(b"date,kind,name\n2026-12-31,holiday,x\n2027-01-05,workday,x\n"
                       b"2027-01-06,nope,x\n")
    assert [e.split(":")[0] for e in errors] == ["Line 2", "Line 3", "Line 4"]


@pytest.mark.usefixtures("calendar_db")
def test_a_file_that_is_not_utf8_is_refused():
    assert errors_of("date,kind,name\n2027-01-01,holiday,元旦\n".encode("gbk")) == [
        "The file is not UTF-8 text"]


@pytest.mark.usefixtures("calendar_db")
def test_a_csv_with_byte_order_mark_comments_no_header_and_crlf_loads():
    data = ("\ufeff# 国务院办公厅关于2027年部分节假日安排的通知\r\n"
            "2027-01-01,holiday,元旦\r\n2027-01-02 , HOLIDAY , 元旦\r\n"
            "2027-02-20,workday\r\n").encode("utf-8")
    summary = loader.load_csv(2027, data, "file 2027.csv")
    assert (summary["holidays"], summary["workdays"]) == (2, 1)
    assert [(d.date, d.kind, d.name) for d in loader.year_days(2027)] == [
        (D(2027, 1, 1), "holiday", "元旦"), (D(2027, 1, 2), "holiday", "元旦"),
        (D(2027, 2, 20), "workday", "")]


@pytest.mark.usefixtures("calendar_db")
def test_a_holiday_on_a_weekend_is_allowed():
    loader.load_csv(2027, b"2027-01-02,holiday,x\n2027-01-03,holiday,x\n", "t")
    assert workdays.is_workday(D(2027, 1, 2)) == (False, False)


def test_api_rows_are_named_by_their_number():
    with pytest.raises(loader.LoadError) as e:
        loader.validate(2027, loader.rows_from_list(
            [{"date": "2027-01-01", "kind": "holiday"}, "2027-01-02", {"date": "x"}]))
    assert e.value.errors[0].startswith("Row 2: ")
    assert e.value.errors[1].startswith("Row 3: 'x' is not a date")


@pytest.mark.parametrize("year", ["20x7", 1989, 2101, None])
def test_a_year_must_be_a_plausible_number(year):
    with pytest.raises(loader.LoadError):
        loader.check_year(year)


# --- the library -----------------------------------------------------------------------

@pytest.mark.usefixtures("calendar_db")
def test_the_library_knows_2026_and_not_2027():
    assert 2026 in loader.library_years() and 2027 not in loader.library_years()
    summary = loader.load_library_year(2026)
    assert summary["source"] == f"chinesecalendar {loader.library_version()}"
    assert (summary["holidays"], summary["workdays"]) == (33, 6)
    with pytest.raises(loader.LoadError) as e:
        loader.load_library_year(2027)
    assert "2027" in e.value.errors[0] and "CSV" in e.value.errors[0]
    assert workdays.loaded_years() == [2026]


def test_every_year_the_library_knows_passes_validation():
    for year in loader.library_years():
        assert loader.library_days(year)


def test_the_library_is_pinned_in_the_constraints():
    from tests.conftest import ROOT
    assert f"chinesecalendar=={loader.library_version()}\n" in (ROOT / "constraints.txt").read_text()


# --- replacing -------------------------------------------------------------------------

@pytest.mark.usefixtures("calendar_db")
def test_a_loaded_year_is_replaced_only_when_asked():
    loader.load_csv(2027, CSV_2027, "file 2027.csv")
    with pytest.raises(loader.AlreadyLoaded):
        loader.load_csv(2027, "2027-10-01,holiday,国庆节\n", "file other.csv")
    assert loader.year_summary(2027)["source"] == "file 2027.csv"
    assert len(loader.year_days(2027)) == 13

    loader.load_csv(2027, "2027-10-01,holiday,国庆节\n", "file other.csv", replace=True)
    assert [d.date for d in loader.year_days(2027)] == [D(2027, 10, 1)]
    assert loader.year_summary(2027)["source"] == "file other.csv"


@pytest.mark.usefixtures("calendar_db")
def test_a_failed_replacement_leaves_the_year_as_it_was():
    loader.load_csv(2027, CSV_2027, "file 2027.csv")
    with pytest.raises(loader.LoadError):
        loader.load_csv(2027, "2027-10-01,holiday,国庆节\n2027-10-04,workday,x\n", "bad",
                        replace=True)
    assert len(loader.year_days(2027)) == 13
    # a database error in the middle of the write rolls everything back
    with pytest.raises(sa.exc.IntegrityError):
        loader.store(2027, [loader.Day(D(2027, 10, 1), "holiday", "国庆节"),
                            loader.Day(D(2027, 10, 2), "bogus", "")], "bad", replace=True)
    assert len(loader.year_days(2027)) == 13
    assert loader.year_summary(2027)["source"] == "file 2027.csv"


@pytest.mark.usefixtures("calendar_db")
def test_the_database_keeps_days_inside_their_loaded_year():
    loader.load_csv(2027, CSV_2027, "file 2027.csv")
    for values in ({"date": D(2028, 1, 1), "year": 2027, "kind": "holiday"},
                   {"date": D(2028, 1, 1), "year": 2028, "kind": "holiday"}):
        with pytest.raises(sa.exc.IntegrityError):
            model.Session.execute(sa.insert(CalendarDay.__table__).values(name="", **values))
        model.Session.rollback()
    model.Session.execute(sa.delete(CalendarYear.__table__).where(CalendarYear.year == 2027))
    model.Session.commit()
    assert model.Session.query(CalendarDay).count() == 0


# --- concurrency -----------------------------------------------------------------------

def _run_at_once(jobs):
    """Run the callables in threads released together; their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except BaseException as e:  # noqa: BLE001 - reported to the test
            results[i] = e
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _schedule(k):
    """A distinct valid 2027 schedule per loader: k+1 holidays named after it."""
    return "".join(f"2027-03-{d:02d},holiday,loader{k}\n" for d in range(1, k + 2))


@pytest.mark.usefixtures("calendar_db")
def test_concurrent_replacements_of_a_year_leave_one_complete_schedule():
    model.Session.commit()
    jobs = [lambda k=k: loader.load_csv(2027, _schedule(k), f"loader{k}", replace=True)
            for k in range(6)]
    results = _run_at_once(jobs)
    assert all(isinstance(r, dict) for r in results), results
    source = loader.year_summary(2027)["source"]
    k = int(source.removeprefix("loader"))
    days = loader.year_days(2027)
    assert [(d.date, d.name) for d in days] == [
        (D(2027, 3, d), f"loader{k}") for d in range(1, k + 2)]


@pytest.mark.usefixtures("calendar_db")
def test_concurrent_first_loads_of_a_year_let_exactly_one_win():
    model.Session.commit()
    results = _run_at_once([lambda k=k: loader.load_csv(2027, _schedule(k), f"loader{k}")
                            for k in range(6)])
    winners = [r for r in results if isinstance(r, dict)]
    assert len(winners) == 1, results
    assert all(isinstance(r, loader.AlreadyLoaded) for r in results if r not in winners)
    k = int(winners[0]["source"].removeprefix("loader"))
    assert {d.name for d in loader.year_days(2027)} == {f"loader{k}"}
    assert len(loader.year_days(2027)) == k + 1


# --- migration -------------------------------------------------------------------------

@pytest.mark.usefixtures("calendar_db")
def test_the_migration_downgrades_and_upgrades(migrate_db_for):
    loader.load_library_year(2026)
    model.Session.remove()
    inspector = lambda: sa.inspect(model.meta.engine)  # noqa: E731
    migrate_db_for("lyg_opendata", "0001_catalog_review", False)
    tables = inspector().get_table_names()
    assert "lyg_opendata_calendar_year" not in tables
    assert "lyg_opendata_calendar_day" not in tables
    assert "lyg_opendata_review_event" in tables
    migrate_db_for("lyg_opendata")
    tables = inspector().get_table_names()
    assert {"lyg_opendata_calendar_year", "lyg_opendata_calendar_day"} <= set(tables)
    assert workdays.loaded_years() == []
