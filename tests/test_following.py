"""Following a listing and the initiator's progress updates."""

import io

import sqlalchemy as sa
from PIL import Image

from marketplace.extensions import db
from marketplace.following import services
from marketplace.following.models import ProgressUpdate
from marketplace.notifications.models import Notification, NotificationKind


def test_follow_unfollow_and_updates_reach_followers(client, auth, make_listing, make_user):
    listing = make_listing(title="Moestuin")
    fan = make_user(display_name="Fan")
    auth.login(fan)
    client.post(f"/l/{listing.id}/volgen")
    assert services.is_following(fan, listing)
    assert "1 volger" in client.get(f"/l/{listing.id}").text
    auth.logout()
    auth.login(listing.owner)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(buffer, "JPEG")
    response = client.post(f"/l/{listing.id}/voortgang", content_type="multipart/form-data",
                           data={"body": "De eerste bedden zijn klaar!",
                                 "photo": (io.BytesIO(buffer.getvalue()), "tuin.jpg")})
    assert response.status_code == 302
    update = db.session.scalar(sa.select(ProgressUpdate))
    assert update.body == "De eerste bedden zijn klaar!" and update.thumbnail
    told = db.session.scalars(sa.select(Notification).where(
        Notification.kind == NotificationKind.LISTING_UPDATE)).all()
    assert [n.user_id for n in told] == [fan.id]
    page = client.get(f"/l/{listing.id}").text
    assert "De eerste bedden zijn klaar!" in page
    with client.get(f"/media/{update.thumbnail}") as photo:
        assert photo.status_code == 200
    auth.logout()
    auth.login(fan)
    client.post(f"/l/{listing.id}/volgen")
    assert not services.is_following(fan, listing)


def test_only_the_owner_posts_updates_and_empty_is_refused(client, auth, make_listing, make_user):
    listing = make_listing()
    auth.login(make_user())
    assert client.post(f"/l/{listing.id}/voortgang", data={"body": "Hallo"}).status_code == 403
    auth.logout()
    auth.login(listing.owner)
    client.post(f"/l/{listing.id}/voortgang", data={"body": "  "})
    assert db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id))) == 0


def test_drafts_cannot_be_followed_by_others(client, auth, make_listing, make_user):
    draft = make_listing(publish=False)
    auth.login(make_user())
    assert client.post(f"/l/{draft.id}/volgen").status_code == 404
