"""Writing to the wijkwerker of a buurt through the platform: the wijkwerkers of the buurt hear
of it and answer once (a colleague a moment later is told), the resident hears the answer and
sees it; others cannot answer; bad input keeps what was typed."""

import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.buurten.models import BuurtQuestion
from marketplace.extensions import db
from marketplace.notifications.models import Notification, NotificationKind

BUURT = "BU99990101"


def _told(user, kind) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.kind == kind)) or 0


def test_a_resident_writes_and_the_wijkwerker_answers(client, auth, make_user, gemeente):
    wijk = gemeente.wijken[0]
    wendy = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[wijk], display_name="Wendy")
    colleague = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[wijk])
    elsewhere = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[1:2])
    resident = make_user(display_name="Anna")
    auth.login(resident)
    page = client.get(f"/buurt/{BUURT}").text
    assert f'href="/buurt/{BUURT}/wijkwerker"' in page
    response = client.post(f"/buurt/{BUURT}/wijkwerker", data={"body": "x" * 2001})
    assert response.status_code == 200 and "x" * 2001 in response.text  # kept, with the error
    client.post(f"/buurt/{BUURT}/wijkwerker", data={"body": "Mag de bank op het plein weg?"})
    question = db.session.scalar(sa.select(BuurtQuestion))
    assert question.body == "Mag de bank op het plein weg?"
    assert _told(wendy, NotificationKind.BUURT_QUESTION) == 1
    assert _told(colleague, NotificationKind.BUURT_QUESTION) == 1
    assert _told(elsewhere, NotificationKind.BUURT_QUESTION) == 0
    auth.logout()

    auth.login(elsewhere)
    assert "Mag de bank" not in client.get("/moderatie/buurtvragen").text
    assert client.post(f"/moderatie/buurtvragen/{question.id}/antwoord",
                       data={f"q{question.id}-answer": "Nee"}).status_code == 403
    auth.logout()
    auth.login(wendy)
    assert "Mag de bank op het plein weg?" in client.get("/moderatie/buurtvragen").text
    client.post(f"/moderatie/buurtvragen/{question.id}/antwoord",
                data={f"q{question.id}-answer": "Ja, als de buren het eens zijn."})
    auth.logout()
    auth.login(colleague)  # a moment later: the first answer stays
    client.post(f"/moderatie/buurtvragen/{question.id}/antwoord",
                data={f"q{question.id}-answer": "Nee."})
    db.session.refresh(question)
    assert question.answer == "Ja, als de buren het eens zijn."
    assert question.answered_by_id == wendy.id
    auth.logout()

    assert _told(resident, NotificationKind.BUURT_ANSWER) == 1
    auth.login(resident)
    mine = client.get("/buurtvragen").text
    assert "Ja, als de buren het eens zijn." in mine and "Antwoord van Wendy" in mine
