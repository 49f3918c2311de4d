"""Hidden means hidden: one hidden item, looked for in every public channel.

The listing is hidden in each of the four ways the product knows (a wijkwerker's decision, open
reports, pre-moderation, a suspended author); then the home page, map list, search, API, buurt
page, public figures, suggestions, notifications and digest are searched for it, as a visitor
and as a neighbour. Its author still sees it, with the reason.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.auth.models import Role
from marketplace.comments.services import post_comment
from marketplace.extensions import db
from marketplace.following.services import follow, post_update
from marketplace.listings.models import ListingKind, ListingStatus, ResourceKind
from marketplace.listings.services import ResourceData
from marketplace.moderation import services as moderation
from marketplace.moderation.models import FlagReason
from marketplace.notifications.models import Notification
from marketplace.notifications.services import send_digests

SECRET = "Zonnebloemactie"
CENTRE = "52.495,3.69"


def _main(response) -> str:
    """The page's own content, without the menu (whose form tokens differ per request)."""
    return response.text.partition("<main")[2].partition("</main>")[0]


def _hide(how, listing, make_user, wijkwerker, gemeente):
    if how == "moderator":
        moderation.hide(wijkwerker, listing, "Reclame")
    elif how == "flags":
        for _ in range(gemeente.flag_threshold):
            moderation.flag(make_user(), listing, FlagReason.SPAM, None)
    elif how == "suspended":
        moderation.suspend(wijkwerker, listing.owner, listing, 7, "Schelden")
    db.session.commit()


@pytest.fixture
def wijkwerker(make_user, gemeente):
    return make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)


@pytest.mark.parametrize("how", ["moderator", "flags", "pending", "suspended"])
def test_a_hidden_listing_is_in_no_public_channel(how, client, auth, make_user, make_listing,
                                                  gemeente, wijkwerker, outbox):
    author = make_user()
    follower = make_user()
    offer_owner = make_user()
    # A matching offer nearby: its page would suggest the hidden initiative's need.
    offer = make_listing(ListingKind.OFFER, owner=offer_owner, title="Handen te leen",
                         resources=[ResourceData(ResourceKind.VOLUNTEERS, "Handen", 2, "personen")])
    figures_before = _main(client.get("/gemeente/GM9999/verantwoording"))
    residents_before = _main(client.get(f"/buurt/{offer.buurt.code}"))
    if how == "pending":
        gemeente.premoderation_count = 1
        db.session.commit()
    listing = make_listing(owner=author, title=f"Buurt {SECRET}", description=f"Over {SECRET}.",
                           resources=[ResourceData(ResourceKind.VOLUNTEERS, "Handen", 3,
                                                   "personen")])
    if how != "pending":
        follow(follower, listing)
        post_update(author, listing, f"Nieuws over {SECRET}")
        db.session.commit()
    _hide(how, listing, make_user, wijkwerker, gemeente)
    assert not listing.is_public
    buurt = listing.buurt.code

    for viewer in (None, follower, offer_owner):
        if viewer is not None:
            auth.login(viewer)
        pages = {
            "home": client.get("/"),
            "list": client.get("/kaart?status=open&status=running&status=realised"),
            "search": client.get("/kaart?q=zonnebloem"),  # found by lower case, if at all
            "near": client.get(f"/kaart?near={CENTRE}&radius=5"),
            "buurt page": client.get(f"/buurt/{buurt}"),
            "api list": client.get("/api/v1/listings?q=zonnebloem"),
            "api bbox": client.get("/api/v1/listings?bbox=3.5,52.3,3.9,52.7"),
            "api buurt": client.get(f"/api/v1/listings?buurt={buurt}"),
            "offer page": client.get(f"/l/{offer.id}"),
        }
        for channel, response in pages.items():
            assert response.status_code == 200, channel
            assert SECRET not in response.text, (how, viewer, channel)
        assert client.get(f"/l/{listing.id}").status_code == 404
        assert client.get(f"/api/v1/listings/{listing.id}").status_code == 404
        if viewer is not None:
            assert SECRET not in client.get("/meldingen/").text
            auth.logout()

    # Counts: the public figures and the buurt's active residents are as if it never was.
    client.get("/")  # shows (and so clears) the "logged out" message
    assert _main(client.get("/gemeente/GM9999/verantwoording")) == figures_before
    assert _main(client.get(f"/buurt/{buurt}")).count("actieve bewoner") == (
        residents_before.count("actieve bewoner"))
    # No mail about it, except to the moderators whose queue it is in and to its author.
    outbox_before = len(outbox())
    send_digests()
    sent = outbox()[outbox_before:]
    assert all(SECRET not in message.subject + message.body for message in sent
               if message.to not in (wijkwerker.email, author.email))
    if how != "pending":  # the follower had news waiting about it, and got no mail
        waiting = db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == follower.id, Notification.listing_id == listing.id))
        assert waiting == 1 and follower.email not in {message.to for message in sent}

    # Its author still sees it, and why.
    auth.login(author)
    page = client.get(f"/l/{listing.id}")
    assert page.status_code == 200 and SECRET in page.text


def test_hidden_comments_and_messages_are_gone_for_others(client, auth, make_user, make_listing,
                                                          wijkwerker):
    from marketplace.commitments.services import respond, send_message

    listing = make_listing()
    writer = make_user()
    comment = post_comment(writer, listing, f"Opmerking over {SECRET}")
    commitment = respond(writer, listing.resources[0], 1)
    message = send_message(writer, commitment, f"Bericht over {SECRET}")
    db.session.commit()
    moderation.flag(listing.owner, message, FlagReason.PERSONAL_DATA, None)
    moderation.hide(wijkwerker, comment, "Persoonsgegevens")
    moderation.hide(wijkwerker, message, "Persoonsgegevens")
    db.session.commit()
    assert SECRET not in client.get(f"/l/{listing.id}").text
    auth.login(listing.owner)
    assert SECRET not in client.get(f"/l/{listing.id}").text
    assert SECRET not in client.get(f"/reacties/{commitment.id}").text
    auth.logout()
    auth.login(writer)
    own_view = client.get(f"/reacties/{commitment.id}").text
    assert SECRET in own_view and "Persoonsgegevens" in own_view
    assert "Persoonsgegevens" in client.get(f"/l/{listing.id}").text


def test_a_suspension_ends_by_itself(app, client, make_user, make_listing, wijkwerker):
    listing = make_listing(title=f"Buurt {SECRET}")
    moderation.suspend(wijkwerker, listing.owner, listing, 2, "Afkoelen")
    db.session.commit()
    assert SECRET not in client.get("/kaart").text
    later = clock.now() + timedelta(days=2, minutes=1)
    app.config["CLOCK"] = lambda: later
    assert SECRET in client.get("/kaart").text
    assert listing.status is ListingStatus.OPEN
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("audit_entry"))) == 1
