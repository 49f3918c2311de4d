"""The gemeente's role on an initiative and its pledges: staff of that gemeente only, in public."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accountability import services
from marketplace.accountability.models import GemeenteRole, PledgeKind, PledgeStatus
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.following.services import follow
from marketplace.listings.models import ListingKind
from marketplace.notifications.models import Notification, NotificationKind

EXPLANATION = "We helpen met een vergunning en denken mee over de inrichting."
NEXT_WEEK = date.today() + timedelta(days=7)


@pytest.fixture
def staff(make_user, gemeente):
    return make_user(Role.STAFF, gemeente=gemeente, display_name="Mehmet")


@pytest.fixture
def initiative(make_listing, make_user):
    return make_listing(owner=make_user(display_name="Ilse"), title="Moestuin")


def test_role_is_public_with_history_and_people_are_told(staff, initiative, make_user):
    fan = make_user()
    follow(fan, initiative)
    services.set_role(staff, initiative, GemeenteRole.PARTICIPATING, EXPLANATION, "Team Groen")
    db.session.commit()  # two decisions, two requests: each is news
    services.set_role(staff, initiative, GemeenteRole.FACILITATING, EXPLANATION, "Team Groen")
    assert services.current_role(initiative).role is GemeenteRole.FACILITATING
    assert [d.role for d in services.role_history(initiative)] == [
        GemeenteRole.PARTICIPATING, GemeenteRole.FACILITATING]
    told = db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == NotificationKind.GEMEENTE)).all()
    assert sorted(told) == sorted([initiative.owner_id, fan.id] * 2)


@pytest.mark.parametrize(("explanation", "contact", "message"), [
    ("Te kort", "Team Groen", "minstens 20"), (EXPLANATION, " ", "contactpersoon"),
])
def test_letting_go_is_explained_never_silent(staff, initiative, explanation, contact, message):
    with pytest.raises(services.AccountabilityRefused, match=message):
        services.set_role(staff, initiative, GemeenteRole.LETTING_GO, explanation, contact)


def test_only_staff_of_the_initiatives_gemeente(initiative, make_user, gemeente, other_gemeente):
    for person in (make_user(), make_user(Role.WIJKWERKER, gemeente=gemeente,
                                          wijken=gemeente.wijken),
                   make_user(Role.STAFF, gemeente=other_gemeente), make_user(Role.ADMIN)):
        with pytest.raises(services.AccountabilityRefused):
            services.set_role(person, initiative, GemeenteRole.FACILITATING, EXPLANATION, "x")
        with pytest.raises(services.AccountabilityRefused):
            services.make_pledge(person, initiative, kind=PledgeKind.BUDGET, amount=500,
                                 description="Zaden", department="Groen", due_on=NEXT_WEEK)


def test_offers_get_no_gemeente_role(staff, make_listing):
    offer = make_listing(ListingKind.OFFER)
    with pytest.raises(services.AccountabilityRefused, match="alleen"):
        services.set_role(staff, offer, GemeenteRole.FACILITATING, EXPLANATION, "x")


def test_pledges_delivered_withdrawn_and_totals(staff, initiative):
    budget = services.make_pledge(staff, initiative, kind=PledgeKind.BUDGET, amount=500,
                                  description="Zaden en compost", department="Groen",
                                  due_on=NEXT_WEEK)
    hours = services.make_pledge(staff, initiative, kind=PledgeKind.STAFF_HOURS, amount=10,
                                 description="Hulp van de wijkploeg", department="Wijkbeheer",
                                 due_on=NEXT_WEEK)
    permit = services.make_pledge(staff, initiative, kind=PledgeKind.PERMIT_HELP, amount=None,
                                  description="Vergunning straatfeest", department="Vergunningen",
                                  due_on=NEXT_WEEK)
    assert services.pledge_totals([budget, hours, permit]) == {
        PledgeKind.BUDGET: 500, PledgeKind.STAFF_HOURS: 10}
    services.close_pledge(staff, budget, initiative, delivered=True, note="Overgemaakt")
    with pytest.raises(services.AccountabilityRefused, match="reden"):
        services.close_pledge(staff, hours, initiative, delivered=False, note="")
    services.close_pledge(staff, hours, initiative, delivered=False, note="Ploeg ziek")
    assert (budget.status, hours.status) == (PledgeStatus.DELIVERED, PledgeStatus.WITHDRAWN)
    assert services.pledge_totals([budget, hours, permit]) == {PledgeKind.BUDGET: 500}
    with pytest.raises(services.AccountabilityRefused, match="al afgesloten"):
        services.close_pledge(staff, budget, initiative, delivered=True, note="nog eens")


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": PledgeKind.BUDGET, "amount": None}, "bedrag"),
    ({"amount": -5}, "meer dan 0"),
    ({"due_on": date.today() - timedelta(days=1)}, "verleden"),
])
def test_bad_pledges_are_refused(staff, initiative, changes, message):
    values = {"kind": PledgeKind.STAFF_HOURS, "amount": 4, "description": "Hulp",
              "department": "Wijkbeheer", "due_on": NEXT_WEEK, **changes}
    with pytest.raises(services.AccountabilityRefused, match=message):
        services.make_pledge(staff, initiative, **values)


def test_overdue_pledge_is_marked(staff, initiative, app):
    pledge = services.make_pledge(staff, initiative, kind=PledgeKind.BUDGET, amount=500,
                                  description="Zaden", department="Groen", due_on=NEXT_WEEK)
    assert not pledge.is_overdue(NEXT_WEEK)
    assert pledge.is_overdue(NEXT_WEEK + timedelta(days=1))


def test_staff_sets_role_and_pledges_through_the_page(client, auth, staff, initiative):
    auth.login(staff)
    page = client.get(f"/l/{initiative.id}")
    assert "Voor medewerkers van de gemeente" in page.text
    client.post(f"/l/{initiative.id}/gemeente/rol", data={
        "role": "facilitating", "explanation": EXPLANATION, "contact": "Team Groen"})
    client.post(f"/l/{initiative.id}/gemeente/toezeggingen", data={
        "kind": "budget", "amount": "500", "description": "Zaden", "department": "Groen",
        "due_on": NEXT_WEEK.isoformat()})
    auth.logout()
    page = client.get(f"/l/{initiative.id}").text
    assert "De gemeente faciliteert dit initiatief sinds" in page
    assert "Team Groen" in page and "€ 500" in page
    assert "Voor medewerkers van de gemeente" not in page
    body = client.get(f"/api/v1/listings/{initiative.id}").json
    assert body["gemeente_role"]["role"] == "facilitating"
    assert body["pledges"][0]["amount"] == 500 and body["pledges"][0]["status"] == "pledged"


def test_bad_form_input_is_explained(client, auth, staff, initiative):
    auth.login(staff)
    response = client.post(f"/l/{initiative.id}/gemeente/toezeggingen", data={
        "kind": "budget", "amount": "veel", "description": "", "department": "Groen",
        "due_on": "gisteren"}, follow_redirects=True)
    assert response.status_code == 200 and "Ongeldig getal" in response.text
    assert services.pledges_of(initiative) == []


def test_others_cannot_use_the_staff_routes(client, auth, initiative, make_user, other_gemeente):
    auth.login(make_user(Role.STAFF, gemeente=other_gemeente))
    assert client.post(f"/l/{initiative.id}/gemeente/rol", data={
        "role": "facilitating", "explanation": EXPLANATION, "contact": "x"}).status_code == 403
    assert services.current_role(initiative) is None


def _delivered(staff, initiative):
    pledge = services.make_pledge(staff, initiative, kind=PledgeKind.MATERIALS, amount=None,
                                  description="Tien plantenbakken", department="Groen",
                                  due_on=NEXT_WEEK)
    services.close_pledge(staff, pledge, initiative, delivered=True, note="Bezorgd")
    db.session.commit()
    return pledge


def test_klopt_het_the_initiator_confirms_or_contests_a_delivery(client, auth, staff,
                                                                 initiative, make_user):
    from marketplace.accountability import answers

    pledge = _delivered(staff, initiative)
    page = client.get(f"/l/{initiative.id}").text
    assert "Wacht op bevestiging van de initiatiefnemer." in page
    auth.login(initiative.owner)
    assert "Klopt het? Heb je het gekregen?" in client.get(f"/l/{initiative.id}").text
    refused = client.post(f"/toezeggingen/{pledge.id}/contest", data={"note": ""})
    assert refused.status_code == 302
    db.session.refresh(pledge)
    assert pledge.status is PledgeStatus.DELIVERED
    client.post(f"/toezeggingen/{pledge.id}/contest", data={"note": "Er kwamen er maar vier"})
    db.session.refresh(pledge)
    assert pledge.status is PledgeStatus.CONTESTED
    assert pledge.contest_note == "Er kwamen er maar vier"
    assert db.session.scalar(sa.select(Notification.user_id).where(
        Notification.kind == NotificationKind.PLEDGE,
        Notification.actor_id == initiative.owner_id)) == staff.id
    auth.logout()
    assert "Er kwamen er maar vier" in client.get(f"/l/{initiative.id}").text  # in public
    assert pledge in answers.pledges_needing_attention(initiative.gemeente)  # on the desk
    figures = answers.figures(initiative.gemeente, date.today() - timedelta(days=1), date.today())
    assert figures.pledges["contested"] == 1
    # The gemeente delivers again; the initiator is asked again and confirms.
    services.close_pledge(staff, pledge, initiative, delivered=True, note="Nog zes gebracht")
    db.session.commit()
    auth.login(initiative.owner)
    client.post(f"/toezeggingen/{pledge.id}/confirm")
    db.session.refresh(pledge)
    assert pledge.status is PledgeStatus.DELIVERED and pledge.confirmed_by_id == initiative.owner_id
    again = client.post(f"/toezeggingen/{pledge.id}/confirm")  # a double tap: one answer
    assert again.status_code == 302
    assert "bevestigde het op" in client.get(f"/l/{initiative.id}").text
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.subject_type == "pledge").order_by(AuditEntry.id)).all()
    assert actions == ["pledge.make", "pledge.deliver", "pledge.contest", "pledge.deliver",
                       "pledge.confirm"]


def test_only_the_people_running_it_answer_klopt_het(client, auth, staff, initiative,
                                                     make_user):
    pledge = _delivered(staff, initiative)
    co_initiator = make_user()
    initiative.co_initiators.append(co_initiator)
    db.session.commit()
    for outsider in (make_user(), staff):
        auth.login(outsider)
        assert client.post(f"/toezeggingen/{pledge.id}/confirm").status_code == 403
        auth.logout()
    assert client.post(f"/toezeggingen/{pledge.id}/confirm").headers["Location"].startswith(
        "/inloggen")
    auth.login(co_initiator)
    client.post(f"/toezeggingen/{pledge.id}/confirm")
    db.session.refresh(pledge)
    assert pledge.confirmed_by_id == co_initiator.id


def test_vraag_het_de_gemeente_a_pledge_covers_part_of_the_need(client, auth, staff,
                                                                 make_listing, make_user):
    from marketplace.accountability.models import GemeenteRequest, RequestStatus
    from marketplace.listings.models import ResourceKind
    from marketplace.listings.services import ResourceData

    owner = make_user(display_name="Ilse")
    initiative = make_listing(owner=owner, title="Moestuin", resources=[
        ResourceData(ResourceKind.MONEY, "Zaden en compost", 250, "euro")])
    need = initiative.resources[0]
    auth.login(owner)
    page = client.get(f"/l/{initiative.id}").text
    assert "Vraag de gemeente om hulp hierbij" in page
    client.post(f"/l/{initiative.id}/behoefte/{need.id}/gemeente-vragen",
                data={"kind": "budget", "motivation": "Zaden zijn duur dit jaar."})
    again = client.post(f"/l/{initiative.id}/behoefte/{need.id}/gemeente-vragen",
                        data={"kind": "budget", "motivation": "Nog een keer"})
    assert again.status_code == 302
    question = db.session.scalar(sa.select(GemeenteRequest))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GemeenteRequest)) == 1
    auth.logout()
    auth.login(staff)
    assert "Zaden zijn duur dit jaar." in client.get("/gemeente/balie").text
    too_much = client.post(f"/l/{initiative.id}/gemeente/toezeggingen", data={
        "kind": "budget", "amount": "300", "description": "Uit het buurtbudget",
        "department": "Groen", "due_on": NEXT_WEEK.isoformat(), "answering": question.id,
        "covers": "300"})
    assert too_much.status_code == 302
    db.session.refresh(need)
    assert need.committed == 0  # refused: only 250 is needed, nothing was kept
    client.post(f"/l/{initiative.id}/gemeente/toezeggingen", data={
        "kind": "budget", "amount": "150", "description": "Uit het buurtbudget",
        "department": "Groen", "due_on": NEXT_WEEK.isoformat(), "answering": question.id,
        "covers": "150"})
    db.session.refresh(need)
    db.session.refresh(question)
    assert need.committed == 150 and question.status is RequestStatus.ANSWERED
    page = client.get(f"/l/{initiative.id}").text
    assert "150 van 250 euro geregeld" in page
    assert "Hiervan is 150 euro gedekt door een toezegging van de gemeente." in page
    # Withdrawn, the pledge no longer covers the need.
    pledge = question.pledge
    services.close_pledge(staff, pledge, initiative, delivered=False, note="Budget op")
    db.session.commit()
    db.session.refresh(need)
    assert need.committed == 0


def test_the_gemeente_says_no_with_the_reason(client, auth, staff, initiative):
    from marketplace.accountability import requests
    from marketplace.accountability.models import RequestStatus

    question = requests.ask(initiative.owner, initiative, initiative.resources[0],
                            PledgeKind.SPACE, "Wij zoeken een schuur.")
    db.session.commit()
    auth.login(staff)
    client.post(f"/gemeente/vragen/{question.id}/nee", data={"note": ""})
    db.session.refresh(question)
    assert question.status is RequestStatus.OPEN
    client.post(f"/gemeente/vragen/{question.id}/nee",
                data={"note": "Er is geen ruimte vrij; probeer het buurthuis."})
    db.session.refresh(question)
    assert question.status is RequestStatus.DECLINED
    auth.logout()
    assert "probeer het buurthuis" in client.get(f"/l/{initiative.id}").text
    assert db.session.scalar(sa.select(Notification.user_id).where(
        Notification.kind == NotificationKind.PLEDGE)) == initiative.owner_id
