"""Each gemeente runs its own part: its admin (functioneel beheerder) appoints and changes the
gemeente's staff and wijkwerkers, their areas and the gemeente's settings, and nothing of another
gemeente; admins of the installation appoint gemeente admins. A person may hold several roles,
each checked by the policy."""

import re

import pytest
import sqlalchemy as sa

from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role, RoleGrant, User
from marketplace.auth.queries import ReviewerKind, reviewers_for
from marketplace.extensions import db
from marketplace.listings.models import ListingStatus
from marketplace.policy import can
from tests.live_gunicorn import fire_together, logged_in


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def beheerder(make_user, gemeente):
    return make_user(Role.GEMEENTE_ADMIN, gemeente=gemeente, display_name="Gijs")


def test_gemeente_admin_appoints_a_resident_as_wijkwerker_and_staff(client, auth, beheerder,
                                                                    make_user, gemeente):
    resident = make_user(email="fatima@example.org", display_name="Fatima")
    auth.login(beheerder)
    oost = gemeente.wijken[1]
    response = client.post(f"/beheer/gemeenten/{gemeente.code}/aanstellen", data={
        "email": " Fatima@Example.org ", "roles": ["wijkwerker", "staff"], "wijken": [oost.id]})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/beheer/gebruikers/{resident.id}"
    person = _fresh(resident)
    assert person.roles == {Role.WIJKWERKER, Role.STAFF}
    assert person.gemeente_id == gemeente.id and person.wijken == [oost]
    # Each role is checked on its own: the desk for staff, the queue for the wijkwerker.
    assert can(person, "gemeente.desk") and can(person, "gemeente.act_for", gemeente)
    assert can(person, "moderation.queue") and can(person, "buurt.moderate", oost.buurten[0])
    assert not can(person, "admin.manage") and not can(person, "gemeente.manage", gemeente)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert entry.actor_id == beheerder.id and entry.gemeente_id == gemeente.id
    assert entry.before["roles"] == [] and entry.after["roles"] == ["staff", "wijkwerker"]
    # The new colleague shows on the gemeente's page and in its list of people.
    assert "Fatima" in client.get(f"/beheer/gemeenten/{gemeente.code}").text
    assert "Fatima" in client.get("/beheer/gebruikers").text


def test_appointing_says_clearly_what_is_wrong_and_changes_nothing(client, auth, beheerder,
                                                                    make_user, gemeente,
                                                                    other_gemeente):
    elsewhere = make_user(Role.STAFF, gemeente=other_gemeente, email="ander@example.org")
    auth.login(beheerder)
    url = f"/beheer/gemeenten/{gemeente.code}/aanstellen"
    # Unknown and unconfirmed addresses get the same answer: the form tells nobody who has an
    # account, and nobody gets a role with an address they did not prove is theirs.
    make_user(email="onbevestigd@example.org", confirmed=False)
    answers = set()
    for email in ("onbekend@example.org", "onbevestigd@example.org"):
        response = client.post(url, data={"email": email, "roles": ["staff"]})
        assert response.status_code == 400
        answers.add(re.search(r'id="email-error"[^>]*>([^<]+)<', response.text).group(1))
    assert len(answers) == 1 and "bevestigd" in answers.pop()
    response = client.post(url, data={"email": "ander@example.org", "roles": ["staff"]})
    assert response.status_code == 400
    assert "werkt voor een andere gemeente" in response.text
    assert other_gemeente.name not in response.text
    assert _fresh(elsewhere).gemeente_id == other_gemeente.id
    resident = make_user(email="nog@example.org")
    response = client.post(url, data={"email": "nog@example.org", "roles": ["wijkwerker"]})
    assert "Kies minstens één wijk of buurt" in response.text
    # Roles a gemeente admin may not give are not on offer, and a forged one is refused.
    assert 'value="gemeente_admin"' not in client.get(url).text
    for role in ("gemeente_admin", "admin"):
        response = client.post(url, data={"email": "nog@example.org", "roles": [role]})
        assert response.status_code == 400
    assert not _fresh(resident).roles
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_gemeente_admin_sees_and_changes_only_their_own_people(client, auth, beheerder, make_user,
                                                               gemeente, other_gemeente):
    staff = make_user(Role.STAFF, gemeente=gemeente, display_name="Sanne")
    make_user(Role.STAFF, gemeente=other_gemeente, display_name="Olaf")
    make_user(display_name="Rik")  # a resident: not for a gemeente admin to browse
    auth.login(beheerder)
    page = client.get("/beheer/gebruikers").text
    assert "Sanne" in page and "Olaf" not in page and "Rik" not in page
    # The form offers wijkwerker and staff only; the gemeente and blocking are not theirs.
    page = client.get(f"/beheer/gebruikers/{staff.id}").text
    assert 'value="wijkwerker"' in page and 'value="gemeente_admin"' not in page
    assert 'name="gemeente"' not in page and 'name="active"' not in page
    response = client.post(f"/beheer/gebruikers/{staff.id}", data={
        "roles": ["staff", "wijkwerker"], "wijken": [gemeente.wijken[0].id]})
    assert response.status_code == 302
    assert _fresh(staff).roles == {Role.STAFF, Role.WIJKWERKER}
    # Taking away the last role: the person is a resident again and leaves the gemeente's list.
    response = client.post(f"/beheer/gebruikers/{staff.id}", data={"csrf_token": ""})
    assert response.status_code == 302 and response.headers["Location"] == "/beheer/gebruikers"
    person = _fresh(staff)
    assert not person.roles and person.gemeente_id is None and person.wijken == []
    assert client.get(f"/beheer/gebruikers/{staff.id}").status_code == 403


def test_gemeente_admin_changes_their_settings_not_anothers(client, auth, beheerder, gemeente,
                                                            other_gemeente):
    auth.login(beheerder)
    assert client.get("/beheer/").headers["Location"] == f"/beheer/gemeenten/{gemeente.code}"
    settings = {"answer_target_days": "7", "premoderation_count": "2", "flag_threshold": "4",
                "nudge_after_days": "42", "nudge_unanswered_after_days": "21",
                "need_due_warning_days": "7"}
    response = client.post(f"/beheer/gemeenten/{gemeente.code}", data=settings)
    assert response.status_code == 302
    db.session.refresh(gemeente)
    assert gemeente.answer_target_days == 7
    assert client.post(f"/beheer/gemeenten/{other_gemeente.code}",
                       data=settings).status_code == 403
    db.session.refresh(other_gemeente)
    assert other_gemeente.answer_target_days != 7
    # The admin link leads to their gemeente; the installation's pages stay closed.
    page = client.get(f"/beheer/gemeenten/{gemeente.code}").text
    assert 'href="/beheer/import"' not in page and 'href="/beheer/gemeenten"' not in page


def test_admin_appoints_a_gemeente_admin_and_the_audit_log_shows_it_to_them(
        client, auth, make_user, gemeente):
    admin, person = make_user(Role.ADMIN), make_user(display_name="Gijs")
    auth.login(admin)
    response = client.post(f"/beheer/gebruikers/{person.id}", data={
        "roles": ["gemeente_admin", "staff"], "gemeente": gemeente.code, "active": "y"})
    assert response.status_code == 302
    assert _fresh(person).roles == {Role.GEMEENTE_ADMIN, Role.STAFF}
    auth.logout()
    auth.login(person)
    log = client.get("/logboek/").text
    assert "Gijs" in log and "rol" in log.lower()


def test_gemeente_admin_cannot_touch_admin_roles_even_by_forging_the_form(app, beheerder,
                                                                         make_user, gemeente):
    from marketplace.admin.services import RoleChangeRefused, set_user_roles

    colleague = make_user(Role.STAFF, gemeente=gemeente)
    with pytest.raises(RoleChangeRefused):
        set_user_roles(beheerder, colleague, roles={Role.STAFF, Role.GEMEENTE_ADMIN},
                       gemeente=gemeente, wijken=[], buurten=[], active=True)
    db.session.rollback()
    with pytest.raises(RoleChangeRefused):
        set_user_roles(beheerder, colleague, roles={Role.STAFF}, gemeente=gemeente, wijken=[],
                       buurten=[], active=False)
    db.session.rollback()
    assert _fresh(colleague).roles == {Role.STAFF} and colleague.active


def test_a_gemeente_without_wijkwerker_sends_first_listings_to_its_admins(
        client, auth, beheerder, make_user, make_listing, gemeente):
    gemeente.premoderation_count = 1
    db.session.commit()
    make_user(Role.ADMIN)
    resident = make_user()
    listing = make_listing(owner=resident, title="Eerste plan")
    assert listing.status is ListingStatus.PENDING
    reviewers = reviewers_for(listing.buurt)
    assert reviewers.kind is ReviewerKind.GEMEENTE_ADMINS and reviewers.people == [beheerder]
    auth.login(resident)
    page = client.get(f"/l/{listing.id}").text
    assert "Gijs" in page and "beheerders" in page
    auth.logout()
    auth.login(beheerder)
    assert "Eerste plan" in client.get("/moderatie/").text
    response = client.post(f"/moderatie/aanbod/{listing.id}/goedkeuren")
    assert response.status_code == 302
    db.session.expire_all()
    assert listing.status is ListingStatus.OPEN


def test_two_gemeenten_appointing_one_person_at_once_get_one_clear_answer(
        server, make_user, gemeente, other_gemeente):
    person = make_user(email="gewild@example.org")
    tries = []
    for place in (gemeente, other_gemeente):
        admin = make_user(Role.GEMEENTE_ADMIN, gemeente=place)
        path = f"/beheer/gemeenten/{place.code}/aanstellen"
        tries.append((*logged_in(server, admin, path), path))
    results = fire_together([
        (lambda b=browser, t=token, p=path: b.post(p, {
            "csrf_token": t, "email": "gewild@example.org", "roles": "staff"}))
        for browser, token, path in tries])
    assert sorted(status for status, _ in results) == [302, 400], results
    db.session.expire_all()
    grants = db.session.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == person.id)).all()
    assert [grant.role for grant in grants] == [Role.STAFF]
    assert db.session.get(User, person.id).gemeente_id in (gemeente.id, other_gemeente.id)
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 1


def test_a_person_may_hold_both_roles_and_each_is_checked(client, auth, make_user, make_listing,
                                                          gemeente, other_gemeente):
    both = make_user(roles=(Role.WIJKWERKER, Role.STAFF), gemeente=gemeente,
                     wijken=gemeente.wijken)
    listing = make_listing()
    assert can(both, "gemeente.act_for", gemeente)
    assert not can(both, "gemeente.act_for", other_gemeente)
    assert can(both, "buurt.moderate", listing.buurt)
    auth.login(both)
    nav = client.get("/").text
    assert re.search(r'href="/gemeente/balie"', nav) and re.search(r'href="/moderatie/"', nav)
    assert 'href="/beheer/"' not in nav


def test_no_role_for_a_suspended_person(client, auth, beheerder, make_user, gemeente):
    from datetime import timedelta

    from marketplace import clock

    make_user(email="geschorst@example.org", suspended_until=clock.now() + timedelta(days=3))
    auth.login(beheerder)
    response = client.post(f"/beheer/gemeenten/{gemeente.code}/aanstellen", data={
        "email": "geschorst@example.org", "roles": ["staff"]})
    assert response.status_code == 400 and "geschorst" in response.text


def test_an_admin_of_buurtmarkt_working_for_the_gemeente_is_not_its_admins_to_manage(
        client, auth, beheerder, make_user, gemeente):
    admin = make_user(roles=(Role.ADMIN, Role.STAFF), gemeente=gemeente, display_name="Bea")
    assert not can(beheerder, "user.manage", admin)
    auth.login(beheerder)
    page = client.get("/beheer/gebruikers").text
    assert "Bea" in page and f'href="/beheer/gebruikers/{admin.id}"' not in page
    assert client.get(f"/beheer/gebruikers/{admin.id}").status_code == 403


def test_what_a_wijkwerker_hands_on_goes_to_the_gemeentes_admins_once(
        app, beheerder, make_user, make_listing, gemeente):
    from marketplace.moderation import services as moderation
    from marketplace.moderation.models import FlagReason
    from marketplace.moderation.services import ModerationRefused
    from marketplace.notifications.models import ModerationEvent, Notification

    installation_admin = make_user(Role.ADMIN)
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)
    listing = make_listing(title="Twijfelgeval")
    moderation.flag(make_user(), listing, FlagReason.SPAM, None)
    moderation.escalate(wijkwerker, listing, "Weet ik niet zeker")
    db.session.commit()
    with pytest.raises(ModerationRefused):
        moderation.escalate(wijkwerker, listing, "Nog een keer")
    db.session.rollback()
    told = db.session.scalars(sa.select(Notification.user_id).where(
        Notification.event == ModerationEvent.ESCALATED)).all()
    assert told == [beheerder.id] and installation_admin.id not in told


def test_the_gemeente_page_asks_the_same_number_of_queries_however_many_work_there(
        client, auth, beheerder, make_user, gemeente):
    from sqlalchemy import event

    def queries() -> int:
        executed = []

        def count(*_args):
            executed.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/beheer/gemeenten/{gemeente.code}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(executed)

    auth.login(beheerder)
    make_user(Role.STAFF, gemeente=gemeente)
    few = queries()
    for _ in range(15):
        make_user(Role.STAFF, gemeente=gemeente)
    assert queries() == few
