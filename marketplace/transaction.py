"""The web layer's one transaction boundary.

A view hands its service step to :func:`run` (or :func:`saved` for a form, :func:`done` for a
button). The step flushes; this commits once. When the step refuses (any :class:`Refused`), or the
database catches a clash with another request made at the same moment, everything the step did
is rolled back and the person is told why, never with a server error. Mail and notifications
queued by the step leave only after the commit succeeded (see :mod:`marketplace.deferred`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.pace import keep_pace
from marketplace.refused import Clash, Refused

CLASH_MESSAGE = _l("Someone else changed this at the same moment, so nothing was saved. "
                   "Look again and try once more.")


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
        value = step()
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        return Outcome(refusal=refusal)
    except IntegrityError as error:
        db.session.rollback()
        current_app.logger.info("a step clashed with another request: %s", error.orig)
        return Outcome(refusal=Clash(CLASH_MESSAGE))
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
