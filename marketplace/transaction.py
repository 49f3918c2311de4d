"""The web layer's one transaction boundary.

A view hands its service step to :func:`run` (or :func:`saved` for a form, :func:`done` for a
button). The step flushes; this commits once. When the step refuses (any :class:`Refused`), or the
database catches a clash with another request made at the same moment, everything the step did
is rolled back and the person is told why, never with a server error. Mail and notifications
queued by the step leave only after the commit succeeded (see :mod:`marketplace.jobs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError, OperationalError

from marketplace.atomic import lock
from marketplace.extensions import db
from marketplace.pace import keep_pace
from marketplace.refused import Busy, Clash, Refused

CLASH_MESSAGE = _l("Someone else changed this at the same moment, so nothing was saved. "
                   "Look again and try once more.")
BUSY_MESSAGE = _l("It is very busy right now, so nothing was saved. Try again in a moment.")
CLOSED_MESSAGE = _l("Your account was closed a moment ago, so nothing was saved.")
# PostgreSQL: deadlock, serialization failure, lock not available; SQLite: the write lock did
# not come free within the busy timeout.
_BUSY_CODES = {"40P01", "40001", "55P03"}


def _busy(error: OperationalError) -> bool:
    code = getattr(error.orig, "sqlstate", None)
    return code in _BUSY_CODES or "database is locked" in str(error.orig)


# Features that put someone else behind the acting person add a check here, run once the
# person's row is held (marketplace.assisted: the employee may still act for the resident).
ACTOR_CHECKS: list[Callable[[], None]] = []


def _hold_the_actor() -> None:
    """Hold the acting person's row for the step: an account deleted or blocked a moment ago
    writes nothing after all, and one person's requests take turns."""
    if not current_user.is_authenticated:
        return
    lock(current_user)
    if current_user.deleted_at is not None or not current_user.active:
        raise Refused(CLOSED_MESSAGE)
    for check in ACTOR_CHECKS:
        check()


@dataclass
class Outcome:
    """What became of a step: done (with the step's value), refused, or not tried (a form with
    errors). True when done."""

    done: bool = False
    value: Any = None
    refusal: Refused | None = None
    invalid: bool = False  # a form was sent with errors

    def __bool__(self) -> bool:
        return self.done

    @property
    def status(self) -> int:
        """The HTTP status to show the page (again) with: 200 for a first look."""
        if self.refusal is not None:
            return self.refusal.status
        return 400 if self.invalid else 200


def run(step: Callable[[], Any], pace: str | None = None) -> Outcome:
    """Run ``step`` and commit; or roll back and return the refusal. ``pace`` names the kind of
    post the step makes (see :mod:`marketplace.pace`): too many too fast are refused."""
    try:
        if pace is not None:
            keep_pace(pace, current_user)
        _hold_the_actor()
        value = step()
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        return Outcome(refusal=refusal)
    except IntegrityError as error:
        db.session.rollback()
        current_app.logger.info("a step clashed with another request: %s", error.orig)
        return Outcome(refusal=Clash(CLASH_MESSAGE))
    except OperationalError as error:
        db.session.rollback()
        if not _busy(error):
            raise
        current_app.logger.warning("a step found the database busy: %s", error.orig)
        return Outcome(refusal=Busy(BUSY_MESSAGE))
    return Outcome(done=True, value=value)


def saved(form: FlaskForm, step: Callable[[], Any], pace: str | None = None) -> Outcome:
    """Validate the form and run the step; a refusal lands on the form (on its field, if it
    names one), so the page can be shown again with what the person typed."""
    if not form.validate_on_submit():
        return Outcome(invalid=form.is_submitted())
    outcome = run(step, pace)
    if outcome.refusal is not None:
        field = getattr(form, outcome.refusal.field, None) if outcome.refusal.field else None
        if field is not None:
            field.errors = [*field.errors, str(outcome.refusal)]
        else:
            form.form_errors.append(str(outcome.refusal))
    return outcome


def done(step: Callable[[], Any], success: object, form: FlaskForm | None = None,
         pace: str | None = None) -> Outcome:
    """For a button: run the step and flash the thanks, or flash why not. ``success`` may be
    a function of the step's value, for thanks that depend on what happened."""
    if form is not None and not form.validate_on_submit():
        for name, errors in form.errors.items():
            text = " ".join(str(error) for error in errors)
            label = form[name].label.text if name and name in form else ""
            flash(f"{label}: {text}" if label else text, "error")
        return Outcome(invalid=True)
    outcome = run(step, pace)
    if outcome:
        flash(str(success(outcome.value) if callable(success) else success), "success")
    else:
        flash(str(outcome.refusal), "error")
    return outcome
