"""Experiments and recipes: an initiator marks an experiment and, when it ends, says what was
learned, as does the gemeente's staff; a realised initiative published as a recipe is copied by
another buurt into a new initiative with its needs, and the recipe counts it."""

import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.experiments.models import Experiment, Recipe, RecipeCopy
from marketplace.extensions import db
from marketplace.listings.models import Listing, ListingStatus, ResourceKind
from marketplace.listings.services import ResourceData, change_status


def _end(listing, status=ListingStatus.REALISED):
    change_status(listing.owner, listing, ListingStatus.RUNNING)
    change_status(listing.owner, listing, status)
    db.session.commit()


def test_an_experiment_says_what_it_wants_to_learn_and_then_what_was_learned(
        client, auth, make_listing, make_user, gemeente):
    garden = make_listing(title="Pluktuin")
    auth.login(garden.owner)
    assert "Markeer als experiment" in client.get(f"/l/{garden.id}").text
    client.post(f"/l/{garden.id}/experiment", data={"question": ""})  # nothing to save
    assert db.session.get(Experiment, garden.id) is None
    client.post(f"/l/{garden.id}/experiment",
                data={"question": "Houden buren de tuin zelf bij?"})
    client.post(f"/l/{garden.id}/experiment/geleerd", data={"text": "Te vroeg."})
    assert db.session.get(Experiment, garden.id).lessons is None  # not ended yet
    _end(garden)
    client.post(f"/l/{garden.id}/experiment/geleerd",
                data={"text": "Ja, met een rooster per straat."})
    auth.logout()

    staff = make_user(Role.STAFF, gemeente=gemeente)
    auth.login(staff)
    client.post(f"/l/{garden.id}/experiment/gemeente",
                data={"gemeente-text": "Een rooster werkt beter dan een hovenier."})
    auth.logout()
    page = client.get(f"/l/{garden.id}").text
    assert "Houden buren de tuin zelf bij?" in page
    assert "Ja, met een rooster per straat." in page
    assert "Een rooster werkt beter dan een hovenier." in page
    experiment = db.session.get(Experiment, garden.id)
    assert experiment.lessons_by_id == garden.owner.id
    assert experiment.gemeente_lessons_by_id == staff.id


def test_a_realised_initiative_is_copied_from_its_recipe_with_its_needs(
        client, auth, make_listing, make_user):
    bench = make_listing(title="Buurtbankje", resources=[
        ResourceData(ResourceKind.MATERIALS, "Planken", 6, "stuks"),
        ResourceData(ResourceKind.VOLUNTEERS, "Timmeraars", 2, "personen")])
    auth.login(bench.owner)
    client.post(f"/l/{bench.id}/recept", data={"publish": "1"})
    assert db.session.get(Recipe, bench.id) is None  # not realised yet
    _end(bench)
    client.post(f"/l/{bench.id}/recept", data={"publish": "1"})
    client.post(f"/l/{bench.id}/recept", data={"publish": "1"})  # a double tap: one recipe
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recipe)) == 1
    auth.logout()
    assert "Buurtbankje" in client.get("/recepten").text

    neighbour = make_user()
    auth.login(neighbour)
    form = client.get(f"/nieuw/initiatief?van={bench.id}").text
    assert 'value="Buurtbankje"' in form and 'value="Planken"' in form
    assert 'value="Timmeraars"' in form
    copied = client.post("/nieuw/initiatief", data={
        "title": "Buurtbankje bij de school", "description": "Zoals in de andere buurt.",
        "category": bench.category_id, "lat": "52.48", "lon": "3.74", "address": "",
        "copied_from": str(bench.id),
        "resources-0-kind": "materials", "resources-0-description": "Planken",
        "resources-0-quantity": "6", "resources-0-unit": "stuks", "publish": "Publiceren"})
    assert copied.status_code == 302
    new = db.session.scalar(sa.select(Listing).where(Listing.title == "Buurtbankje bij de school"))
    assert db.session.get(RecipeCopy, new.id).recipe_id == bench.id
    assert "1 keer" in client.get(f"/l/{bench.id}").text

    # Withdrawn and offered again: the copy still counts. A draft started from it does not.
    auth.logout()
    auth.login(bench.owner)
    client.post(f"/l/{bench.id}/recept", data={"publish": "0"})
    client.post(f"/l/{bench.id}/recept", data={"publish": "1"})
    auth.logout()
    auth.login(neighbour)
    client.post("/nieuw/initiatief", data={
        "title": "Bankje, nog een schets", "description": "Eerst overleggen.",
        "category": bench.category_id, "lat": "52.48", "lon": "3.74", "address": "",
        "copied_from": str(bench.id),
        "resources-0-kind": "materials", "resources-0-description": "Planken",
        "resources-0-quantity": "6", "resources-0-unit": "stuks", "save_draft": "Concept"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecipeCopy)) == 2
    page = client.get(f"/l/{bench.id}").text
    assert "1 keer" in page and "Bankje, nog een schets" not in page
    assert client.get("/nieuw/initiatief?van=²").status_code == 200

    # Only a published recipe of a visible listing is copied; another listing starts empty.
    other = make_listing(title="Geheime schets", publish=False)
    assert 'value="Geheime schets"' not in client.get(f"/nieuw/initiatief?van={other.id}").text
    assert client.get("/nieuw/initiatief?van=abc").status_code == 200


def test_others_cannot_run_the_experiment_or_publish_the_recipe(client, auth, make_listing,
                                                                make_user, other_gemeente):
    garden = make_listing(title="Pluktuin")
    _end(garden)
    auth.login(make_user())
    assert client.post(f"/l/{garden.id}/recept", data={"publish": "1"}).status_code == 403
    assert client.post(f"/l/{garden.id}/experiment",
                       data={"question": "Wat?"}).status_code == 403
    auth.logout()
    auth.login(make_user(Role.STAFF, gemeente=other_gemeente))
    assert client.post(f"/l/{garden.id}/experiment/gemeente",
                       data={"gemeente-text": "x"}).status_code == 403
