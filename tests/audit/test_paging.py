"""The access log's list pages: a deep page of the whole log starts at the day that holds it
(counted from the seals), a filtered list's pages past the middle are read from the oldest
end; every page is the same slice of the newest-first order as a plain offset, and the
count is the real one."""
import pytest
import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata.audit import reading, seals
from ckanext.lyg_opendata.audit.model import access_log

from tests.audit.conftest import write

pytestmark = pytest.mark.usefixtures("audit_db")


def plain(f: reading.Filters) -> list[int]:
    with model.meta.engine.connect() as conn:
        return [r.id for r in conn.execute(sa.select(access_log.c.id).where(reading._where(f))
                                           .order_by(access_log.c.id.desc()))]


def pages(f: reading.Filters, size: int) -> list[int]:
    total = reading.count(f)
    out = []
    for start in range(0, total + size, size):
        out += [r["id"] for r in reading.query(f, size, start, total)]
    return out


def check(f: reading.Filters) -> None:
    expected = plain(f)
    assert reading.count(f) == len(expected)
    for size in (1, 2, 3, 5):
        assert pages(f, size) == expected, size


def test_pages_of_the_whole_log_and_of_a_filter_are_slices_of_one_order(cond, agency):
    for days_ago, n in ((6, 3), (4, 2), (3, 4), (2, 1)):
        for k in range(n):
            write(None, cond, days_ago=days_ago, hour=9 + k, channel="api" if k % 2 else "ui")
    seals.seal()  # every closed day, the empty ones too
    for k in range(3):
        write(None, cond, days_ago=0, hour=0, channel="ui")
    with model.meta.engine.connect() as conn:
        assert reading._segments(conn) is not None  # the seals' path
    check(reading.Filters())
    check(reading.Filters(channel="api"))
    check(reading.Filters(scope_org_ids=[agency["id"]]))
    check(reading.Filters(scope_org_ids=[]))


def test_a_record_added_to_a_sealed_day_falls_back_to_counting(cond):
    for days_ago in (5, 3):
        write(None, cond, days_ago=days_ago)
    seals.seal()
    write(None, cond, days_ago=0)
    write(None, cond, days_ago=3, hour=20)  # after its day was sealed (verify reports it)
    with model.meta.engine.connect() as conn:
        assert reading._segments(conn) is None
    check(reading.Filters())
