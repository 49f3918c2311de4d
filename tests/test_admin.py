"""Admin pages: roles and areas of users, gemeenten and the buurten import."""


import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.extensions import db


def test_admin_lists_and_filters_users(client, auth, make_user):
    admin = make_user(Role.ADMIN, display_name="Beheerder")
    make_user(display_name="Karin Jansen", email="karin@example.org")
    make_user(display_name="Piet", email="piet@example.org")
    auth.login(admin)
    page = client.get("/beheer/gebruikers?q=karin")
    assert "Karin Jansen" in page.text and "Piet" not in page.text
    page = client.get("/beheer/gebruikers?role=admin")
    assert "Beheerder" in page.text and "Karin" not in page.text
    assert client.get("/beheer/gebruikers?role=keizer").status_code == 200


def test_admin_makes_a_wijkwerker_with_areas(client, auth, make_user, gemeente):
    admin, resident = make_user(Role.ADMIN), make_user()
    auth.login(admin)
    oost = gemeente.wijken[1]
    buurt = gemeente.wijken[2].buurten[0]
    response = client.post(f"/beheer/gebruikers/{resident.id}", data={
        "roles": "wijkwerker", "gemeente": gemeente.code, "wijken": [oost.id],
        "add_buurt": buurt.code, "active": "y"})
    assert response.status_code == 302
    db.session.refresh(resident)
    assert resident.roles == {Role.WIJKWERKER}
    assert resident.gemeente_id == gemeente.id
    assert resident.wijken == [oost] and resident.buurten == [buurt]


def test_wijkwerker_needs_an_area_in_their_gemeente(client, auth, make_user, gemeente,
                                                     other_gemeente):
    admin, resident = make_user(Role.ADMIN), make_user()
    auth.login(admin)
    response = client.post(f"/beheer/gebruikers/{resident.id}", data={
        "roles": "wijkwerker", "gemeente": gemeente.code, "active": "y"})
    assert "Kies minstens één wijk of buurt" in response.text
    foreign = other_gemeente.wijken[0]
    response = client.post(f"/beheer/gebruikers/{resident.id}", data={
        "roles": "wijkwerker", "gemeente": gemeente.code, "wijken": [foreign.id], "active": "y"})
    assert response.status_code == 400  # not a choice for this gemeente
    response = client.post(f"/beheer/gebruikers/{resident.id}", data={
        "roles": "wijkwerker", "gemeente": gemeente.code,
        "add_buurt": other_gemeente.wijken[0].buurten[0].code, "active": "y"})
    assert response.status_code == 400  # nor is another gemeente's buurt
    db.session.refresh(resident)
    assert not resident.roles


def test_staff_needs_a_gemeente(client, auth, make_user, gemeente):
    admin, resident = make_user(Role.ADMIN), make_user()
    auth.login(admin)
    response = client.post(f"/beheer/gebruikers/{resident.id}",
                           data={"roles": "staff", "gemeente": "", "active": "y"})
    assert "Kies de gemeente" in response.text
    response = client.post(f"/beheer/gebruikers/{resident.id}",
                           data={"roles": "staff", "gemeente": gemeente.code, "active": "y"})
    assert response.status_code == 302
    db.session.refresh(resident)
    assert resident.roles == {Role.STAFF} and resident.gemeente == gemeente


def test_admin_cannot_demote_or_block_self(client, auth, make_user):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.post(f"/beheer/gebruikers/{admin.id}",
                           data={"gemeente": "", "active": "y"})
    assert "je eigen beheerdersrol" in response.text
    db.session.refresh(admin)
    assert admin.is_admin


def test_blocking_logs_the_person_out(client, auth, make_user, app):
    admin, resident = make_user(Role.ADMIN), make_user()
    other = app.test_client()
    other.post("/inloggen", data={"email": resident.email,
                                  "password": "een-lange-zin-als-wachtwoord"})
    assert other.get("/mijn-account/").status_code == 200
    auth.login(admin)
    client.post(f"/beheer/gebruikers/{resident.id}",
                data={"gemeente": ""})  # active unticked
    assert other.get("/mijn-account/").status_code == 302


def test_admin_adds_renames_and_retires_a_category(client, auth, make_user, make_listing):
    from marketplace.listings.models import Category

    auth.login(make_user(Role.ADMIN))
    response = client.post("/beheer/categorieen", data={
        "name_nl": "Kunst", "name_en": "Art", "slug": "kunst", "position": "10", "active": "y"})
    assert response.status_code == 302
    kunst = db.session.scalar(sa.select(Category).where(Category.slug == "kunst"))
    assert kunst.name_en == "Art" and kunst.active
    response = client.post(f"/beheer/categorieen/{kunst.id}", data={
        "name_nl": "Kunst en cultuur", "name_en": "Art", "slug": "kunst", "position": "10"})
    assert response.status_code == 302
    db.session.refresh(kunst)
    assert kunst.name_nl == "Kunst en cultuur" and not kunst.active
    # A retired category is no longer offered on the posting form.
    client.get("/beheer/categorieen")  # shows the flash message
    assert "Kunst en cultuur" not in client.get("/nieuw/initiatief").text


def test_category_slug_must_be_unique_and_well_formed(client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    response = client.post("/beheer/categorieen", data={
        "name_nl": "Groen 2", "name_en": "Green 2", "slug": "groen", "position": "1"})
    assert "gebruikt al" in response.text
    response = client.post("/beheer/categorieen", data={
        "name_nl": "X", "name_en": "X", "slug": "Met Spaties", "position": "1"})
    assert "kleine letters" in response.text


def test_admin_sets_the_gemeente_settings_and_the_audit_log_keeps_them(client, auth, make_user,
                                                                       gemeente):
    from marketplace.audit.models import AuditEntry

    admin = make_user(Role.ADMIN)
    auth.login(admin)
    settings = {"answer_target_days": "3", "premoderation_count": "1", "flag_threshold": "4",
                "nudge_after_days": "30", "nudge_unanswered_after_days": "14",
                "need_due_warning_days": "10"}
    client.post("/beheer/gemeenten/GM9999", data=settings)
    db.session.refresh(gemeente)
    assert (gemeente.answer_target_days, gemeente.premoderation_count,
            gemeente.flag_threshold) == (3, 1, 4)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "gemeente.settings"))
    assert entry.actor_id == admin.id
    assert entry.before == {"answer_target_days": 5, "premoderation_count": 0, "flag_threshold": 3,
                            "nudge_after_days": 42, "nudge_unanswered_after_days": 21,
                            "need_due_warning_days": 7}
    assert entry.after == {"answer_target_days": 3, "premoderation_count": 1, "flag_threshold": 4,
                           "nudge_after_days": 30, "nudge_unanswered_after_days": 14,
                           "need_due_warning_days": 10}
    response = client.post("/beheer/gemeenten/GM9999", data={**settings, "answer_target_days": "0"})
    assert response.status_code == 200 and gemeente.answer_target_days == 3
