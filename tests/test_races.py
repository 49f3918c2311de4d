"""Two taps at the same moment, through gunicorn with several worker processes: the database
decides which one goes through, the other gets a clear answer, and nothing is given back twice.
Each race is followed by a crowd that would over-book the need (or lose a report) if the race
had left the numbers wrong."""

import json
import re
import time

import sqlalchemy as sa

from marketplace.audit.models import AuditEntry
from marketplace.comments.services import post_comment
from marketplace.commitments.models import HOLDING, Commitment, CommitmentStatus
from marketplace.commitments.services import respond
from marketplace.extensions import db
from marketplace.listings.models import Listing, Resource, ResourceKind
from marketplace.listings.services import ResourceData
from marketplace.moderation.models import Flag, ModerationCase
from tests.live_gunicorn import fire_together, logged_in

CROWD = 20


def _flash(browser, path: str) -> str:
    """The message the page shows after a step (the flash of the redirect)."""
    return " ".join(m.strip() for m in re.findall(r'class="flash flash-[^"]*"[^>]*>([^<]+)</p>',
                                                    browser.get(path)))


def _full_need(make_user, make_listing, size: int = 10):
    """A need of ``size``, fully committed by ``size`` helpers (1 each), all pending."""
    listing = make_listing(title="Grote schoonmaak", resources=[
        ResourceData(ResourceKind.VOLUNTEERS, "Handen", size, "personen")])
    need = listing.resources[0]
    commitments = [respond(make_user(), need, 1) for _ in range(size)]
    db.session.commit()
    return listing, need, commitments


def _assert_books_balance(need: Resource, expected: int) -> None:
    db.session.expire_all()
    holding = db.session.scalars(sa.select(Commitment).where(
        Commitment.resource_id == need.id, Commitment.status.in_(HOLDING))).all()
    assert need.committed == expected == sum(c.quantity for c in holding), (
        need.committed, [(c.id, c.status) for c in holding])


def _crowd_fills_the_need(server, make_user, listing: Listing, need: Resource) -> None:
    """CROWD people respond at once to what is left: exactly that many get in, no more."""
    db.session.expire_all()
    left = need.quantity - need.committed
    path = f"/l/{listing.id}/reageren/{need.id}"
    people = [logged_in(server, make_user(), f"/l/{listing.id}") for _ in range(CROWD)]
    results = fire_together([
        (lambda b=browser, t=token: b.post(path, {"csrf_token": t, "quantity": "1"}))
        for browser, token in people])
    assert all(status == 302 for status, _ in results), results
    assert sum("/reacties/" in location for _, location in results) == left, results
    _assert_books_balance(need, need.quantity)


def test_withdraw_twice_at_once_gives_back_once(server, make_user, make_listing):
    listing, need, commitments = _full_need(make_user, make_listing)
    mine = commitments[0]
    # Two tabs of the same helper: each has its own session, so each shows its own message.
    tabs = [logged_in(server, mine.helper, f"/reacties/{mine.id}") for _ in range(2)]
    path = f"/reacties/{mine.id}/withdraw"
    results = fire_together([(lambda b=b, t=t: b.post(path, {"csrf_token": t})) for b, t in tabs])
    assert [status for status, _ in results] == [302, 302], results

    messages = sorted(_flash(browser, f"/reacties/{mine.id}") for browser, _ in tabs)
    assert messages == ["De reactie is ingetrokken.", "Deze reactie is al ingetrokken."]
    db.session.expire_all()
    assert mine.status is CommitmentStatus.WITHDRAWN
    _assert_books_balance(need, 9)
    _crowd_fills_the_need(server, make_user, listing, need)


def _helper_withdraws_while_owner(server, listing, mine, step: str) -> tuple[str, str]:
    """The helper taps "withdraw" as the owner taps ``step``; what each is told afterwards."""
    page = f"/reacties/{mine.id}"
    helper = logged_in(server, mine.helper, page)
    owner = logged_in(server, listing.owner, page)
    results = fire_together([
        lambda: helper[0].post(f"{page}/withdraw", {"csrf_token": helper[1]}),
        lambda: owner[0].post(f"{page}/{step}", {"csrf_token": owner[1]})])
    assert [status for status, _ in results] == [302, 302], results
    db.session.expire_all()
    return _flash(helper[0], page), _flash(owner[0], page)


def test_withdraw_and_decline_at_once_give_back_once(server, make_user, make_listing):
    listing, need, commitments = _full_need(make_user, make_listing)
    mine = commitments[0]
    said = set(_helper_withdraws_while_owner(server, listing, mine, "decline"))
    if mine.status is CommitmentStatus.WITHDRAWN:
        assert said == {"De reactie is ingetrokken.", "Deze reactie is al ingetrokken."}
    else:
        assert mine.status is CommitmentStatus.DECLINED
        assert said == {"Je hebt de reactie afgewezen.", "Deze reactie is al afgewezen."}
    _assert_books_balance(need, 9)
    _crowd_fills_the_need(server, make_user, listing, need)


def test_withdraw_and_accept_at_once_end_withdrawn(server, make_user, make_listing):
    """Whichever comes first, the helper who was told "withdrawn" is not accepted after all."""
    listing, need, commitments = _full_need(make_user, make_listing)
    mine = commitments[0]
    to_helper, to_owner = _helper_withdraws_while_owner(server, listing, mine, "accept")
    assert mine.status is CommitmentStatus.WITHDRAWN
    assert to_helper == "De reactie is ingetrokken."
    assert to_owner in {"Je hebt de reactie geaccepteerd.", "Deze reactie is al ingetrokken."}
    _assert_books_balance(need, 9)
    _crowd_fills_the_need(server, make_user, listing, need)


def _report(browser, token, path):
    return browser.post(path, {"csrf_token": token, "reason": "spam"})


def test_three_reports_at_once_are_all_kept_and_hide_the_listing(server, make_user,
                                                                 make_listing):
    listing = make_listing(title="Koop goedkope horloges")  # threshold 3 (the default)
    path = f"/moderatie/melden/aanbod/{listing.id}"
    reporters = [logged_in(server, make_user(), path) for _ in range(3)]
    results = fire_together([(lambda b=b, t=t: _report(b, t, path)) for b, t in reporters])
    assert all(status == 302 for status, _ in results), results

    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(ModerationCase.id))) == 1
    assert listing.hidden_at is not None and listing.hidden_by_flags
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "flags.hide")) == 1

    # A crowd reports a comment at once: every report counts, the comment is hidden once.
    other = make_listing(title="Moestuin")
    comment = post_comment(make_user(), other, "Bel 0612345678 voor goedkope horloges")
    db.session.commit()
    path = f"/moderatie/melden/opmerking/{comment.id}"
    crowd = [logged_in(server, make_user(), path) for _ in range(CROWD)]
    results = fire_together([(lambda b=b, t=t: _report(b, t, path)) for b, t in crowd])
    assert all(status == 302 for status, _ in results), results
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Flag.id)).where(
        Flag.item_id == comment.id, Flag.item_type == "comment")) == CROWD
    assert db.session.scalar(sa.select(sa.func.count(ModerationCase.id))) == 2
    assert comment.hidden_at is not None
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "flags.hide")) == 2


def test_a_double_tap_on_report_counts_once_and_answers_clearly(server, make_user, make_listing):
    listing = make_listing(title="Fietsen te koop")
    path = f"/moderatie/melden/aanbod/{listing.id}"
    browser, token = logged_in(server, make_user(), path)
    results = fire_together([lambda: _report(browser, token, path) for _ in range(4)])
    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 400, 400, 400], results  # 400: the form says "already reported"
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 1
    assert listing.hidden_at is None


def test_many_listings_closed_at_once_keep_the_map_counts_right(server, make_user, make_listing):
    """The map's counts are kept by adding and subtracting in the database: twenty owners
    closing their offers in one cell at the same moment, through several workers, lose none."""
    from marketplace.listings.models import ListingKind
    from marketplace.mapdata import grid
    from tests.test_map_data import assert_counts_as_a_rebuild_makes_them

    people = [make_user() for _ in range(CROWD)]
    offers = [make_listing(ListingKind.OFFER, owner=person, title=f"Ladder {n}", lat=52.49,
                           lon=3.70 + n * 0.0002) for n, person in enumerate(people)]
    x, y = grid.cell_of(52.49, 3.70, 5)
    tile = f"/api/v1/map/5/{x}/{y}"
    browsers = [logged_in(server, person, f"/l/{offer.id}")
                for person, offer in zip(people, offers, strict=True)]
    before = json.loads(browsers[0][0].get(tile))
    assert before["count"] == CROWD
    results = fire_together([
        (lambda b=browser, t=token, o=offer: b.post(f"/l/{o.id}/status",
                                                    {"csrf_token": t, "status": "closed"}))
        for (browser, token), offer in zip(browsers, offers, strict=True)])
    assert all(status == 302 for status, _ in results), results
    assert_counts_as_a_rebuild_makes_them()
    # Every worker sees it within MAP_VERSION_CHECK_SECONDS (the writer at once).
    time.sleep(1.1)
    assert all(json.loads(browser.get(tile))["count"] == 0 for browser, _ in browsers[:4])
    assert json.loads(browsers[0][0].get(tile + "?status=closed"))["count"] == CROWD


def test_comments_at_the_same_moment_add_up_in_one_notification(server, make_user, make_listing):
    """Each comment adds one to the owner's one unread notification about the listing: the
    count is one upsert on a unique index, so comments at the same moment are all counted and
    never make a second notification."""
    from marketplace.notifications.models import Notification, NotificationKind

    listing = make_listing(title="Buurtfeest")
    db.session.commit()
    path = f"/l/{listing.id}"
    people = [logged_in(server, make_user(), path) for _ in range(CROWD)]
    results = fire_together([
        (lambda b=browser, t=token, n=index: b.post(
            f"{path}/opmerkingen", {"csrf_token": t, "comment-body": f"Ik kom ook! ({n})"}))
        for index, (browser, token) in enumerate(people)])
    assert all(status == 302 for status, _ in results), results
    db.session.expire_all()
    told = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == listing.owner_id,
        Notification.kind == NotificationKind.COMMENT)).all()
    assert [notification.count for notification in told] == [CROWD]
