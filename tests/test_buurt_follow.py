"""Following a buurt: a person hears of every new public listing there, once, in their daily
news by default; not of their own, not of drafts or listings awaiting approval, not of other
buurten; the buurt page counts followers and shows listings by kind and what was realised."""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.following.models import BuurtFollow
from marketplace.listings.models import ListingKind
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.notifications.texts import describe

BUURT = "BU99990101"  # the buurt the listing fixture's spot (52.495, 3.69) lies in


def _told(user) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.BUURT_LISTING)))


def test_a_follower_hears_of_new_listings_in_their_buurt_only(client, auth, make_user,
                                                             make_listing):
    neighbour, owner = make_user(), make_user()
    auth.login(neighbour)
    assert client.post(f"/buurt/{BUURT}/volgen", data={"follow": "1"}).status_code == 302
    client.post(f"/buurt/{BUURT}/volgen", data={"follow": "1"})  # a double tap: still one
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BuurtFollow)) == 1
    page = client.get(f"/buurt/{BUURT}").text
    assert "Je volgt deze buurt" in page and "1 volger" in page
    auth.logout()

    listing = make_listing(owner=owner, title="Samen snoeien")
    elsewhere = make_listing(owner=owner, title="Elders", lat=52.48, lon=3.74)
    assert elsewhere.buurt_id != listing.buurt_id
    make_listing(owner=owner, title="Nog een schets", publish=False)
    make_listing(owner=neighbour, title="Mijn eigen plan")
    told = _told(neighbour)
    assert [n.listing_id for n in told] == [listing.id]
    assert describe(told[0], "en") == f"New in {listing.buurt.name}: “Samen snoeien”."

    auth.login(neighbour)
    client.post(f"/buurt/{BUURT}/volgen", data={"follow": "0"})
    make_listing(owner=owner, title="Na het ontvolgen")
    assert len(_told(neighbour)) == 1


def test_the_buurt_page_shows_listings_by_kind_and_what_was_realised(client, make_listing):
    from marketplace.listings.models import ListingStatus
    from marketplace.listings.services import change_status

    make_listing(title="Open moestuin")
    offer = make_listing(ListingKind.OFFER, title="Ladder te leen")
    done = make_listing(title="Bankje geplaatst")
    change_status(done.owner, done, ListingStatus.RUNNING)
    change_status(done.owner, done, ListingStatus.REALISED)
    db.session.commit()
    page = client.get(f"/buurt/{BUURT}").text
    assert "Gerealiseerd hier" in page and "Bankje geplaatst" in page
    assert "De gemeente hier, de afgelopen twaalf maanden" in page
    assert "Toezeggingen nagekomen: 0 · nog open: 0, waarvan te laat: 0" in page
    offers_only = client.get(f"/buurt/{BUURT}?soort=aanbod").text
    assert offer.title in offers_only and "Open moestuin" not in offers_only
    assert client.get(f"/buurt/{BUURT}?soort=onzin").status_code == 200  # unknown kind: all
    assert client.get("/buurt/BU00000000").status_code == 404
