"""Writing to the wijkwerker of a buurt, and their answer. Services flush; the view commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from marketplace import clock, policy
from marketplace.auth.models import User
from marketplace.auth.queries import covered_buurt_ids, reviewers_for
from marketplace.buurten.models import MAX_QUESTION, BuurtQuestion
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refused import Clash, Refused


class QuestionRefused(Refused):
    """The question or answer cannot be sent; the message says why."""


def _text(value: str | None) -> str:
    text = (value or "").strip()
    if not text or len(text) > MAX_QUESTION:
        raise QuestionRefused(_("Write 1 to %(max)d characters.", max=MAX_QUESTION),
                              field="body")
    return text


def ask(sender: User, buurt: Buurt, body: str) -> BuurtQuestion:
    """A resident's question to whoever looks after the buurt (its wijkwerkers, else as for
    moderation); each of them hears of it."""
    if not policy.can(sender, "buurt.ask", buurt):
        raise QuestionRefused(_("Confirm your e-mail address first, then write."))
    question = BuurtQuestion(buurt_id=buurt.id, sender_id=sender.id, body=_text(body),
                             created_at=clock.now())
    db.session.add(question)
    db.session.flush()
    for person in reviewers_for(buurt).people:
        notify(person, NotificationKind.BUURT_QUESTION, actor=sender, note=buurt.name)
    return question


def answer(person: User, question: BuurtQuestion, text: str) -> None:
    """The answer, once: a colleague who answered a moment earlier keeps theirs (a conditional
    UPDATE), and the resident hears of it."""
    if not policy.can(person, "buurt.moderate", question.buurt):
        raise QuestionRefused(_("Only the wijkwerkers of this buurt can answer."))
    text = _text(text)
    claimed = db.session.execute(
        sa.update(BuurtQuestion).where(BuurtQuestion.id == question.id,
                                       BuurtQuestion.answered_at.is_(None))
        .values(answer=text, answered_at=clock.now(), answered_by_id=person.id)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise Clash(_("A colleague answered this question a moment ago."))
    db.session.refresh(question)
    notify(question.sender, NotificationKind.BUURT_ANSWER, actor=person,
           note=question.buurt.name)


def asked_by(person: User) -> sa.Select:
    return (sa.select(BuurtQuestion).where(BuurtQuestion.sender_id == person.id)
            .options(selectinload(BuurtQuestion.buurt))
            .order_by(BuurtQuestion.created_at.desc(), BuurtQuestion.id.desc()))


def for_moderator(moderator: User) -> sa.Select:
    """The questions of the buurten the person looks after: unanswered first, newest first."""
    query = (sa.select(BuurtQuestion)
             .options(selectinload(BuurtQuestion.buurt), selectinload(BuurtQuestion.sender),
                      selectinload(BuurtQuestion.answered_by))
             .order_by(BuurtQuestion.answered_at.is_not(None), BuurtQuestion.created_at.desc(),
                       BuurtQuestion.id.desc()))
    covered = covered_buurt_ids(moderator)
    return query if covered is None else query.where(BuurtQuestion.buurt_id.in_(covered))
