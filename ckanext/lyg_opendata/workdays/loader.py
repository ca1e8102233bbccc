"""Loading a year's schedule: from the ``chinesecalendar`` library for the years it knows,
or from rows an operator gives (a CSV file ``date,kind,name``, or the API) for a year the
libraries do not know yet. Every source goes through the same validation, and a year is
written in one transaction: readers see the old schedule or the new one, never a mix."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from typing import Any, Iterable, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.spreadsheet import safe_row
from ckanext.lyg_opendata.workdays.model import (
    HOLIDAY, KINDS, WORKDAY, CalendarDay, CalendarYear, _utcnow)

_ = tk._

LIBRARY = "chinesecalendar"
MIN_YEAR, MAX_YEAR = 1990, 2100
NAME_MAX = 100
CSV_HEADER = ["date", "kind", "name"]
# pg_advisory_xact_lock(key, year): one loader of a year at a time, across processes
_LOCK_KEY = 0x4C5947  # "LYG"

# chinesecalendar's Chinese names, in full
_LIBRARY_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@dataclasses.dataclass(frozen=True)
class Day:
    date: dt.date
    kind: str
    name: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "kind": self.kind, "name": self.name}


class LoadError(Exception):
    """A year could not be loaded; ``errors`` are messages for the operator, one per
    problem, naming the line or row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class AlreadyLoaded(LoadError):
    def __init__(self, year: int):
        super().__init__([_("{year} is already loaded: replace it explicitly ({option} on "
                            "the command line, {param} in the API)").format(
            year=year, option="--replace", param="replace = true")])
        self.year = year


def check_year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise LoadError([_("{value!r} is not a year").format(value=value)])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise LoadError([_("The year must be between {low} and {high}").format(
            low=MIN_YEAR, high=MAX_YEAR)])
    return year


# --- validation ------------------------------------------------------------------------

def validate(year: int, rows: Iterable[tuple[str, Any]]) -> list[Day]:
    """Check ``(where, {date, kind, name})`` rows of ``year`` and return its days, in date
    order; raise :class:`LoadError` listing every problem, each prefixed with its ``where``
    (e.g. "Line 4")."""
    days: dict[dt.date, Day] = {}
    first_seen: dict[dt.date, str] = {}
    errors: list[str] = []
    for where, row in rows:
        if not isinstance(row, dict):
            errors.append(_("{where}: expected an object with {fields}").format(
                where=where, fields="date, kind, name"))
            continue
        raw_date = str(row.get("date") or "").strip()
        kind = str(row.get("kind") or "").strip().lower()
        name = str(row.get("name") or "").strip()
        problems = []
        try:
            date = dt.date.fromisoformat(raw_date)
            if len(raw_date) != 10:
                raise ValueError(raw_date)
        except ValueError:
            date = None
            problems.append(_("{value!r} is not a date (YYYY-MM-DD)").format(value=raw_date))
        if date is not None and date.year != year:
            problems.append(_("{date} is not in {year}").format(date=date, year=year))
        if kind not in KINDS:
            problems.append(_("kind {kind!r} is neither {holiday} nor {workday}").format(
                kind=kind, holiday=HOLIDAY, workday=WORKDAY))
        elif kind == WORKDAY and date is not None and date.weekday() < 5:
            problems.append(_("{date} is a Monday to Friday: only a Saturday or Sunday can be "
                              "a makeup working day ({workday})").format(
                date=date, workday=WORKDAY))
        if len(name) > NAME_MAX:
            problems.append(_("the name is longer than {max} characters").format(max=NAME_MAX))
        if date is not None and date in first_seen:
            problems.append(_("{date} is listed twice (first at {first})").format(
                date=date, first=first_seen[date]))
        if problems:
            errors.extend(_("{where}: {problem}").format(where=where, problem=p)
                          for p in problems)
        elif date is not None:
            first_seen[date] = where
            days[date] = Day(date, kind, name)
    if not errors and not days:
        errors.append(_("No days given: a year has at least its statutory holidays"))
    if errors:
        raise LoadError(errors)
    return [days[d] for d in sorted(days)]


def rows_from_list(rows: Any) -> Iterable[tuple[str, Any]]:
    """The rows of an API call, numbered from 1."""
    if not isinstance(rows, list):
        raise LoadError([_("{rows} must be a list of objects with {fields}").format(
            rows="rows", fields="date, kind, name")])
    return ((_("Row {n}").format(n=n), row) for n, row in enumerate(rows, 1))


def rows_from_csv(data: bytes | str) -> list[tuple[str, Any]]:
    """The rows of a CSV file (UTF-8, a byte-order mark allowed): ``date,kind,name``, an
    optional header line with those words, blank lines and ``#`` comments ignored."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise LoadError([_("The file is not {encoding} text").format(encoding="UTF-8")])
    data = data.lstrip("\ufeff")
    rows, errors, header_possible = [], [], True
    for n, cells in enumerate(csv.reader(io.StringIO(data, newline="")), 1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header_possible and [c.lower() for c in cells[:3]] == CSV_HEADER[:len(cells[:3])]:
            header_possible = False
            continue
        header_possible = False
        where = _("Line {n}").format(n=n)
        if len(cells) not in (2, 3):
            errors.append(_("{where}: expected 3 columns ({columns}), found {count}").format(
                where=where, columns=",".join(CSV_HEADER), count=len(cells)))
            continue
        rows.append((where, dict(zip(CSV_HEADER, cells))))
    if errors:
        raise LoadError(errors)
    return rows


def to_csv(days: Iterable[Day]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for day in days:
        writer.writerow(safe_row([day.date.isoformat(), day.kind, day.name]))
    return out.getvalue()


# --- the library -----------------------------------------------------------------------

def library_version() -> str:
    from importlib.metadata import version
    return version(LIBRARY)


def library_years() -> list[int]:
    """The years chinesecalendar has the State Council's schedule for."""
    from chinese_calendar import constants
    return sorted({d.year for d in constants.holidays})


def _library_name(enum, value) -> str:
    """The Chinese name of one of chinesecalendar's holidays (its tables hold the English)."""
    try:
        name = enum(getattr(value, "value", value)).chinese
    except ValueError:
        return str(value or "")
    return _LIBRARY_NAMES.get(name, name)


def library_days(year: int) -> list[Day]:
    """A year's holidays and makeup working days from chinesecalendar, validated like any
    other source."""
    from chinese_calendar import constants
    if year not in library_years():
        known = library_years()
        raise LoadError([_("{library} {version} does not know {year} (it knows {first}–"
                           "{last}): load the year from a CSV file of the State Council's "
                           "notice").format(library=LIBRARY, version=library_version(),
                                            year=year, first=known[0], last=known[-1])])
    rows = []
    for kind, table in ((HOLIDAY, constants.holidays), (WORKDAY, constants.workdays)):
        for date, holiday in table.items():
            if date.year == year:
                name = _library_name(constants.Holiday, holiday)
                rows.append((f"{LIBRARY} {date}", {
                    "date": date.isoformat(), "kind": kind, "name": name}))
    return validate(year, rows)


# --- storing ---------------------------------------------------------------------------

def store(year: int, days: list[Day], source: str, user_id: Optional[str] = None,
          replace: bool = False, session=None) -> dict[str, Any]:
    """Write ``year`` with ``days`` in one transaction and commit. Without ``replace`` a
    year already loaded raises :class:`AlreadyLoaded` and nothing changes. Two loads of
    one year at once run one after the other (a PostgreSQL advisory lock on the year)."""
    session = session or model.Session
    year_t, day_t = CalendarYear.__table__, CalendarDay.__table__
    try:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY, year)))
        exists = session.execute(
            sa.select(year_t.c.year).where(year_t.c.year == year)).scalar() is not None
        if exists and not replace:
            raise AlreadyLoaded(year)
        session.execute(sa.delete(day_t).where(day_t.c.year == year))
        session.execute(sa.delete(year_t).where(year_t.c.year == year))
        session.execute(sa.insert(year_t).values(
            year=year, source=source, loaded_at=_utcnow(), loaded_by=user_id or None))
        if days:
            session.execute(sa.insert(day_t), [
                {"date": d.date, "year": year, "kind": d.kind, "name": d.name} for d in days])
        # the stored due dates whose clock runs through this year follow the new schedule
        from ckanext.lyg_opendata import workflow
        workflow.recompute_due(session, year)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    summary = year_summary(year, session=session)
    if summary is None:  # the year was just written in this session
        raise LookupError(year)
    return summary


def load_library_year(year: int, user_id: Optional[str] = None, replace: bool = False,
                      session=None) -> dict[str, Any]:
    days = library_days(year)
    return store(year, days, f"{LIBRARY} {library_version()}", user_id, replace, session)


def load_rows(year: int, rows: Iterable[tuple[str, Any]], source: str,
              user_id: Optional[str] = None, replace: bool = False,
              session=None) -> dict[str, Any]:
    return store(year, validate(year, rows), source, user_id, replace, session)


def load_csv(year: int, data: bytes | str, source: str, user_id: Optional[str] = None,
             replace: bool = False, session=None) -> dict[str, Any]:
    return load_rows(year, rows_from_csv(data), source, user_id, replace, session)


# --- reading ---------------------------------------------------------------------------

def _user_name(user_id: Optional[str]) -> Optional[str]:
    user = model.User.get(user_id) if user_id else None
    return user.name if user else None


def year_summaries(session=None, year: Optional[int] = None) -> list[dict[str, Any]]:
    """Every loaded year (or just ``year``): source, when and by whom, how many holidays
    and makeup working days."""
    session = session or model.Session
    counts: dict[int, dict[str, int]] = {}
    days = session.query(CalendarDay.year, CalendarDay.kind, sa.func.count())
    years = session.query(CalendarYear).order_by(CalendarYear.year)
    if year is not None:
        days = days.filter(CalendarDay.year == year)
        years = years.filter(CalendarYear.year == year)
    for day_year, kind, count in days.group_by(CalendarDay.year, CalendarDay.kind):
        counts.setdefault(day_year, {})[kind] = count
    return [{
        "year": row.year, "source": row.source,
        "loaded_at": row.loaded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "loaded_by": _user_name(row.loaded_by),
        "holidays": counts.get(row.year, {}).get(HOLIDAY, 0),
        "workdays": counts.get(row.year, {}).get(WORKDAY, 0),
    } for row in years]


def year_summary(year: int, session=None) -> Optional[dict[str, Any]]:
    found = year_summaries(session, year)
    return found[0] if found else None


def year_days(year: int, session=None) -> list[Day]:
    session = session or model.Session
    return [Day(d, k, n) for d, k, n in session.query(
        CalendarDay.date, CalendarDay.kind, CalendarDay.name).filter(
        CalendarDay.year == year).order_by(CalendarDay.date)]
