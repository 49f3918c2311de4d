"""The audit log: written by every moderation, role, pledge and permission change; append-only;
read per area; exported as CSV."""

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from marketplace.audit.models import AuditEntry, AuditLogIsAppendOnly
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.moderation import services as moderation


@pytest.fixture
def entry(make_user, make_listing, gemeente):
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)
    listing = make_listing()
    moderation.hide(wijkwerker, listing, "Reclame")
    db.session.commit()
    return db.session.scalar(sa.select(AuditEntry))


def test_a_moderation_decision_is_recorded_with_before_and_after(entry):
    assert entry.action == "item.hide" and entry.reason == "Reclame"
    assert entry.before["hidden"] is False and entry.after["hidden"] is True
    assert entry.subject_type == "listing" and entry.buurt_id is not None


def test_the_session_refuses_to_change_or_delete_an_entry(entry):
    entry.reason = "Toch iets anders"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    for statement in (sa.update(AuditEntry).values(reason="x"), sa.delete(AuditEntry)):
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()


def test_the_database_refuses_too(entry):
    """Even a raw statement past the session fails: the triggers of migration 0008."""
    for statement in ("UPDATE audit_entry SET reason = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
            connection.execute(sa.text(statement))
    assert db.session.get(AuditEntry, entry.id).reason == "Reclame"


def test_role_permission_and_pledge_changes_are_recorded(make_user, make_listing, gemeente):
    from marketplace.accountability.models import GemeenteRole, PledgeKind
    from marketplace.accountability.services import close_pledge, make_pledge, set_role
    from marketplace.admin.services import set_user_roles

    admin = make_user(Role.ADMIN)
    person = make_user()
    set_user_roles(admin, person, roles={Role.WIJKWERKER}, gemeente=gemeente,
                  wijken=[gemeente.wijken[0]], buurten=[], active=True)
    staff = make_user(Role.STAFF, gemeente=gemeente)
    listing = make_listing()
    set_role(staff, listing, GemeenteRole.FACILITATING, "We helpen met een vergunning en ruimte.",
             "Team Buurtzaken")
    pledge = make_pledge(staff, listing, kind=PledgeKind.BUDGET, amount=500, description="Zaden",
                         department="Groen", due_on=date.today() + timedelta(days=3))
    close_pledge(staff, pledge, listing, delivered=True, note="Overgemaakt")
    db.session.commit()
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["user.role", "gemeente.role", "pledge.make",
                                           "pledge.deliver"]
    assert entries[0].before["roles"] == []
    assert entries[0].after == {"roles": ["wijkwerker"], "gemeente": "GM9999",
                                "wijken": [gemeente.wijken[0].code], "buurten": [],
                                "active": True}
    assert entries[3].before["status"] == "pledged" and entries[3].after["status"] == "delivered"


def test_admins_read_everything_wijkwerkers_their_area(client, auth, make_user, make_listing,
                                                       gemeente, other_gemeente):
    here = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)
    there = make_user(Role.WIJKWERKER, gemeente=other_gemeente, wijken=other_gemeente.wijken)
    listing = make_listing(title="Verborgen oproep in Buurtstad")
    moderation.hide(here, listing, "Reclame voor een winkel")
    db.session.commit()
    auth.login(there)
    assert "Reclame voor een winkel" not in client.get("/logboek/").text
    assert "Reclame voor een winkel" not in client.get("/logboek/export.csv").text
    auth.logout()
    for reader in (here, make_user(Role.ADMIN)):
        auth.login(reader)
        assert "Reclame voor een winkel" in client.get("/logboek/").text
        auth.logout()


def test_csv_export(client, auth, make_user, entry):
    auth.login(make_user(Role.ADMIN))
    response = client.get("/logboek/export.csv?actie=item.hide")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:4] == ["id", "at", "actor", "action"]
    assert len(rows) == 2 and rows[1][3] == "item.hide" and rows[1][9] == "Reclame"
    rows = list(csv.reader(io.StringIO(client.get("/logboek/export.csv?actie=pledge.make").text)))
    assert len(rows) == 1


def test_changes_read_in_the_words_of_the_pages(make_user, make_listing, gemeente):
    """Not "hidden False → True" or "role – → letting_go"."""
    from marketplace.accountability.models import GemeenteRole, PledgeKind
    from marketplace.accountability.services import close_pledge, make_pledge, set_role
    from marketplace.admin.services import set_user_roles
    from marketplace.audit.queries import changes

    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)
    listing = make_listing()
    moderation.hide(wijkwerker, listing, "Reclame")
    set_user_roles(make_user(Role.ADMIN), make_user(), roles={Role.WIJKWERKER},
                   gemeente=gemeente, wijken=[gemeente.wijken[0]], buurten=[], active=True)
    staff = make_user(Role.STAFF, gemeente=gemeente)
    set_role(staff, listing, GemeenteRole.LETTING_GO, "De buurt regelt dit prima zelf, echt waar.",
             "Team Buurtzaken")
    pledge = make_pledge(staff, listing, kind=PledgeKind.BUDGET, amount=500, description="Zaden",
                         department="Groen", due_on=date(2026, 12, 1))
    close_pledge(staff, pledge, listing, delivered=True, note="Overgemaakt")
    db.session.commit()
    shown = {}
    for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)):
        shown.update({name: (before, after) for name, before, after in changes(entry, {})})
    assert shown["Verborgen"] == ("nee", "ja")
    assert shown["Rol van de gemeente"] == ("–", "Loslatend")
    assert shown["Rollen"] == ("–", "Wijkwerker")
    assert shown["Soort steun"] == ("–", "Budget (€)")
    assert shown["Status"] == ("toegezegd", "geleverd")
    assert shown["Uiterlijk"] == ("–", "1 dec 2026")


def test_odd_stored_values_are_shown_as_they_are(app):
    """The demo's removal stores rows per table (a "category" count, too); an old entry may
    hold a value no label knows. Both are shown as stored, never a server error."""
    from marketplace.audit.queries import changes

    removal = AuditEntry(action="demo.remove", subject_type="gemeente",
                         before={"category": 5, "listing": 91}, after=None)
    assert changes(removal, {}) == [("category", "5", "–"), ("listing", "91", "–")]
    renamed = AuditEntry(action="gemeente.role", subject_type="listing",
                         before={"role": "steering"}, after={"role": "facilitating"})
    [(name, before, after)] = changes(renamed, {})
    assert (before, name) == ("steering", "Rol van de gemeente") and after.startswith("Faciliterend")
