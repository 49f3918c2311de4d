"""Deleting an account (AVG art. 17), by the person or by an admin on request.

The person's data goes. What others rely on stays, without name, address or photo: an
initiative others helped with or follow (handed to a co-initiator when there is one, otherwise
closed), a comment that is part of a conversation, a message the other party received, the
gemeente's record of what it promised. Open commitments are withdrawn and the other side is
told. The audit log keeps a pseudonymous reference (``#id``) and records the deletion.

Each step names the tables it handles; ``tests/test_privacy_rights.py`` checks that every table
pointing at a person is handled. Services flush; the caller commits, then calls
:meth:`Erasure.clean_up` to remove files.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from marketplace import clock
from marketplace.accountability.models import GemeenteAnswer, Pledge, RoleDecision
from marketplace.assisted.models import AssistedResident
from marketplace.atomic import lock
from marketplace.audit.services import record
from marketplace.auth.models import LoginSession, User
from marketplace.auth.passwords import verify_password
from marketplace.auth.services import is_last_admin
from marketplace.buurten.models import BuurtQuestion
from marketplace.comments.models import Comment
from marketplace.commitments.models import ACTIVE, Commitment
from marketplace.commitments.services import CommitmentRefused, withdraw
from marketplace.delivery.models import Delivery, PushSubscription
from marketplace.delivery.services import naming
from marketplace.experiments.models import Experiment, Recipe
from marketplace.extensions import db
from marketplace.following.models import BuurtFollow, Follow, ProgressUpdate
from marketplace.listings.models import Listing, ListingKind, ListingStatus
from marketplace.listings.photos import delete_files
from marketplace.mail import forget_person
from marketplace.matching.models import MatchDismissal
from marketplace.moderation.cases import remove_cases_about
from marketplace.moderation.models import ItemType
from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.ownership.services import leave_everything, pass_on
from marketplace.refused import Refused
from marketplace.teams.models import InitiativeOwner, Team, team_member


class DeletionRefused(Refused):
    """The account cannot be deleted like this; the message says why."""


@dataclass
class Erasure:
    """One account being deleted, and what to clean up once that is committed."""

    user: User
    now: datetime
    files: list[str] = field(default_factory=list)  # uploads to remove after the commit
    email: str = ""  # the address it had, to clear from the local mail outbox
    removed: dict[ItemType, list[int]] = field(default_factory=dict)

    def clean_up(self) -> None:
        """After the commit: the photo files and the local outbox."""
        delete_files(*self.files)
        forget_person(self.user.id, self.email)


@dataclass(frozen=True)
class Step:
    tables: tuple[str, ...]  # what this step handles (for the completeness test)
    run: Callable[[Erasure], None]


def _owned(erasure: Erasure) -> list[Listing]:
    return list(db.session.scalars(sa.select(Listing).where(Listing.owner_id == erasure.user.id)
                                   .order_by(Listing.id)))


def end_sessions(erasure: Erasure) -> None:
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == erasure.user.id))


def _withdraw_if_open(person: User, commitment: Commitment) -> None:
    """Withdraw (the other side is told), unless it ended a moment ago anyway: declined or
    withdrawn by the other side meanwhile, in which case nothing was changed."""
    with suppress(CommitmentRefused):
        withdraw(person, commitment)


def withdraw_own_commitments(erasure: Erasure) -> None:
    """Open responses the person made: withdrawn, each owner told; the amounts are free again."""
    for commitment in db.session.scalars(sa.select(Commitment).where(
            Commitment.helper_id == erasure.user.id, Commitment.status.in_(ACTIVE))):
        _withdraw_if_open(erasure.user, commitment)


def leave_initiatives(erasure: Erasure) -> None:
    """No longer a co-initiator anywhere; the person's initiatives go to a co-initiator."""
    leave_everything(erasure.user)
    for listing in _owned(erasure):
        if listing.status not in (ListingStatus.DRAFT, ListingStatus.PENDING) and pass_on(listing):
            # The spot the person chose may be their home: the new initiator gets the public one.
            listing.lat, listing.lon = listing.public_lat, listing.public_lon


def _others_took_part(listing: Listing, person: User) -> bool:
    """Someone else responded, commented, follows, or the gemeente answered or pledged."""
    checks = [
        sa.select(Commitment.id).where(Commitment.listing_id == listing.id,
                                       Commitment.helper_id != person.id),
        sa.select(Comment.id).where(Comment.listing_id == listing.id,
                                    Comment.author_id != person.id),
        sa.select(Follow.user_id).where(Follow.listing_id == listing.id,
                                        Follow.user_id != person.id),
        sa.select(RoleDecision.id).where(RoleDecision.listing_id == listing.id),
        sa.select(Pledge.id).where(Pledge.listing_id == listing.id),
        sa.select(GemeenteAnswer.id).where(GemeenteAnswer.listing_id == listing.id),
    ]
    return db.session.scalar(sa.select(sa.or_(*(sa.exists(check) for check in checks))))


def remove_or_close_listings(erasure: Erasure) -> None:
    """Listings nobody else took part in go, with their photos. The others stay, closed: the
    exact spot becomes the public one, the photos go, open responses are withdrawn."""
    person = erasure.user
    for listing in _owned(erasure):
        erasure.files += [name for photo in listing.photos
                          for name in (photo.filename, photo.thumbnail)]
        if (listing.status in (ListingStatus.DRAFT, ListingStatus.PENDING)
                or not _others_took_part(listing, person)):
            erasure.files += [name for update in db.session.scalars(
                sa.select(ProgressUpdate).where(ProgressUpdate.listing_id == listing.id))
                for name in (update.photo, update.thumbnail) if name]
            erasure.removed.setdefault(ItemType.LISTING, []).append(listing.id)
            erasure.removed.setdefault(ItemType.COMMENT, []).extend(db.session.scalars(
                sa.select(Comment.id).where(Comment.listing_id == listing.id)))
            db.session.delete(listing)
            continue
        for commitment in db.session.scalars(sa.select(Commitment).where(
                Commitment.listing_id == listing.id, Commitment.status.in_(ACTIVE))):
            _withdraw_if_open(person, commitment)  # the helper is told
        listing.lat, listing.lon = listing.public_lat, listing.public_lon
        listing.photos = []
        if listing.status in (ListingStatus.OPEN, ListingStatus.RUNNING):
            listing.status = (ListingStatus.STOPPED if listing.kind is ListingKind.INITIATIVE
                              else ListingStatus.CLOSED)
            listing.closed_at = erasure.now
    db.session.flush()


def remove_lone_comments(erasure: Erasure) -> None:
    """A comment in a conversation with others stays (without a name); the rest goes."""
    person = erasure.user
    root_id = sa.func.coalesce(Comment.parent_id, Comment.id)
    other = aliased(Comment)
    in_conversation = sa.exists().where(
        sa.or_(other.id == root_id, other.parent_id == root_id), other.author_id != person.id)
    lone = list(db.session.scalars(sa.select(Comment.id).where(
        Comment.author_id == person.id, ~in_conversation)))
    if lone:
        erasure.removed.setdefault(ItemType.COMMENT, []).extend(lone)
        db.session.execute(sa.delete(Comment).where(Comment.id.in_(lone))
                           .execution_options(synchronize_session=False))


def remove_update_photos(erasure: Erasure) -> None:
    """News the person posted on an initiative that stays keeps its text, not its photo."""
    for update in db.session.scalars(sa.select(ProgressUpdate).where(
            ProgressUpdate.author_id == erasure.user.id, ProgressUpdate.photo.is_not(None))):
        erasure.files += [update.photo, update.thumbnail]
        update.photo = update.thumbnail = None


def forget_choices(erasure: Erasure) -> None:
    """Notifications to the person, mail and push messages for them (sent or not), the devices
    that took push messages, their settings, follows, hidden suggestions and what they wrote
    to wijkwerkers (an answer they gave as wijkwerker stays, under their anonymised name)."""
    person_id = erasure.user.id
    address = (erasure.user.email or "").lower()  # none for an assisted resident
    db.session.execute(sa.delete(Delivery).where(sa.or_(
        Delivery.user_id == person_id, naming(person_id),
        sa.func.lower(Delivery.address) == address))
        .execution_options(synchronize_session=False))
    for model, column in ((Notification, Notification.user_id),
                          (PushSubscription, PushSubscription.user_id),
                          (NotificationPreference, NotificationPreference.user_id),
                          (Follow, Follow.user_id),
                          (BuurtFollow, BuurtFollow.user_id),
                          (BuurtQuestion, BuurtQuestion.sender_id),
                          (MatchDismissal, MatchDismissal.dismissed_by_id)):
        db.session.execute(sa.delete(model).where(column == person_id)
                           .execution_options(synchronize_session=False))


def leave_teams(erasure: Erasure) -> None:
    """A staff member leaves their teams; what they were responsible for stays with the team
    (reminders then go to the team), and a team they coordinated has no coordinator."""
    person_id = erasure.user.id
    db.session.execute(sa.delete(team_member).where(team_member.c.user_id == person_id))
    for model, column in ((Team, Team.coordinator_id),
                          (InitiativeOwner, InitiativeOwner.responsible_id),
                          (Pledge, Pledge.responsible_id)):
        db.session.execute(sa.update(model).where(column == person_id).values({column.key: None})
                           .execution_options(synchronize_session=False))


def forget_assistance(erasure: Erasure) -> None:
    """A resident helped by the gemeente: their address or number and the consent record go
    (the listings posted for them keep their "posted with help" mark, which names nobody)."""
    db.session.execute(sa.delete(AssistedResident).where(
        AssistedResident.user_id == erasure.user.id).execution_options(synchronize_session=False))


def unname_lessons(erasure: Erasure) -> None:
    """What the person wrote about an experiment stays with the initiative, unnamed; a recipe
    they published is the initiator's from now on (their own initiatives went already)."""
    person_id = erasure.user.id
    for column in (Experiment.lessons_by_id, Experiment.gemeente_lessons_by_id):
        db.session.execute(sa.update(Experiment).where(column == person_id)
                           .values({column.key: None})
                           .execution_options(synchronize_session=False))
    db.session.execute(
        sa.update(Recipe).where(Recipe.published_by_id == person_id)
        .values(published_by_id=sa.select(Listing.owner_id)
                .where(Listing.id == Recipe.listing_id).scalar_subquery())
        .execution_options(synchronize_session=False))


def close_cases_of_removed_items(erasure: Erasure) -> None:
    """Reports about what was removed have nothing left to judge. Reports the person made stay
    (they count towards hiding), under the anonymous account."""
    for item_type, ids in erasure.removed.items():
        remove_cases_about(item_type, ids)


def anonymise(erasure: Erasure) -> None:
    """Last of all: the row stays for the references above; its personal data goes."""
    user = erasure.user
    erasure.email = user.email or ""  # none for a resident the gemeente helped
    user.email = f"deleted-{user.id}@invalid"  # unique, and no mail can reach it
    user.name = ""
    user.password_hash = "!"  # not an argon2 hash: no password matches it
    user.roles, user.gemeente, user.home_buurt, user.locale = (), None, None, None
    user.wijken, user.buurten = [], []
    user.active = False
    user.email_confirmed_at = user.last_login_at = None
    user.suspended_until = user.suspension_reason = None
    user.deleted_at = erasure.now


STEPS = [
    Step(("login_session",), end_sessions),
    Step(("commitment",), withdraw_own_commitments),
    Step(("listing_co_initiator", "handover", "ownership_event"), leave_initiatives),
    Step(("listing",), remove_or_close_listings),
    Step(("comment",), remove_lone_comments),
    Step(("progress_update",), remove_update_photos),
    Step(("notification", "notification_preference", "follow", "buurt_follow", "match_dismissal",
          "delivery", "push_subscription", "buurt_question"), forget_choices),
    Step(("team", "team_member", "initiative_owner"), leave_teams),
    Step(("assisted_resident",), forget_assistance),
    Step(("experiment", "recipe"), unname_lessons),
    Step(("flag", "moderation_case"), close_cases_of_removed_items),
    Step(("user", "role_grant", "wijkwerker_wijk", "wijkwerker_buurt"), anonymise),
]


# What stays as it was, pointing at the anonymous account, and why.
KEPT = {
    "message": "the other party received it; it is theirs too (removed by the retention rule)",
    "commitment": "closed commitments make up the amounts covered on needs",
    "role_decision": "the gemeente's public record of its role",
    "pledge": "the gemeente's public record of what it promised",
    "gemeente_answer": "the gemeente's public answer to an initiative",
    "ownership_event": "the public history of who ran an initiative",
    "audit_entry": "the audit log cannot be changed; it names the account by number only",
    "moderation_case": "cases a moderator closed: the record of their decisions",
    "flag": "reports the person made count towards hiding (removed by the retention rule)",
    "assisted_listing": "marks a listing as posted with help; names the employee by number only",
    "match": "a match a wijkwerker introduced names them by number only",
    "gemeente_request": "the public record of what the gemeente was asked about a need, and said",
    "experiment": "what was learned stays with the initiative, without the writer's name",
    "recipe": "a recipe stays with its initiative, published in the name of its initiator",
}


def delete_account(user: User, *, by: User | None, reason: str | None = None) -> Erasure:
    """Delete ``user``'s account: see the module's description. ``by`` is who asked."""
    lock(user)  # two requests at once delete once
    if user.deleted_at is not None:
        raise DeletionRefused(_("This account is already deleted."))
    if is_last_admin(user):
        raise DeletionRefused(_("This is the last admin: make someone else admin first."))
    erasure = Erasure(user=user, now=clock.now())
    for step in STEPS:
        step.run(erasure)
        db.session.flush()
    record(by, "user.delete", user, reason=reason)
    return erasure


def delete_own_account(user: User, password: str) -> Erasure:
    """The person deletes their own account, confirming with their password."""
    if not verify_password(user.password_hash, password):
        raise DeletionRefused(_("This is not your password."), field="password")
    return delete_account(user, by=user)


def delete_on_request(user: User, *, by: User, reason: str) -> Erasure:
    """An admin deletes an account on the person's request, saying why."""
    if user.id == by.id:
        raise DeletionRefused(_("Delete your own account on your account page."))
    return delete_account(user, by=by, reason=reason.strip())
