"""Comments on listings: replies one level deep, a 15-minute edit window, tombstones, locks."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.comments import services, threads
from marketplace.comments.models import Comment
from marketplace.extensions import db
from marketplace.notifications.models import Notification, NotificationKind


def test_comment_and_reply_through_the_page(client, auth, make_user, make_listing):
    listing = make_listing()
    neighbour = make_user(display_name="Fatima")
    auth.login(neighbour)
    response = client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": "Ik help graag!"})
    assert response.status_code == 302
    comment = db.session.scalar(sa.select(Comment))
    auth.logout()
    auth.login(listing.owner)
    client.post(f"/l/{listing.id}/opmerkingen",
                data={"comment-body": "Dank je, Fatima!", "comment-parent_id": str(comment.id)})
    page = client.get(f"/l/{listing.id}").text
    assert "Ik help graag!" in page and "Dank je, Fatima!" in page
    reply = db.session.scalar(sa.select(Comment).where(Comment.parent_id == comment.id))
    assert reply is not None
    kinds = db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == NotificationKind.COMMENT)).all()
    assert sorted(kinds) == sorted([listing.owner_id, neighbour.id])


def test_a_reply_to_a_reply_joins_the_first_comment(make_user, make_listing):
    listing = make_listing()
    first = services.post_comment(make_user(), listing, "Vraag")
    reply = services.post_comment(make_user(), listing, "Antwoord", first.id)
    again = services.post_comment(make_user(), listing, "Nog een antwoord", reply.id)
    assert again.parent_id == first.id


def test_an_empty_comment_is_explained_and_nothing_else_is_lost(client, auth, make_user,
                                                                make_listing):
    listing = make_listing()
    auth.login(make_user())
    response = client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": "   "})
    assert response.status_code == 400
    assert "Dit veld is vereist." in response.text
    long_text = "x" * 2001
    response = client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": long_text})
    assert response.status_code == 400 and long_text in response.text  # kept to shorten


def test_the_author_edits_within_15_minutes_only(app, client, auth, make_user, make_listing):
    listing = make_listing()
    author = make_user()
    comment = services.post_comment(author, listing, "Eerste versie")
    db.session.commit()
    auth.login(author)
    client.post(f"/opmerkingen/{comment.id}/bewerken", data={"comment-body": "Tweede versie"})
    db.session.refresh(comment)
    assert comment.body == "Tweede versie" and comment.edited_at is not None

    later = clock.now() + timedelta(minutes=16)
    app.config["CLOCK"] = lambda: later
    response = client.post(f"/opmerkingen/{comment.id}/bewerken", data={"comment-body": "Derde"})
    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.body == "Tweede versie"
    with pytest.raises(services.CommentRefused):
        services.edit_comment(author, comment, "Derde")


def test_someone_else_cannot_edit_or_delete(client, auth, make_user, make_listing):
    listing = make_listing()
    comment = services.post_comment(make_user(), listing, "Van mij")
    db.session.commit()
    auth.login(make_user())
    assert client.get(f"/opmerkingen/{comment.id}/bewerken").status_code == 403
    assert client.post(f"/opmerkingen/{comment.id}/verwijderen").status_code == 403


def test_deleting_leaves_a_tombstone_and_the_replies(client, auth, make_user, make_listing):
    listing = make_listing()
    author = make_user()
    comment = services.post_comment(author, listing, "Oeps, verkeerd")
    services.post_comment(make_user(), listing, "Wat bedoel je?", comment.id)
    db.session.commit()
    auth.login(author)
    client.post(f"/opmerkingen/{comment.id}/verwijderen")
    page = client.get(f"/l/{listing.id}").text
    assert "Oeps, verkeerd" not in page
    assert "Deze opmerking is verwijderd door de schrijver." in page
    assert "Wat bedoel je?" in page
    db.session.refresh(comment)
    assert comment.body == "" and comment.deleted_at is not None


def test_the_initiator_locks_the_comments(client, auth, make_user, make_listing):
    listing = make_listing()
    services.post_comment(make_user(), listing, "Blijft staan")
    db.session.commit()
    auth.login(listing.owner)
    client.post(f"/l/{listing.id}/opmerkingen/sluiten")
    auth.logout()
    auth.login(make_user())
    response = client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": "Nog iets"})
    assert response.status_code == 400
    assert "Blijft staan" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 1


def test_comments_are_counted_without_hidden_or_deleted_ones(make_user, make_listing):
    listing = make_listing()
    visible = services.post_comment(make_user(), listing, "Zichtbaar")
    hidden = services.post_comment(make_user(), listing, "Verborgen")
    deleted = services.post_comment(make_user(), listing, "Weg")
    hidden.hidden_at = clock.now()
    services.delete_comment(deleted.author, deleted)
    db.session.commit()
    assert services.public_comment_count(listing) == 1
    found, _pages = threads.conversation(listing, visible.author)
    assert [t.comment.body for t in found if t.comment] == ["Zichtbaar", ""]


def test_a_reported_comment_stays_as_reported(make_user, make_listing):
    from marketplace.moderation.models import FlagReason
    from marketplace.moderation.services import flag

    author = make_user()
    comment = services.post_comment(author, make_listing(), "Iets lelijks")
    flag(make_user(), comment, FlagReason.OFFENSIVE, None)
    for change in (lambda: services.edit_comment(author, comment, "Iets aardigs"),
                   lambda: services.delete_comment(author, comment)):
        with pytest.raises(services.CommentRefused, match=r"gemeld|reported"):
            change()
    assert comment.body == "Iets lelijks"


def test_a_reply_to_a_comment_that_is_gone_is_explained(client, auth, make_user, make_listing):
    listing = make_listing()
    auth.login(make_user())
    response = client.post(f"/l/{listing.id}/opmerkingen",
                           data={"comment-body": "Mee eens", "comment-parent_id": "999"})
    assert response.status_code == 400
    assert "Deze opmerking is weg. Je kunt er niet meer op antwoorden." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def _many_comments(listing, authors, count, parent=None):
    """``count`` comments straight into the database, a second apart (posting is not tested)."""
    start = clock.now() - timedelta(days=1)
    rows = [Comment(listing_id=listing.id, author_id=authors[n % len(authors)].id,
                    parent_id=parent.id if parent else None, body=f"Opmerking {n}",
                    created_at=start + timedelta(seconds=n)) for n in range(count)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_a_long_conversation_is_paged(client, make_user, make_listing):
    listing = make_listing()
    authors = [make_user() for _ in range(3)]
    roots = _many_comments(listing, authors, 45)
    replies = _many_comments(listing, authors, 70, parent=roots[0])
    page = client.get(f"/l/{listing.id}").text
    assert page.count('class="comment"') == threads.THREADS_PER_PAGE
    assert page.count('class="comment reply"') == threads.REPLIES_SHOWN
    assert "Pagina 1 van 3" in page and "50 reacties meer" in page
    last = client.get(f"/l/{listing.id}?opmerkingen=3").text
    assert last.count('class="comment"') == 5 and "Opmerking 44" in last
    # The thread's own page shows all its replies, 50 at a time.
    thread = client.get(f"/l/{listing.id}/opmerkingen/{roots[0].id}?pagina=2").text
    assert thread.count('class="comment reply"') == 20 and f"comment-{replies[-1].id}" in thread
    assert client.get(f"/l/{listing.id}/opmerkingen/{replies[0].id}").status_code == 404
    # A page far beyond the end is empty, not an error.
    assert client.get(f"/l/{listing.id}?opmerkingen=999").status_code == 200


def test_the_listing_page_stays_small_with_thousands_of_comments(client, make_user, make_listing):
    listing = make_listing()
    _many_comments(listing, [make_user()], 2000)
    response = client.get(f"/l/{listing.id}")
    assert response.status_code == 200 and len(response.data) < 120_000


def test_after_posting_one_lands_where_the_comment_is(client, auth, make_user, make_listing):
    listing = make_listing()
    authors = [make_user()]
    roots = _many_comments(listing, authors, 41)
    _many_comments(listing, authors, 30, parent=roots[0])
    auth.login(make_user())
    response = client.post(f"/l/{listing.id}/opmerkingen", data={"comment-body": "Nieuw"})
    new = db.session.scalar(sa.select(Comment).where(Comment.body == "Nieuw"))
    assert response.headers["Location"] == f"/l/{listing.id}?opmerkingen=3#comment-{new.id}"
    response = client.post(f"/l/{listing.id}/opmerkingen",
                           data={"comment-body": "Antwoord", "comment-parent_id": roots[0].id})
    reply = db.session.scalar(sa.select(Comment).where(Comment.body == "Antwoord"))
    assert response.headers["Location"] == (
        f"/l/{listing.id}/opmerkingen/{roots[0].id}?pagina=1#comment-{reply.id}")


def test_a_thread_of_a_hidden_comment_shows_only_what_the_reader_may_see(client, auth,
                                                                         make_user, make_listing):
    listing = make_listing()
    root = services.post_comment(make_user(), listing, "Verborgen begin")
    root.hidden_at = clock.now()
    db.session.commit()
    assert client.get(f"/l/{listing.id}/opmerkingen/{root.id}").status_code == 404
    auth.login(root.author)
    assert "Verborgen begin" in client.get(f"/l/{listing.id}/opmerkingen/{root.id}").text


def test_a_refused_reply_comes_back_in_its_own_thread(client, auth, make_user, make_listing):
    listing = make_listing()
    first = services.post_comment(make_user(), listing, "Vraag")
    db.session.commit()
    auth.login(make_user())
    response = client.post(f"/l/{listing.id}/opmerkingen",
                           data={"comment-body": "x" * 2001, "comment-parent_id": first.id})
    assert response.status_code == 400
    assert "Gesprek" in response.text and "x" * 2001 in response.text  # the thread page
    assert 'role="alert"' in response.text
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 1


def test_the_number_of_comments_is_no_alert_badge(client, make_listing):
    page = client.get(f"/l/{make_listing().id}").text
    assert '<span class="meta">(0)</span>' in page and '<span class="count">(0)' not in page
