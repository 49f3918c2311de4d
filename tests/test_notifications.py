"""Notifications in the app and by e-mail: at once, in a daily digest, or off; never empty."""

from email import policy
from email.parser import BytesParser

import sqlalchemy as sa

from marketplace.commitments import services as commitments
from marketplace.extensions import db
from marketplace.notifications import services
from marketplace.notifications.models import Frequency, Notification, NotificationKind

K = NotificationKind


def test_immediate_mail_goes_after_commit_and_not_after_rollback(make_listing, make_user, outbox):
    listing = make_listing()
    commitments.respond(make_user(), listing.resources[0], 1)
    assert outbox() == []  # nothing before the commit
    db.session.rollback()
    assert outbox() == []  # and nothing for an action that did not happen
    commitments.respond(make_user(display_name="Henk"), listing.resources[0], 1)
    db.session.commit()
    [mail] = outbox()
    assert mail.to == listing.owner.email and "Henk" in mail.body


def test_daily_digest_collects_and_is_never_empty(app, make_listing, make_user, outbox, runner):
    owner = make_user()
    services.set_preferences(owner, {K.COMMITMENT_NEW: Frequency.DAILY})
    listing = make_listing(owner=owner, title="Moestuin")
    for name in ("Henk", "Fatma"):
        commitments.respond(make_user(display_name=name), listing.resources[0], 1)
    db.session.commit()
    assert outbox() == []
    result = runner.invoke(args=["send-digests"])
    assert "1 digest(s) queued" in result.output
    [digest] = outbox()
    assert digest.to == owner.email and digest.subject == "Je Buurtmarkt-nieuws van vandaag"
    assert "Henk" in digest.body and "Fatma" in digest.body and "http://127.0.0.1:5000/" in digest.body
    result = runner.invoke(args=["send-digests"])
    assert "0 digest(s) queued" in result.output and len(outbox()) == 1  # no empty digests


def test_off_means_in_the_app_only(make_listing, make_user, outbox, runner):
    owner = make_user()
    services.set_preferences(owner, {K.COMMITMENT_NEW: Frequency.OFF})
    listing = make_listing(owner=owner)
    commitments.respond(make_user(), listing.resources[0], 1)
    db.session.commit()
    runner.invoke(args=["send-digests"])
    assert outbox() == []
    assert services.unread_count(owner) == 1


def test_no_notification_for_own_action_or_unconfirmed_mail(make_listing, make_user, outbox):
    owner = make_user(confirmed=False)
    listing = make_listing(owner=owner)
    commitments.respond(make_user(), listing.resources[0], 1)
    db.session.commit()
    assert services.unread_count(owner) == 1 and outbox() == []  # in the app, no mail yet


def test_list_unread_count_and_mark_read(client, auth, make_listing, make_user):
    owner, other = make_user(), make_user()
    listing = make_listing(owner=owner, title="Moestuin")
    commitments.respond(make_user(display_name="Henk"), listing.resources[0], 1)
    commitments.respond(make_user(display_name="Fatma"), listing.resources[0], 1)
    db.session.commit()
    auth.login(owner)
    page = client.get("/meldingen/")
    assert "Henk heeft gereageerd op “Moestuin”" in page.text
    assert '2 ongelezen meldingen' in client.get("/").text
    first = db.session.scalars(sa.select(Notification).order_by(Notification.id)).first()
    client.post("/meldingen/gelezen", data={"id": first.id})
    assert services.unread_count(owner) == 1
    client.post("/meldingen/gelezen")
    assert services.unread_count(owner) == 0
    # Someone else cannot read or mark another person's notifications.
    auth.logout()
    auth.login(other)
    assert "Henk" not in client.get("/meldingen/").text
    client.post("/meldingen/gelezen")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))
                             .where(Notification.read_at.is_(None))) == 0


def test_someone_elses_notification_stays_unread(client, auth, make_listing, make_user):
    owner = make_user()
    listing = make_listing(owner=owner)
    commitments.respond(make_user(), listing.resources[0], 1)
    db.session.commit()
    notification = db.session.scalar(sa.select(Notification))
    auth.login(make_user())
    client.post("/meldingen/gelezen", data={"id": notification.id})
    db.session.refresh(notification)
    assert notification.read_at is None


def test_settings_page_saves_choices(client, auth, make_user):
    user = make_user()
    auth.login(user)
    data = {kind.value: "immediately" for kind in K}
    data[K.MATCH_SUGGESTION.value] = "off"
    assert client.post("/meldingen/instellingen", data=data).status_code == 302
    assert services.preferences_of(user)[K.MATCH_SUGGESTION] is Frequency.OFF
    response = client.post("/meldingen/instellingen", data={**data, "message_new": "sometimes"})
    assert response.status_code == 200
    assert services.preferences_of(user)[K.MESSAGE_NEW] is Frequency.IMMEDIATELY


def test_settings_offer_only_the_kinds_a_person_can_get(client, auth, make_user, gemeente):
    from marketplace.auth.models import Role

    pages = {}
    for role in (None, Role.WIJKWERKER, Role.STAFF):
        person = make_user(role, gemeente=None if role is None else gemeente,
                           wijken=gemeente.wijken if role is Role.WIJKWERKER else [])
        auth.login(person)
        pages[role] = client.get("/meldingen/instellingen").text
        auth.logout()
    queue, reminders = "moderatiewachtrij", "Herinneringen voor medewerkers"
    assert queue not in pages[None] and reminders not in pages[None]
    assert queue in pages[Role.WIJKWERKER].lower() and reminders not in pages[Role.WIJKWERKER]
    assert reminders in pages[Role.STAFF] and queue not in pages[Role.STAFF].lower()


def test_comments_on_one_listing_add_up_in_one_notification(make_listing, make_user):
    from marketplace.comments.services import post_comment
    from marketplace.notifications.texts import describe

    owner = make_user()
    listing = make_listing(owner=owner, title="Moestuin")
    for name in ("Henk", "Fatma", "Joop"):
        post_comment(make_user(display_name=name), listing, f"Leuk plan, groet {name}")
        db.session.commit()  # three requests
    [told] = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == owner.id)).all()
    assert told.count == 3
    assert describe(told, "nl") == "3 nieuwe opmerkingen bij “Moestuin”."
    services.mark_read(owner)
    post_comment(make_user(), listing, "Nog een vraag")
    db.session.commit()
    assert services.unread_count(owner) == 1  # read ones stay; new news starts a new one


def test_one_person_is_told_once_about_one_event(make_listing, make_user):
    from marketplace.accountability.models import GemeenteRole
    from marketplace.accountability.services import set_role
    from marketplace.auth.models import Role
    from marketplace.following.services import follow

    listing = make_listing()
    follow(listing.owner, listing)  # the initiator also follows: one notification, not two
    staff = make_user(Role.STAFF, gemeente=listing.gemeente)
    set_role(staff, listing, GemeenteRole.FACILITATING,
             "We helpen met een vergunning en denken mee over de inrichting.", "Team Groen")
    db.session.commit()
    assert services.unread_count(listing.owner) == 1


def test_responses_stand_out_above_the_news(client, auth, make_listing, make_user):
    from marketplace.comments.services import post_comment

    owner = make_user()
    listing = make_listing(owner=owner, title="Moestuin")
    post_comment(make_user(), listing, "Mooi!")
    commitments.respond(make_user(display_name="Bram"), listing.resources[0], 1)
    db.session.commit()
    auth.login(owner)
    page = client.get("/meldingen/").text
    waiting = page.index("Wacht op jou")
    assert waiting < page.index("Bram heeft gereageerd") < page.index("Ander nieuws")
    assert page.index("Ander nieuws") < page.index("opmerking")


def test_one_click_unsubscribe_from_a_mail(app, client, make_listing, make_user, outbox):
    listing = make_listing()
    commitments.respond(make_user(display_name="Henk"), listing.resources[0], 1)
    db.session.commit()
    [mail] = outbox()
    headers = BytesParser(policy=policy.default).parsebytes(mail.path.read_bytes())
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(headers["List-Unsubscribe"]).strip("<>").replace("http://127.0.0.1:5000", "")
    assert url in mail.body  # the text offers the same link
    assert "Stoppen" in client.get(url).text  # a visit only asks
    assert services.preferences_of(listing.owner)[K.COMMITMENT_NEW] is Frequency.IMMEDIATELY
    # What a mail program sends: a post without a session or a CSRF token.
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert services.preferences_of(listing.owner)[K.COMMITMENT_NEW] is Frequency.OFF
    assert client.post(url[:-3] + "xyz").status_code == 400
