"""Assisted taking part: an employee registers a resident without e-mail, posts and responds in
their name, passes their updates on by letter or SMS, and the resident later takes over."""

import re

import pytest
import sqlalchemy as sa

from marketplace.assisted import services
from marketplace.assisted.models import AssistedListing, AssistedResident, Channel, ConsentWay
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role, User
from marketplace.commitments.models import Commitment
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.notifications.models import Notification
from marketplace.policy import can
from tests.test_listings_routes import _form

ADDRESS = "Dorpsstraat 1\n9999 AA Voorbeeld"


@pytest.fixture
def wijkwerker(make_user, gemeente):
    return make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[:1],
                     display_name="Wim Wijkwerker")


@pytest.fixture
def mevrouw(wijkwerker, gemeente) -> AssistedResident:
    assisted = services.register(wijkwerker, gemeente, services.NewResident(
        name="Mevrouw Jansen", channel=Channel.LETTER, contact=ADDRESS,
        consent_way=ConsentWay.PHONE, consent_note="Haar zoon was erbij"))
    db.session.commit()
    return assisted


def _register_form(**changes) -> dict:
    data = {"name": "Mevrouw Jansen", "channel": "letter", "contact": ADDRESS,
            "consent_way": "in_person", "consent": "y", "consent_note": "", "language": "nl"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_register_through_the_page_records_consent(client, auth, wijkwerker, gemeente):
    auth.login(wijkwerker)
    refused = client.post("/hulp/nieuw", data=_register_form(consent=None))
    assert refused.status_code == 400
    assert "Vraag het de bewoner eerst" in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AssistedResident)) == 0
    response = client.post("/hulp/nieuw", data=_register_form())
    assisted = db.session.scalar(sa.select(AssistedResident))
    assert response.headers["Location"] == f"/hulp/{assisted.user_id}"
    person = assisted.user
    assert person.email is None and person.password_hash is None
    assert assisted.consent_way is ConsentWay.IN_PERSON and assisted.consent_by_id == wijkwerker.id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assisted.register"))
    assert entry.actor_id == wijkwerker.id and entry.subject_id == person.id
    page = client.get(f"/hulp/{person.id}")
    assert "Mevrouw Jansen" in page.text and "Dorpsstraat 1" in page.text
    assert "<title>Mevrouw Jansen · " in page.text  # the title is the name, nothing else
    assert page.text.count('id="forget"') == 1
    assert "Wim Wijkwerker" in page.text  # who recorded the consent


def test_nobody_logs_in_to_an_assisted_account(client, mevrouw):
    from marketplace.auth.services import authenticate

    assert authenticate("", "") is None
    response = client.post("/inloggen", data={"email": "", "password": "x" * 12})
    assert response.status_code == 400
    assert client.get("/mijn-account/").headers["Location"].startswith("/inloggen")


def test_post_and_respond_for_a_resident_through_the_site(client, auth, wijkwerker, mevrouw,
                                                          make_listing):
    other = make_listing(title="Buurtfeest", owner=None)
    auth.login(wijkwerker)
    assert client.post(f"/hulp/{mevrouw.user_id}/helpen").status_code == 302
    page = client.get("/nieuw")
    assert "U helpt nu Mevrouw Jansen" in page.text or "Je helpt nu Mevrouw Jansen" in page.text
    response = client.post("/nieuw/initiatief", data=_form(title="Bankje bij de vijver"))
    listing = db.session.scalar(sa.select(Listing).where(Listing.title == "Bankje bij de vijver"))
    assert response.headers["Location"] == f"/l/{listing.id}"
    assert listing.owner_id == mevrouw.user_id
    assert db.session.get(AssistedListing, listing.id).helper_id == wijkwerker.id
    detail = client.get(f"/l/{listing.id}")
    assert "met hulp van de gemeente" in detail.text
    response = client.post(f"/l/{other.id}/reageren/{other.resources[0].id}",
                           data={"quantity": "1", "note": "Ik bak een taart"})
    commitment = db.session.scalar(sa.select(Commitment))
    assert commitment.helper_id == mevrouw.user_id
    client.post(f"/reacties/{commitment.id}/bericht", data={"body": "Bel me op 0612345678"})
    client.post(f"/reacties/{commitment.id}/withdraw")
    db.session.refresh(commitment)
    assert commitment.status.value == "withdrawn"
    # Every step is audited with the employee as actor, for the resident; a message's words
    # are not copied into the log.
    steps = [(e.actor_id, e.after["for_id"], e.after["step"], e.after.get("action"))
             for e in db.session.scalars(sa.select(AuditEntry).where(
                 AuditEntry.action == "assisted.act").order_by(AuditEntry.id))]
    assert steps == [(wijkwerker.id, mevrouw.user_id, "listings.create", None),
                     (wijkwerker.id, mevrouw.user_id, "commitments.respond", None),
                     (wijkwerker.id, mevrouw.user_id, "commitments.message", None),
                     (wijkwerker.id, mevrouw.user_id, "commitments.act", "withdraw")]
    assert not any("0612345678" in str(entry.subject_label) + str(entry.after)
                   for entry in db.session.scalars(sa.select(AuditEntry)))
    # The employee's own pages are closed while helping; stopping opens them again.
    blocked = client.get("/mijn-account/")
    assert blocked.headers["Location"] == f"/hulp/{mevrouw.user_id}"
    client.post("/hulp/stoppen")
    assert client.get("/mijn-account/").status_code == 200
    client.post("/nieuw/initiatief", data=_form(title="Eigen plan"))
    mine = db.session.scalar(sa.select(Listing).where(Listing.title == "Eigen plan"))
    assert mine.owner_id == wijkwerker.id
    assert db.session.get(AssistedListing, mine.id) is None


def test_updates_become_letter_and_sms_text_and_are_passed_on_once(
        client, auth, wijkwerker, mevrouw, make_listing, make_user):
    from marketplace.commitments.services import respond

    listing_owner = wijkwerker
    auth.login(listing_owner)
    client.post(f"/hulp/{mevrouw.user_id}/helpen")
    client.post("/nieuw/initiatief", data=_form(title="Bankje"))
    client.post("/hulp/stoppen")
    listing = db.session.scalar(sa.select(Listing).where(Listing.title == "Bankje"))
    respond(make_user(display_name="Henk"), listing.resources[0], 2)
    db.session.commit()
    page = client.get(f"/hulp/{mevrouw.user_id}")
    assert "Henk heeft gereageerd op “Bankje”" in page.text
    assert "Buurtmarkt: Henk heeft gereageerd op “Bankje”" in page.text  # the SMS text
    letter = client.get(f"/hulp/{mevrouw.user_id}/brief")
    assert "Dorpsstraat 1" in letter.text and "Beste Mevrouw Jansen" in letter.text
    assert "Henk heeft gereageerd" in letter.text
    update_id = db.session.scalar(sa.select(Notification.id).where(
        Notification.user_id == mevrouw.user_id))
    client.post(f"/hulp/{mevrouw.user_id}/doorgegeven", data={"update": str(update_id)})
    again = client.post(f"/hulp/{mevrouw.user_id}/doorgegeven", data={"update": str(update_id)})
    assert again.status_code == 302
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "assisted.passed_on")).all()
    assert [entry.after["updates"] for entry in entries] == [1]
    assert "Er wacht niets" in client.get(f"/hulp/{mevrouw.user_id}").text


def test_take_over_with_the_code(client, auth, app, wijkwerker, mevrouw, outbox):
    auth.login(wijkwerker)
    page = client.post(f"/hulp/{mevrouw.user_id}/code")
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", page.text).group(0)
    auth.logout()
    wrong = client.post("/overnemen", data={"code": "AAAAA-AAAAA", "email": "jansen@example.org",
                                            "password": "een lange zin als wachtwoord",
                                            "accept_privacy": "y"})
    assert wrong.status_code == 400 and "niet (meer) geldig" in wrong.text
    response = client.post("/overnemen", data={"code": code.lower(),
                                               "email": "Jansen@example.org",
                                               "password": "een lange zin als wachtwoord",
                                               "accept_privacy": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, mevrouw.user_id)
    assert person.email == "jansen@example.org" and person.password_hash
    assisted = db.session.get(AssistedResident, mevrouw.user_id)
    assert assisted.taken_over_at is not None and assisted.contact == ""
    assert outbox()[-1].to == "jansen@example.org"  # confirm the address
    assert client.get("/mijn-pagina").status_code == 200  # logged in as herself
    # The code works once, and the employee can no longer act for her.
    auth.logout()
    again = client.post("/overnemen", data={"code": code, "email": "ander@example.org",
                                            "password": "een lange zin als wachtwoord",
                                            "accept_privacy": "y"})
    assert again.status_code == 400
    assert not can(wijkwerker, "resident.act_for", assisted)
    auth.login(wijkwerker)
    assert client.get(f"/hulp/{mevrouw.user_id}").status_code == 404


def test_take_over_with_an_address_in_use_keeps_the_code(client, mevrouw, wijkwerker, make_user):
    taken = make_user(email="bezet@example.org")
    code = services.make_takeover_code(wijkwerker, mevrouw)
    db.session.commit()
    response = client.post("/overnemen", data={"code": code, "email": taken.email,
                                               "password": "een lange zin als wachtwoord",
                                               "accept_privacy": "y"})
    assert response.status_code == 400 and "heeft al een account" in response.text
    db.session.expire_all()
    assert db.session.get(AssistedResident, mevrouw.user_id).taken_over_at is None


def test_who_may_help(make_user, gemeente, other_gemeente, mevrouw):
    staff_here = make_user(Role.STAFF, gemeente=gemeente)
    wijkwerker_other_area = make_user(Role.WIJKWERKER, gemeente=gemeente,
                                      wijken=gemeente.wijken[1:2])
    assert can(staff_here, "resident.act_for", mevrouw)  # the contact centre
    assert can(wijkwerker_other_area, "resident.act_for", mevrouw)  # the whole gemeente
    for outsider in (make_user(), make_user(Role.STAFF, gemeente=other_gemeente),
                     make_user(Role.WIJKWERKER, gemeente=other_gemeente,
                               wijken=other_gemeente.wijken), make_user(Role.ADMIN)):
        assert not can(outsider, "resident.act_for", mevrouw)
        assert not can(outsider, "resident.assist", gemeente)


def test_helping_stops_when_the_employee_loses_the_role(client, auth, wijkwerker, mevrouw):
    auth.login(wijkwerker)
    client.post(f"/hulp/{mevrouw.user_id}/helpen")
    wijkwerker.roles = set()
    db.session.commit()
    response = client.post("/nieuw/initiatief", data=_form(title="Mag niet"))
    assert db.session.scalar(sa.select(Listing).where(Listing.title == "Mag niet")) is None
    assert response.headers["Location"] == "/"
    assert "Je helpt deze bewoner niet meer" in client.get("/").text


def test_deleting_an_assisted_resident_forgets_the_contact(mevrouw, make_user):
    from marketplace.privacy.erasure import delete_on_request

    admin, person_id = make_user(Role.ADMIN), mevrouw.user_id
    delete_on_request(mevrouw.user, by=admin, reason="Op verzoek")
    db.session.commit()
    db.session.expunge_all()
    assert db.session.get(AssistedResident, person_id) is None


def test_retention_keeps_helped_residents_and_counts_a_take_over_afresh(app, mevrouw,
                                                                        wijkwerker):
    from datetime import timedelta

    from marketplace import clock
    from marketplace.privacy.retention import remove_unconfirmed_accounts

    person_id = mevrouw.user_id
    later = clock.now() + timedelta(days=45)
    assert remove_unconfirmed_accounts(later) == 0
    code = services.make_takeover_code(wijkwerker, mevrouw)
    services.take_over(code, "jansen@example.org", "een lange zin als wachtwoord", "nl")
    db.session.commit()
    # Taken over today, 30 days to confirm the address like anyone who signs up.
    assert remove_unconfirmed_accounts(clock.now() + timedelta(days=20)) == 0
    assert remove_unconfirmed_accounts(clock.now() + timedelta(days=31)) == 1
    assert db.session.get(User, person_id).deleted_at is not None


def test_deleting_a_helped_resident_cleans_up_after_the_commit(mevrouw, make_user, outbox):
    from marketplace.privacy.erasure import delete_on_request

    erasure = delete_on_request(mevrouw.user, by=make_user(Role.ADMIN), reason="Op verzoek")
    db.session.commit()
    erasure.clean_up()  # no address to look for in the outbox


def test_odd_update_numbers_are_ignored(client, auth, wijkwerker, mevrouw):
    auth.login(wijkwerker)
    response = client.post(f"/hulp/{mevrouw.user_id}/doorgegeven",
                           data={"update": ["²", "9" * 30, "-1"]})
    assert response.status_code == 302


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_a_form_opened_as_yourself_is_not_sent_as_the_resident(app, client, auth, wijkwerker,
                                                                mevrouw):
    auth.login(wijkwerker)
    app.config["WTF_CSRF_ENABLED"] = True
    own_form = _token(client.get("/nieuw/initiatief").text)
    start = client.post(f"/hulp/{mevrouw.user_id}/helpen",
                        data={"csrf_token": _token(client.get(f"/hulp/{mevrouw.user_id}").text)})
    assert start.status_code == 302
    stale = client.post("/nieuw/initiatief", data=_form(title="Mijn eigen plan",
                                                         csrf_token=own_form))
    assert stale.status_code == 400 and "verlopen" in stale.text
    assert db.session.scalar(sa.select(Listing).where(Listing.title == "Mijn eigen plan")) is None
    fresh = _token(client.get("/nieuw/initiatief").text)
    client.post("/nieuw/initiatief", data=_form(title="Haar plan", csrf_token=fresh))
    posted = db.session.scalar(sa.select(Listing).where(Listing.title == "Haar plan"))
    assert posted.owner_id == mevrouw.user_id


def test_consent_withdrawn_deletes_the_account(client, auth, wijkwerker, mevrouw):
    person_id = mevrouw.user_id
    auth.login(wijkwerker)
    client.post(f"/hulp/{person_id}/helpen")
    refused = client.post(f"/hulp/{person_id}/wissen")
    assert refused.headers["Location"] == f"/hulp/{person_id}#forget"
    assert db.session.get(User, person_id).deleted_at is None
    response = client.post(f"/hulp/{person_id}/wissen", data={"confirm": "y"})
    assert response.headers["Location"] == "/hulp"
    db.session.expunge_all()
    assert db.session.get(User, person_id).deleted_at is not None
    assert db.session.get(AssistedResident, person_id) is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.delete"))
    assert entry.actor_id == wijkwerker.id and "consent" in entry.reason
    assert client.get("/mijn-account/").status_code == 200  # no longer helping
