"""Limits on every way to post, per person and per address: a friendly refusal that keeps what
was typed, never a lost post or a flood."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from marketplace.comments.models import Comment
from marketplace.commitments.models import Commitment, Message
from marketplace.commitments.services import respond
from marketplace.extensions import db
from marketplace.following.models import ProgressUpdate
from marketplace.listings.models import Listing
from marketplace.moderation.models import Flag
from tests.conftest import AuthActions


@pytest.fixture
def paced(app_config):
    app_config.update(RATELIMIT_ENABLED=True, RATELIMIT_COMMENT="3 per minute",
                      RATELIMIT_MESSAGE="1 per minute", RATELIMIT_RESPONSE="1 per minute",
                      RATELIMIT_REPORT="1 per minute", RATELIMIT_UPDATE="1 per minute",
                      RATELIMIT_LISTING="1 per minute")
    return app_config


def test_a_flood_of_comments_is_stopped_and_the_text_kept(paced, client, auth, make_user,
                                                          make_listing):
    listing = make_listing()
    auth.login(make_user())
    statuses = [client.post(f"/l/{listing.id}/opmerkingen",
                            data={"comment-body": f"Spam {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 302]
    response = client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": "Nog eentje"})
    assert response.status_code == 429
    assert "Je plaatst sneller dan we toestaan" in response.text
    assert "Nog eentje" in response.text  # still in the form
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    for n in range(300):  # the attack from the issue: nothing more gets through
        client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": f"Spam {n}"})
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 3


def test_one_address_carries_five_times_a_person(paced, app, make_user, make_listing):
    """A buurthuis's wifi: five neighbours post at a person's pace each, the sixth waits."""
    listing = make_listing()
    statuses = []
    for _ in range(6):
        browser = app.test_client()
        AuthActions(browser).login(make_user())
        for _ in range(3):
            statuses.append(browser.post(f"/l/{listing.id}/opmerkingen",
                                         data={"comment-body": "Hallo"},
                                         environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code)
    assert statuses[:15] == [302] * 15 and statuses[15:] == [429] * 3


@pytest.fixture
def scene(make_user, make_listing):
    owner, helper = make_user(), make_user()
    listing = make_listing(owner=owner)
    commitment = respond(helper, listing.resources[0], 1)
    db.session.commit()
    other = make_listing(owner=owner, title="Bankjes verven")
    return {"owner": owner, "helper": helper, "listing": listing, "commitment": commitment,
            "needs": [listing.resources[0], other.resources[0]], "category": listing.category_id}


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return buffer.getvalue()


POSTS = {
    "message": ("helper", lambda s, n: f"/reacties/{s['commitment'].id}/bericht",
                lambda s, n: {"body": f"Bericht {n}"}, Message),
    "response": ("other", lambda s, n: (f"/l/{s['needs'][n].listing_id}/reageren/"
                                        f"{s['needs'][n].id}"),
                 lambda s, n: {"quantity": "1"}, Commitment),
    "report": ("other", lambda s, n: f"/moderatie/melden/aanbod/{s['listing'].id}",
               lambda s, n: {"reason": "spam"}, Flag),
    "update": ("owner", lambda s, n: f"/l/{s['listing'].id}/voortgang",
               lambda s, n: {"body": f"Nieuws {n}"}, ProgressUpdate),
    "listing": ("other", lambda s, n: "/nieuw/vraag",
                lambda s, n: {"title": f"Vraag {n}", "description": "Wie helpt?",
                              "category": s["category"],
                           "lat": "52.495", "lon": "3.69", "publish": "y",
                           "resources-0-kind": "volunteers", "resources-0-description": "Hulp",
                           "resources-0-quantity": "1", "resources-0-unit": "personen"},
                Listing),
}


@pytest.mark.parametrize("kind", sorted(POSTS))
def test_every_way_to_post_keeps_a_pace(paced, app, client, auth, scene, make_user, kind):
    who, path, data, model = POSTS[kind]
    person = scene.get(who) or make_user()
    auth.login(person)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    first = client.post(path(scene, 0), data=data(scene, 1))
    assert first.status_code in (302, 200), first.text[:300]
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    assert counted == before + 1
    second = client.post(path(scene, 1), data=data(scene, 2), follow_redirects=True)
    assert "Je plaatst sneller dan we toestaan" in second.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == counted
