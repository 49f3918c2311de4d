"""The web layer's one transaction boundary: commit once, or roll back and say why."""

import sqlalchemy as sa

from marketplace.atomic import change_if, lock
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.refused import Clash, Refused
from marketplace.transaction import run


def test_a_done_step_is_committed(app, make_user):
    user = make_user(display_name="Anna")

    def rename():
        user.display_name = "Anja"
        return "value"

    with app.test_request_context():
        outcome = run(rename)
    assert outcome and outcome.value == "value" and outcome.status == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Anja"


def test_a_refusal_rolls_back_everything_the_step_did(app, make_user):
    user = make_user(display_name="Anna")

    def rename_then_refuse():
        user.display_name = "Anja"
        db.session.flush()
        raise Refused("Nee.", field="display_name")

    with app.test_request_context():
        outcome = run(rename_then_refuse)
    assert not outcome and str(outcome.refusal) == "Nee." and outcome.status == 400
    assert outcome.refusal.field == "display_name"
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Anna"


def test_a_unique_clash_becomes_a_clear_answer_not_a_server_error(app, make_user):
    taken = make_user(email="zelfde@example.org")
    other = make_user()

    def take_the_address():
        other.email = taken.email

    with app.test_request_context(headers={"Accept-Language": "nl"}):
        outcome = run(take_the_address)
        assert isinstance(outcome.refusal, Clash) and outcome.status == 409
        assert "op hetzelfde moment" in str(outcome.refusal)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(
        User.email == "zelfde@example.org")) == 1


def test_change_if_changes_only_while_the_condition_holds(app, make_user):
    user = make_user(display_name="Anna")
    assert change_if(user, User.display_name == "Anna", display_name="Anja")
    assert user.display_name == "Anja"  # re-read at once
    assert not change_if(user, User.display_name == "Anna", display_name="Bep")
    assert user.display_name == "Anja"


def test_lock_reads_the_row_again(app, make_user):
    user = make_user(display_name="Anna")
    db.session.execute(sa.update(User).where(User.id == user.id).values(display_name="Anja")
                       .execution_options(synchronize_session=False))
    assert user.display_name == "Anna"  # stale until locked
    lock(user)
    assert user.display_name == "Anja"
    db.session.rollback()


def test_a_busy_database_is_answered_not_a_server_error(app):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from marketplace.refused import Busy

    def locked():
        raise OperationalError("UPDATE …", {}, sqlite3.OperationalError("database is locked"))

    with app.test_request_context():
        outcome = run(locked)
    assert isinstance(outcome.refusal, Busy) and outcome.status == 503


def test_an_account_closed_a_moment_ago_writes_nothing(app, make_user):
    """The page was opened (and the policy passed) before the account was deleted elsewhere."""
    from flask_login import login_user

    from marketplace.auth.sessions import start_session
    from marketplace.models_base import utcnow

    person = make_user(display_name="Anna")
    start_session(person, remember=False)
    db.session.commit()
    with app.test_request_context():
        login_user(person)
        with db.engine.begin() as elsewhere:  # another request deletes the account
            elsewhere.execute(sa.update(User).where(User.id == person.id)
                              .values(deleted_at=utcnow(), active=False))
        steps = []
        outcome = run(lambda: steps.append("ran"))
    assert steps == [] and "gesloten" in str(outcome.refusal)
