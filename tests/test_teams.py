"""Teams own the gemeente's follow-up: managed by the gemeente's admin, assigned per initiative
and pledge (audited), a desk per team and person, reminders to the responsible person and
escalation to the coordinator, figures per team. Time is injected through the CLOCK setting."""

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accountability import answers, services
from marketplace.accountability.models import PledgeKind
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.teams import services as teams
from marketplace.teams.models import Team
from tests.conftest import at


@pytest.fixture
def crew(make_user, gemeente):
    """A gemeente admin, a coordinator, two team members and a colleague outside the team."""
    people = {name: make_user(Role.STAFF, gemeente=gemeente, display_name=name)
              for name in ("Cora", "Mehmet", "Anna", "Bert")}
    people["admin"] = make_user(Role.GEMEENTE_ADMIN, gemeente=gemeente)
    return people


def _reminded(person) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == person.id, Notification.kind == NotificationKind.REMINDER)) or 0


def test_the_gemeente_admin_makes_a_team_of_its_staff(client, auth, crew, gemeente,
                                                      other_gemeente, make_user):
    outsider = make_user(Role.STAFF, gemeente=other_gemeente)
    auth.login(crew["admin"])
    url = f"/beheer/gemeenten/{gemeente.code}/teams"
    refused = client.post(url, data={"name": "Team Groen", "coordinator": outsider.id,
                                     "members": [crew["Mehmet"].id]})
    assert refused.status_code == 400
    client.post(url, data={"name": "Team Groen", "coordinator": crew["Cora"].id,
                           "members": [crew["Mehmet"].id, crew["Anna"].id]})
    team = db.session.scalar(sa.select(Team))
    assert team.coordinator == crew["Cora"] and set(team.members) == {crew["Mehmet"], crew["Anna"]}
    twin = client.post(url, data={"name": "team groen", "coordinator": 0})
    assert twin.status_code == 400 and "heeft al een team met deze naam" in twin.text
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.subject_type == "team")) == "team.save"
    auth.logout()
    auth.login(crew["Mehmet"])  # staff do not manage teams
    assert client.get(url).status_code == 403


def test_owners_get_the_reminders_and_the_coordinator_the_escalation(client, auth, travel, crew,
                                                                     gemeente, make_listing):
    team = teams.save_team(crew["admin"], gemeente, None, name="Team Groen",
                           coordinator=crew["Cora"], members=[crew["Mehmet"], crew["Anna"]])
    travel(at(2026, 11, 2))  # due 9 November
    owned = make_listing(title="Eigen plan")
    unowned = make_listing(title="Niemands plan")
    teams.assign_initiative(crew["Bert"], owned, team, crew["Mehmet"])
    db.session.commit()
    travel(at(2026, 11, 10))
    answers.send_reminders()
    db.session.commit()
    # The owned one reminds its responsible person only; the other every staff member.
    assert [_reminded(crew[name]) for name in ("Mehmet", "Anna", "Cora", "Bert")] == [2, 1, 1, 1]
    travel(at(2026, 11, 13))  # 4 working days late: not yet escalated
    answers.send_reminders()
    db.session.commit()
    assert _reminded(crew["Cora"]) == 1
    travel(at(2026, 11, 16))  # 5 working days late: the coordinator hears, once
    answers.send_reminders()
    answers.send_reminders()
    db.session.commit()
    assert _reminded(crew["Cora"]) == 2
    assert unowned.title == "Niemands plan"


def test_a_desk_per_team_and_person_and_figures_per_team(client, auth, travel, crew, gemeente,
                                                         make_listing):
    groen = teams.save_team(crew["admin"], gemeente, None, name="Team Groen",
                            coordinator=None, members=[crew["Mehmet"]])
    wijk = teams.save_team(crew["admin"], gemeente, None, name="Wijkbeheer",
                           coordinator=None, members=[crew["Anna"]])
    travel(at(2026, 11, 2))
    garden = make_listing(title="Moestuin")
    bench = make_listing(title="Bankje")
    teams.assign_initiative(crew["Mehmet"], garden, groen, crew["Mehmet"])
    teams.assign_initiative(crew["Anna"], bench, wijk, None)
    pledge = services.make_pledge(crew["Anna"], bench, kind=PledgeKind.SPACE, amount=None,
                                  description="Een plek", department="", team=wijk,
                                  due_on=date(2026, 11, 6))
    db.session.commit()
    assert pledge.department == "Wijkbeheer"
    auth.login(crew["Mehmet"])
    mine = client.get("/gemeente/balie?mijn=1").text
    assert "Moestuin" in mine and "Bankje" not in mine
    theirs = client.get(f"/gemeente/balie?team={wijk.id}").text
    assert "Bankje" in theirs and "Moestuin" not in theirs and "Een plek" in theirs
    travel(at(2026, 11, 30))
    figures = answers.figures(gemeente, date(2026, 11, 1), date(2026, 11, 30), team_id=wijk.id)
    assert figures.published == 1 and figures.pledges["open_overdue"] == 1
    public = client.get(f"/gemeente/{gemeente.code}/verantwoording?team={wijk.id}"
                        "&van=2026-11-01&tot=2026-11-30").text
    assert "Wijkbeheer" in public
    assert "Eigenaar bij de gemeente: Wijkbeheer" in client.get(f"/l/{bench.id}").text
    ledger = client.get(f"/gemeente/{gemeente.code}/wacht-op-de-gemeente").text
    assert "Bankje" in ledger and "Wijkbeheer" in ledger and "Team Groen" in ledger


def test_reassigning_is_audited_and_only_for_staff_here(client, auth, crew, gemeente,
                                                        other_gemeente, make_listing, make_user):
    groen = teams.save_team(crew["admin"], gemeente, None, name="Team Groen",
                            coordinator=None, members=[crew["Mehmet"], crew["Anna"]])
    listing = make_listing(title="Moestuin")
    db.session.commit()
    url = f"/l/{listing.id}/gemeente/eigenaar"
    for outsider in (make_user(), make_user(Role.STAFF, gemeente=other_gemeente)):
        auth.login(outsider)
        assert client.post(url, data={"team": groen.id}).status_code == 403
        auth.logout()
    auth.login(crew["Bert"])
    client.post(url, data={"team": groen.id, "responsible": crew["Bert"].id})  # not a member
    assert teams.owner_of(listing) is None
    client.post(url, data={"team": groen.id, "responsible": crew["Mehmet"].id})
    client.post(url, data={"team": groen.id, "responsible": crew["Anna"].id})
    assert teams.owner_of(listing).responsible == crew["Anna"]
    changes = [(e.before, e.after) for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "followup.assign")
        .order_by(AuditEntry.id))]
    assert changes == [
        (None, {"team": "Team Groen", "responsible_id": crew["Mehmet"].id}),
        ({"team": "Team Groen", "responsible_id": crew["Mehmet"].id},
         {"team": "Team Groen", "responsible_id": crew["Anna"].id})]
