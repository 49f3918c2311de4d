"""No over-booking under load: many people press "I'll help" at the same moment, through real
HTTP requests to a gunicorn server with several worker processes, on this run's database."""

import sqlalchemy as sa

from marketplace.commitments.models import HOLDING, Commitment
from marketplace.extensions import db
from marketplace.listings.models import ResourceKind
from marketplace.listings.services import ResourceData
from tests.live_gunicorn import fire_together, logged_in

PEOPLE = 50


def test_fifty_people_at_once_never_overbook_a_need_of_ten(server, make_user, make_listing):
    listing = make_listing(title="Grote schoonmaak", resources=[
        ResourceData(ResourceKind.VOLUNTEERS, "Handen", 10, "personen")])
    need = listing.resources[0]
    path = f"/l/{listing.id}/reageren/{need.id}"
    people = [logged_in(server, make_user(), f"/l/{listing.id}") for _ in range(PEOPLE)]

    results = fire_together([
        (lambda b=browser, t=token: b.post(path, {"csrf_token": t, "quantity": "1"}))
        for browser, token in people])

    accepted = [location for status, location in results if "/reacties/" in location]
    refused = [location for status, location in results if location.endswith(f"#need-{need.id}")]
    assert len(accepted) == 10 and len(refused) == PEOPLE - 10, results
    db.session.expire_all()
    assert need.committed == 10
    holding = db.session.scalars(sa.select(Commitment).where(
        Commitment.resource_id == need.id, Commitment.status.in_(HOLDING))).all()
    assert sum(c.quantity for c in holding) == 10 and len(holding) == 10


def test_double_tap_on_two_workers_makes_one_commitment(server, make_user, make_listing):
    listing = make_listing(title="Bankjes", resources=[
        ResourceData(ResourceKind.VOLUNTEERS, "Handen", 10, "personen")])
    need = listing.resources[0]
    browser, token = logged_in(server, make_user(), f"/l/{listing.id}")
    path = f"/l/{listing.id}/reageren/{need.id}"
    results = fire_together([lambda: browser.post(path, {"csrf_token": token, "quantity": "2"})
                             for _ in range(4)])
    assert all("/reacties/" in location for _, location in results), results
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Commitment.id))) == 1
    assert need.committed == 2
