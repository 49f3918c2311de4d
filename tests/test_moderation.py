"""Pre-moderation, flags, the wijkwerker's queue and decisions, suspensions."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.auth.models import Role
from marketplace.comments.services import post_comment
from marketplace.extensions import db
from marketplace.listings.models import ListingStatus
from marketplace.moderation import services
from marketplace.moderation.models import CaseOutcome, FlagReason, ModerationCase
from marketplace.notifications.models import ModerationEvent, Notification, NotificationKind


@pytest.fixture
def wijkwerker(make_user, gemeente):
    return make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)


@pytest.fixture
def wijkwerker_elsewhere(make_user, other_gemeente):
    return make_user(Role.WIJKWERKER, gemeente=other_gemeente, wijken=other_gemeente.wijken)


def _notifications(user, kind):
    return db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).all()


def _api_ids(client) -> set[int]:
    return {f["id"] for f in client.get("/api/v1/listings?status=open").json["features"]}


# Pre-moderation ----------------------------------------------------------------------------

def test_a_new_residents_first_listings_wait_for_a_wijkwerker(client, auth, gemeente, make_user,
                                                              make_listing, wijkwerker):
    gemeente.premoderation_count = 2
    db.session.commit()
    resident = make_user()
    first = make_listing(owner=resident, title="Eerste plan")
    assert first.status is ListingStatus.PENDING and first.published_at is None
    assert first.id not in _api_ids(client)
    assert client.get(f"/l/{first.id}").status_code == 404
    queued = _notifications(wijkwerker, NotificationKind.QUEUE)
    assert len(queued) == 1 and queued[0].mail_queued_at is None  # the daily digest, not a flood

    auth.login(resident)
    page = client.get(f"/l/{first.id}").text
    assert "Eerste plan" in page and "Wachten op goedkeuring" in page
    auth.logout()

    auth.login(wijkwerker)
    assert "Eerste plan" in client.get("/moderatie/").text
    response = client.post(f"/moderatie/aanbod/{first.id}/goedkeuren")
    assert response.status_code == 302
    db.session.refresh(first)
    assert first.status is ListingStatus.OPEN and first.published_at is not None
    assert first.id in _api_ids(client)
    assert "Eerste plan" not in client.get("/moderatie/").text
    told = _notifications(resident, NotificationKind.MODERATION)
    assert [n.event for n in told] == [ModerationEvent.APPROVED]

    second = make_listing(owner=resident)
    assert second.status is ListingStatus.PENDING
    services.approve(wijkwerker, second)
    db.session.commit()
    third = make_listing(owner=resident)
    assert third.status is ListingStatus.OPEN  # after two approved listings: post-moderation


def test_staff_and_wijkwerkers_are_not_pre_moderated(gemeente, make_user, make_listing):
    gemeente.premoderation_count = 2
    db.session.commit()
    for role in (Role.STAFF, Role.WIJKWERKER):
        person = make_user(role, gemeente=gemeente)
        assert make_listing(owner=person).status is ListingStatus.OPEN


def test_a_rejected_listing_stays_hidden_and_its_author_reads_why(client, auth, gemeente,
                                                                  make_user, make_listing,
                                                                  wijkwerker):
    gemeente.premoderation_count = 1
    db.session.commit()
    resident = make_user()
    listing = make_listing(owner=resident)
    auth.login(wijkwerker)
    response = client.post(f"/moderatie/aanbod/{listing.id}/verbergen",
                           data={"verbergen-reason": "Dit is reclame voor een winkel."})
    assert response.status_code == 302
    auth.logout()
    auth.login(resident)
    page = client.get(f"/l/{listing.id}").text
    assert "Dit is reclame voor een winkel." in page
    case = db.session.scalar(sa.select(ModerationCase))
    assert case.outcome is CaseOutcome.HIDDEN


def test_hiding_needs_a_reason_and_keeps_the_typed_form(client, auth, make_listing, wijkwerker):
    listing = make_listing()
    auth.login(wijkwerker)
    response = client.post(f"/moderatie/aanbod/{listing.id}/verbergen",
                           data={"verbergen-reason": ""})
    assert response.status_code == 400
    assert "Dit veld is vereist." in response.text
    db.session.refresh(listing)
    assert listing.hidden_at is None


# Flags -------------------------------------------------------------------------------------

def test_three_flags_hide_a_comment_until_a_wijkwerker_restores_it(client, auth, make_user,
                                                                   make_listing, wijkwerker):
    listing = make_listing()
    author = make_user()
    comment = post_comment(author, listing, "Jullie zijn allemaal gek")
    db.session.commit()
    for number in range(3):
        reporter = make_user()
        auth.login(reporter)
        response = client.post(f"/moderatie/melden/opmerking/{comment.id}",
                               data={"reason": "offensive"})
        assert response.status_code == 302
        auth.logout()
        db.session.refresh(comment)
        assert (comment.hidden_at is not None) == (number == 2)
    assert comment.hidden_by_flags
    assert "Jullie zijn allemaal gek" not in client.get(f"/l/{listing.id}").text
    assert [n.event for n in _notifications(author, NotificationKind.MODERATION)] == [
        ModerationEvent.HIDDEN_BY_FLAGS]

    auth.login(wijkwerker)
    queue = client.get("/moderatie/").text
    assert "3 meldingen" in queue and "Kwetsend of beledigend (3)" in queue
    client.post(f"/moderatie/opmerking/{comment.id}/terugzetten",
                data={"terugzetten-reason": "Scherp, maar geen belediging."})
    auth.logout()
    db.session.refresh(comment)
    assert comment.hidden_at is None
    assert "Jullie zijn allemaal gek" in client.get(f"/l/{listing.id}").text


def test_one_flag_per_person_and_never_on_your_own_words(make_user, make_listing):
    listing = make_listing()
    reporter = make_user()
    services.flag(reporter, listing, FlagReason.SPAM, None)
    with pytest.raises(services.ModerationRefused, match=r"al gemeld|already"):
        services.flag(reporter, listing, FlagReason.OFFENSIVE, None)
    with pytest.raises(services.ModerationRefused):
        services.flag(listing.owner, listing, FlagReason.SPAM, None)


def test_something_else_needs_an_explanation(client, auth, make_user, make_listing):
    listing = make_listing()
    auth.login(make_user())
    response = client.post(f"/moderatie/melden/aanbod/{listing.id}",
                           data={"reason": "other", "note": ""})
    assert response.status_code == 400
    assert "Vertel de wijkwerker wat er mis is." in response.text
    assert db.session.scalar(sa.select(sa.func.count(ModerationCase.id))) == 0


def test_the_flag_threshold_is_set_per_gemeente(gemeente, make_user, make_listing):
    gemeente.flag_threshold = 1
    db.session.commit()
    listing = make_listing()
    services.flag(make_user(), listing, FlagReason.PERSONAL_DATA, None)
    assert listing.hidden_at is not None and not listing.is_public


def test_a_private_message_can_be_reported_by_the_other_party_only(client, auth, make_user,
                                                                   make_listing):
    from marketplace.commitments.services import respond, send_message

    listing = make_listing()
    helper = make_user()
    commitment = respond(helper, listing.resources[0], 1)
    message = send_message(helper, commitment, "Geef me je bankgegevens")
    db.session.commit()
    auth.login(make_user())
    assert client.get(f"/moderatie/melden/bericht/{message.id}").status_code == 404
    auth.logout()
    auth.login(listing.owner)
    response = client.post(f"/moderatie/melden/bericht/{message.id}",
                           data={"reason": "personal_data"})
    assert response.status_code == 302


# The area ----------------------------------------------------------------------------------

def test_a_wijkwerker_of_another_area_cannot_act(client, auth, make_listing, wijkwerker_elsewhere):
    listing = make_listing()
    with pytest.raises(services.ModerationRefused):
        services.hide(wijkwerker_elsewhere, listing, "Weg ermee")
    auth.login(wijkwerker_elsewhere)
    assert client.post(f"/moderatie/aanbod/{listing.id}/verbergen",
                       data={"verbergen-reason": "Weg ermee"}).status_code == 403
    assert client.get(f"/moderatie/aanbod/{listing.id}").status_code == 403


def test_the_queue_shows_only_the_wijkwerkers_own_buurten(client, auth, make_user, make_listing,
                                                          gemeente):
    listing = make_listing(title="Melding in het centrum")
    services.flag(make_user(), listing, FlagReason.SPAM, None)
    db.session.commit()
    other_wijk = next(w for w in gemeente.wijken if w.id != listing.buurt.wijk_id)
    elsewhere = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[other_wijk])
    here = make_user(Role.WIJKWERKER, gemeente=gemeente, buurten=[listing.buurt])
    auth.login(elsewhere)
    assert "Melding in het centrum" not in client.get("/moderatie/").text
    auth.logout()
    auth.login(here)
    assert "Melding in het centrum" in client.get("/moderatie/").text


def test_escalation_reaches_the_admins(client, auth, make_user, make_listing, wijkwerker):
    admin = make_user(Role.ADMIN)
    listing = make_listing(title="Twijfelgeval")
    services.flag(make_user(), listing, FlagReason.OFF_TOPIC, None)
    db.session.commit()
    auth.login(wijkwerker)
    client.post(f"/moderatie/aanbod/{listing.id}/doorzetten",
                data={"doorzetten-reason": "Gaat over de hele stad, niet over de buurt."})
    auth.logout()
    assert [n.event for n in _notifications(admin, NotificationKind.QUEUE)] == [
        ModerationEvent.ESCALATED]
    auth.login(admin)
    assert "Twijfelgeval" in client.get("/moderatie/?doorgezet=1").text


def test_moving_a_listing_to_another_category_and_buurt(client, auth, make_listing, wijkwerker,
                                                        gemeente):
    from marketplace.audit.models import AuditEntry
    from marketplace.listings.categories import category_by_slug

    listing = make_listing(category="groen")
    target = next(b for w in gemeente.wijken for b in w.buurten if b.id != listing.buurt_id)
    new_category = category_by_slug("cultuur")
    auth.login(wijkwerker)
    response = client.post(f"/moderatie/aanbod/{listing.id}/verplaatsen", data={
        "category": new_category.id, "buurt": target.code, "reason": "Hoort bij de buurt ernaast"})
    assert response.status_code == 302
    db.session.refresh(listing)
    assert listing.buurt_id == target.id and listing.category_id == new_category.id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "listing.move"))
    assert entry.before["category"] == "groen" and entry.after["buurt"] == target.code


# Warnings and suspensions ------------------------------------------------------------------

def test_a_warning_reaches_the_resident_with_its_reason(client, auth, make_user, make_listing,
                                                        wijkwerker):
    resident = make_user()
    listing = make_listing(owner=resident)
    auth.login(wijkwerker)
    client.post(f"/moderatie/aanbod/{listing.id}/waarschuwen",
                data={"waarschuwen-reason": "Houd het vriendelijk, alsjeblieft."})
    auth.logout()
    auth.login(resident)
    page = client.get("/meldingen/").text
    assert "Houd het vriendelijk, alsjeblieft." in page


def test_a_suspended_resident_is_silent_and_hidden_until_the_period_ends(app, client, auth,
                                                                         make_user, make_listing,
                                                                         wijkwerker):
    from marketplace.commitments.services import respond

    resident = make_user()
    listing = make_listing(owner=resident, title="Buurtbarbecue")
    other = make_listing(title="Andermans plan")
    commitment = respond(resident, other.resources[0], 1)
    db.session.commit()
    auth.login(wijkwerker)
    response = client.post(f"/moderatie/aanbod/{listing.id}/schorsen",
                           data={"schorsen-days": "7", "schorsen-reason": "Herhaald schelden"})
    assert response.status_code == 302
    auth.logout()
    assert listing.id not in _api_ids(client)
    assert client.get(f"/l/{listing.id}").status_code == 404

    auth.login(resident)
    assert client.get("/nieuw/initiatief").status_code == 403
    assert client.post(f"/l/{other.id}/opmerkingen", data={"comment-body": "Hoi"}).status_code == 403
    assert client.post(f"/reacties/{commitment.id}/bericht",
                       data={"body": "Hoi"}).status_code == 403
    assert client.post(f"/l/{other.id}/reageren/{other.resources[0].id}",
                       data={"quantity": 1}).status_code == 403
    assert "Buurtbarbecue" in client.get(f"/l/{listing.id}").text  # they still see their own
    auth.logout()

    later = clock.now() + timedelta(days=8)
    app.config["CLOCK"] = lambda: later
    assert listing.id in _api_ids(client)


def test_only_residents_can_be_suspended(make_user, make_listing, wijkwerker, gemeente):
    staff = make_user(Role.STAFF, gemeente=gemeente)
    listing = make_listing(owner=staff)
    with pytest.raises(services.ModerationRefused):
        services.suspend(wijkwerker, staff, listing, 3, "Nee")


def test_bad_suspension_input_is_explained(client, auth, make_listing, wijkwerker):
    listing = make_listing()
    auth.login(wijkwerker)
    for days in ("0", "999", "abc", ""):
        response = client.post(f"/moderatie/aanbod/{listing.id}/schorsen",
                               data={"schorsen-days": days, "schorsen-reason": "Reden"})
        assert response.status_code == 400
    db.session.refresh(listing.owner)
    assert listing.owner.suspended_until is None


def test_restoring_what_nobody_hid_or_reported_is_explained(client, auth, make_listing,
                                                            wijkwerker):
    from marketplace.audit.models import AuditEntry

    listing = make_listing()
    auth.login(wijkwerker)
    response = client.post(f"/moderatie/aanbod/{listing.id}/terugzetten",
                           data={"terugzetten-reason": ""})
    assert response.status_code == 400
    assert "niemand heeft het gemeld" in response.text
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_unconfirmed_accounts_cannot_report(client, auth, make_user, make_listing):
    listing = make_listing()
    auth.login(make_user(confirmed=False))
    assert client.get(f"/moderatie/melden/aanbod/{listing.id}").status_code == 403


def test_a_suspended_co_initiator_cannot_post_news_or_change_the_listing(make_user, make_listing,
                                                                         wijkwerker, client,
                                                                         auth):
    from marketplace.following.services import post_update, updates_of

    listing = make_listing()
    partner = make_user()
    listing.co_initiators.append(partner)
    post_update(partner, listing, "Oud nieuws van de partner")
    comment = post_comment(partner, listing, "Een opmerking")
    db.session.commit()
    services.suspend(wijkwerker, partner, comment, 3, "Afkoelen")
    db.session.commit()
    auth.login(partner)
    assert client.post(f"/l/{listing.id}/voortgang", data={"body": "Nieuws"}).status_code == 403
    assert client.get(f"/l/{listing.id}/bewerken").status_code == 403
    assert client.post(f"/l/{listing.id}/opmerkingen/sluiten").status_code == 403
    assert updates_of(listing) == []  # their news is hidden too while suspended


def test_a_hidden_listing_closes_the_helpers_door_too(client, auth, make_user, make_listing,
                                                      wijkwerker):
    from marketplace.commitments.services import respond

    listing = make_listing(title="Verdwenen plan")
    helper = make_user()
    commitment = respond(helper, listing.resources[0], 1)
    db.session.commit()
    services.hide(wijkwerker, listing, "Oplichting")
    db.session.commit()
    auth.login(helper)
    assert "Verdwenen plan" not in client.get("/mijn-pagina").text
    assert client.get(f"/reacties/{commitment.id}").status_code == 403
    assert client.post(f"/reacties/{commitment.id}/bericht",
                       data={"body": "Hallo?"}).status_code == 403


def test_moving_takes_the_case_along_and_stays_in_the_moderators_area(make_user, make_listing,
                                                                     gemeente):
    from marketplace.listings.categories import category_by_slug

    listing = make_listing()
    services.flag(make_user(), listing, FlagReason.OFF_TOPIC, None)
    here = make_user(Role.WIJKWERKER, gemeente=gemeente, buurten=[listing.buurt])
    elsewhere = next(b for w in gemeente.wijken for b in w.buurten if b.id != listing.buurt_id)
    # A buurt with a wijkwerker of its own (one without falls to the gemeente's wijkwerkers).
    make_user(Role.WIJKWERKER, gemeente=gemeente, buurten=[elsewhere])
    with pytest.raises(services.ModerationRefused, match="buurt"):
        services.recategorise(here, listing, listing.category, elsewhere, None)
    admin = make_user(Role.ADMIN)
    services.recategorise(admin, listing, category_by_slug("groen"), elsewhere, None)
    case = db.session.scalar(sa.select(ModerationCase))
    assert case.buurt_id == elsewhere.id and case.closed_at is None


def test_private_messages_are_moderated_only_after_a_report(make_user, make_listing, wijkwerker):
    from marketplace.commitments.services import respond, send_message

    listing = make_listing()
    commitment = respond(make_user(), listing.resources[0], 1)
    message = send_message(commitment.helper, commitment, "Gewoon een bericht")
    with pytest.raises(services.ModerationRefused):
        services.hide(wijkwerker, message, "Nieuwsgierig")


def test_only_listings_wait_for_approval(client, auth, make_user, make_listing, wijkwerker):
    comment = post_comment(make_user(), make_listing(), "Hallo")
    db.session.commit()
    auth.login(wijkwerker)
    response = client.post(f"/moderatie/opmerking/{comment.id}/goedkeuren")
    assert response.status_code == 302
    assert "wacht niet op goedkeuring" in client.get(response.headers["Location"]).text


def test_a_rejected_listing_goes_back_to_the_queue_when_changed(gemeente, make_user, make_listing,
                                                                wijkwerker):
    from marketplace.listings.services import ListingData, ResourceData, update_listing

    gemeente.premoderation_count = 1
    db.session.commit()
    listing = make_listing()
    services.hide(wijkwerker, listing, "Te weinig uitleg")
    db.session.commit()
    update_listing(listing, ListingData(
        title=listing.title, description="Nu met veel meer uitleg over het plan.",
        category=listing.category, lat=listing.lat, lon=listing.lon,
        is_public_space=False,
        resources=[ResourceData(r.kind, r.description, r.quantity, r.unit, id=r.id)
                   for r in listing.resources]))
    open_cases = db.session.scalars(sa.select(ModerationCase).where(
        ModerationCase.closed_at.is_(None))).all()
    assert len(open_cases) == 1
    services.approve(wijkwerker, listing)
    assert listing.is_public


def test_a_suspension_is_not_quietly_shortened(make_user, make_listing, wijkwerker):
    listing = make_listing()
    services.suspend(wijkwerker, listing.owner, listing, 30, "Herhaald schelden")
    with pytest.raises(services.ModerationRefused):
        services.suspend(wijkwerker, listing.owner, listing, 1, "Toch korter")
    services.lift_suspension(wijkwerker, listing.owner, listing)
    services.suspend(wijkwerker, listing.owner, listing, 1, "Korter, na overleg")
    assert listing.owner.suspended_until < clock.now() + timedelta(days=2)


def test_the_menu_counts_what_waits_in_the_wijkwerkers_area(client, auth, make_user, make_listing,
                                                            wijkwerker, wijkwerker_elsewhere):
    services.flag(make_user(), make_listing(), FlagReason.SPAM, None)
    services.flag(make_user(), make_listing(), FlagReason.SPAM, None)
    db.session.commit()
    auth.login(wijkwerker)
    assert '<span class="count">2<span class="visually-hidden"> wachtend' in client.get("/").text
    auth.logout()
    auth.login(wijkwerker_elsewhere)
    assert "wachtend" not in client.get("/").text


def test_a_decision_names_the_role_of_who_decided(make_listing, make_user, wijkwerker, gemeente):
    """Not "a wijkwerker" when the gemeente's admin or an admin of Buurtmarkt decided."""
    from marketplace.notifications.texts import SUBJECTS, describe

    owner = make_user()
    deciders = [wijkwerker, make_user(Role.GEMEENTE_ADMIN, gemeente=gemeente),
                make_user(Role.ADMIN)]
    for index, decider in enumerate(deciders):
        services.hide(decider, make_listing(owner=owner, title=f"Plan {index}"), "Dubbel")
        db.session.commit()
    texts = {describe(n, "nl") for n in _notifications(owner, NotificationKind.MODERATION)}
    assert texts == {
        "De wijkwerker heeft je bijdrage bij “Plan 0” verborgen. Reden: Dubbel",
        "De gemeentebeheerder heeft je bijdrage bij “Plan 1” verborgen. Reden: Dubbel",
        "De beheerder van Buurtmarkt heeft je bijdrage bij “Plan 2” verborgen. Reden: Dubbel"}
    assert "wijkwerker" not in str(SUBJECTS[NotificationKind.MODERATION])


def test_people_who_report_hear_what_was_decided(make_user, make_listing, wijkwerker):
    from marketplace.moderation.services import flag, hide, restore
    from marketplace.notifications.services import notifications_of
    from marketplace.notifications.texts import describe

    listing = make_listing(title="Fietsen te koop")
    kept = make_listing(title="Buurtfeest")
    reporters = [make_user(), make_user()]
    for reporter in reporters:
        flag(reporter, listing, FlagReason.SPAM, None)
        flag(reporter, kept, FlagReason.SPAM, None)
    db.session.commit()
    hide(wijkwerker, listing, "Handel hoort hier niet")
    restore(wijkwerker, kept, None)
    db.session.commit()
    for reporter in reporters:
        told = [describe(n, "nl") for n in db.session.scalars(notifications_of(reporter))]
        assert "Dank je wel voor je melding over “Fietsen te koop”: de wijkwerker heeft het " \
               "verborgen." in told
        assert "De wijkwerker heeft je melding over “Buurtfeest” bekeken en het laten staan." \
               in told
