"""The one shape of every workflow (docs: ARCHITECTURE "Workflows have one shape").

A workflow is a row with a ``status`` and an events table (who, when, from, to, reason). A
transition is an action ``lyg_opendata_<thing>_<verb>`` that

1. locks the row: ``row = locked(Thing, id, _("Thing not found"))`` (``SELECT … FOR UPDATE``);
2. checks the move: ``to = THING.target(verb, row.status)`` against a small ``Transitions``
   table (tested exhaustively);
3. writes the row and records the event: ``record(ThingEvent, thing_id=row.id, …)``;
4. commits in the action: ``commit(context)`` (not when the caller set ``defer_commit``);
5. notifies from a signal: ``@after("lyg_opendata_thing_verb")`` receivers run once the action
   has returned, so a failing notification never undoes or hides a committed transition.

Deadlines are dates on the shared working-day calendar: ``clock(start, days, running)``.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Iterable, Mapping, Optional

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm: the flush listener)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.i18n import N_  # noqa: F401  (re-exported: workflow.N_)
from ckanext.lyg_opendata.tables import utcnow  # noqa: F401  (re-exported: workflow.utcnow)

log = logging.getLogger(__name__)


class Transitions(Mapping):
    """``verb -> (states it may start from, state it leads to)``; reads as that dict.

    ``status_label``/``action_label`` turn codes into the words of a refusal (the workflow's
    code lists); ``refused`` is its message, marked with ``N_`` and translated when raised
    (``%(status)s``, ``%(action)s``); ``field`` the key
    of the field-level ``ValidationError``.
    """

    def __init__(self, table: Mapping[str, tuple[Iterable[str], str]],
                 status_label: Optional[Callable[[str], str]] = None,
                 action_label: Optional[Callable[[str], str]] = None,
                 refused: Optional[str] = None, field: str = "status"):
        self._table = {verb: (frozenset(froms), to) for verb, (froms, to) in table.items()}
        self.status_label = status_label or (lambda code: code)
        self.action_label = action_label or (lambda code: code)
        self.refused = refused
        self.field = field

    def __getitem__(self, verb: str) -> tuple[frozenset, str]:
        return self._table[verb]

    def __iter__(self):
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    @property
    def states(self) -> frozenset:
        out: set[str] = set()
        for froms, to in self._table.values():
            out |= froms
            out.add(to)
        return frozenset(out)

    def allowed(self, status: str) -> list[str]:
        """The verbs that may start from ``status``, in table order."""
        return [verb for verb, (froms, _to) in self._table.items() if status in froms]

    def can(self, verb: str, status: str) -> bool:
        return verb in self._table and status in self._table[verb][0]

    def target(self, verb: str, status: str) -> str:
        """The state ``verb`` leads to from ``status``; a field-level ``ValidationError`` (the
        transaction rolled back, the row lock released) when the move is not allowed."""
        froms, to = self._table[verb]  # KeyError: a programming error, not user input
        if status not in froms:
            message = tk._(self.refused or N_("Something that is %(status)s cannot be %(action)s"))
            fail(self.field, message % {"status": self.status_label(status),
                                        "action": self.action_label(verb)})
        return to


def find(model_class: Any, row_id: Any, not_found: Optional[str] = None) -> Any:
    """The row with this id (not locked); None when there is none — or, given ``not_found``,
    ``ObjectNotFound(not_found)``. An id that is not a non-empty text finds nothing."""
    row = (model.Session.get(model_class, row_id)
           if isinstance(row_id, str) and row_id else None)
    if row is None and not_found is not None:
        raise tk.ObjectNotFound(not_found)
    return row


def locked(model_class: Any, row_id: Optional[str], not_found: str) -> Any:
    """The row, locked for this transaction; ``ObjectNotFound(not_found)`` when there is none.

    Its values are read again under the lock (``populate_existing``): a copy loaded earlier
    in the request (validation, auth) would otherwise keep what another transaction has
    changed since."""
    row = None
    if row_id and isinstance(row_id, str):
        row = (model.Session.query(model_class).filter(model_class.id == row_id)
               .with_for_update().populate_existing().one_or_none())
    if row is None:
        model.Session.rollback()
        raise tk.ObjectNotFound(not_found)
    return row


def actor_id(user: Any) -> Optional[str]:
    """The id of the acting user (a name, an id or a ``model.User``), or None."""
    if isinstance(user, model.User):
        return user.id
    if not user:
        return None
    obj = model.User.get(user)
    return obj.id if obj else None


def record(event_class: Any, **columns: Any) -> Any:
    """Add an event row (flushed, not committed): the action commits it with the row."""
    event = event_class(**columns)
    model.Session.add(event)
    model.Session.flush()
    return event


def fail(field: str, message: str) -> None:
    """Roll back (the row lock and anything written) and raise a field-level error."""
    model.Session.rollback()
    raise tk.ValidationError({field: [message]})


def commit(context: Mapping[str, Any]) -> None:
    """The action's commit: skipped when the caller composes actions with ``defer_commit``."""
    if not context.get("defer_commit"):
        model.repo.commit()


def move(context: Mapping[str, Any], model_class: Any, row_id: str, not_found: str, verb: str,
         table: Transitions, record_event: Callable[..., Any], text: Optional[str] = None,
         **changes: Any) -> Any:
    """Steps 1–4 of a transition whose only writes are the new status and ``changes``: lock
    the row, check the move, write, ``record_event(row, user, verb, from, to, text)``,
    commit. Returns the row. (A transition that writes more spells the steps out.)"""
    row = locked(model_class, row_id, not_found)
    status = row.status
    target = table.target(verb, status)
    row.status = target
    for key, value in changes.items():
        setattr(row, key, value)
    record_event(row, context.get("user"), verb, status, target, text)
    commit(context)
    return row


# --- side effects after a successful action ------------------------------------------------

_receivers: dict[str, list[Callable[..., Any]]] = {}


def after(*action_names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(context, data_dict, result)`` to run after one of ``action_names`` has
    succeeded (CKAN's ``action_succeeded`` signal, as core's activity plugin uses it).

    Receivers write (notices) without committing. One error policy for every workflow: each
    receiver runs in a savepoint; one that fails is logged and its writes are undone, the
    transition stays committed and the caller sees it succeed (the workflow's reminders tell
    the people concerned again). The dispatcher commits the receivers' writes — unless the
    caller set ``defer_commit``, and then they commit (or roll back) with the caller's work.
    """
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in action_names:
            _receivers.setdefault(name, []).append(fn)
        return fn
    return register


def _dispatch(sender: str, **kwargs: Any) -> None:
    receivers = _receivers.get(sender)
    if not receivers:
        return
    context = kwargs.get("context") or {}
    for fn in receivers:
        try:
            with model.Session.begin_nested():
                fn(context, kwargs.get("data_dict") or {}, kwargs.get("result"))
        except Exception:
            log.exception("after %s: %s failed; the action itself succeeded", sender,
                          getattr(fn, "__qualname__", fn))
    commit(context)


def signal_subscriptions() -> dict:
    """For the plugin's ``ISignal``: CKAN connects and disconnects the dispatcher."""
    return {tk.signals.action_succeeded: [_dispatch]}


# --- deadlines on the working-day calendar -------------------------------------------------

def clock(start: Optional[dt.date], days: int, running: bool,
          cal: Optional[workdays.Calendar] = None,
          today: Optional[dt.date] = None) -> dict[str, Any]:
    """Due date (``days`` working days after ``start``), provisional flag, working days left
    and overdue — computed now, never stored. ``running``: the clock is not paused or done."""
    if start is None:
        return {"deadline": None, "deadline_provisional": False, "days_left": None,
                "overdue": False}
    cal = cal or workdays.Calendar()
    due, provisional = cal.add_workdays(start, days)
    today = today or workdays.today_beijing()
    # only a running clock has days left (counting them walks every day to the deadline)
    left = cal.workdays_between(today, due)[0] if running else None
    return {"deadline": due.isoformat(), "deadline_provisional": provisional,
            "days_left": left,
            "overdue": bool(running and today > due)}


# --- stored due dates ----------------------------------------------------------------------
#
# A list that orders, filters or counts by deadline cannot compute every open item's clock
# per request. A workflow whose list does so stores its due date on the row: ``store_due``
# names the row's clock inputs and how the stored columns follow from them on the calendar.
# Any flush that inserts such a row or changes one of its inputs writes them (every
# transition that starts, stops or restarts the clock, and any other writer of those
# columns); loading a year of the calendar recomputes the rows whose clock touches that
# year (``workdays.loader.store`` → ``recompute_due``), in the load's transaction.

class StoredDue:
    """``compute(row, cal, today) -> {output column: value}`` from the ``inputs`` (it reads
    them by name: an ORM row or a plain row of those columns); ``touches(year)``: a SQL
    condition for the rows whose stored answer may depend on that year's schedule."""

    def __init__(self, model_class: Any, inputs: tuple[str, ...], outputs: tuple[str, ...],
                 compute: Callable[[Any, workdays.Calendar, dt.date], dict[str, Any]],
                 touches: Callable[[int], Any]):
        self.model_class = model_class
        self.inputs = inputs
        self.outputs = outputs
        self.compute = compute
        self.touches = touches


_stored_due: dict[Any, StoredDue] = {}


def store_due(model_class: Any, inputs: tuple[str, ...], outputs: tuple[str, ...],
              compute: Callable[[Any, workdays.Calendar, dt.date], dict[str, Any]],
              touches: Callable[[int], Any]) -> None:
    """Keep the ``outputs`` columns (``compute``'s answer) on every row of ``model_class``."""
    _stored_due[model_class] = StoredDue(model_class, inputs, outputs, compute, touches)


def _clock_changed(obj: Any, spec: StoredDue) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in spec.inputs)


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _stamp_due(session, _flush_context, _instances) -> None:
    if not _stored_due:
        return
    cal: Optional[workdays.Calendar] = None
    today = workdays.today_beijing()
    for obj in (*session.new, *session.dirty):
        spec = _stored_due.get(type(obj))
        if spec is None or (obj not in session.new and not _clock_changed(obj, spec)):
            continue
        if getattr(obj, spec.inputs[0], None) is None:
            continue  # not filled in yet: the column's own constraint speaks
        with session.no_autoflush:
            if cal is None:
                cal = workdays.Calendar(session)
            for name, value in spec.compute(obj, cal, today).items():
                if getattr(obj, name, None) != value:
                    setattr(obj, name, value)


def recompute_due(session: Any, year: Optional[int] = None) -> int:
    """Recompute the stored due dates of every ``store_due`` row whose clock touches
    ``year`` (every row without it), on the calendar as ``session`` sees it; written, not
    committed. Reads and writes plain columns (no ORM rows). Returns how many changed."""
    cal, today = workdays.Calendar(session), workdays.today_beijing()
    changed = 0
    for spec in _stored_due.values():
        table = spec.model_class.__table__
        names = list(spec.outputs)
        query = sa.select(table.c.id, *(table.c[c] for c in {*spec.inputs, *names}))
        if year is not None:
            query = query.where(spec.touches(year))
        todo = []
        for row in session.execute(query):
            values = spec.compute(row, cal, today)
            if any(getattr(row, c) != values[c] for c in names):
                todo.append({"_id": row.id, **{c: values[c] for c in names}})
        if todo:
            session.execute(table.update().where(table.c.id == sa.bindparam("_id")).values(
                {c: sa.bindparam(c) for c in names}), todo)
            changed += len(todo)
    return changed
