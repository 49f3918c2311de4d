"""Removing the demo: the demo gemeente, its wijken and buurten, the demo accounts, and every row
that hangs on them, in an order the foreign keys allow (PostgreSQL and SQLite alike).

What goes: the listings in the demo buurten or of the demo accounts with everything on them
(needs, photos and their files, comments, responses and their messages, follows, news, the
gemeente's roles, answers and pledges, co-initiators, handovers), the demo accounts' own traces
elsewhere (comments, responses, reports, follows, notifications), the moderation cases of the
demo buurten, and the audit entries that name a demo row. What stays: every other gemeente,
buurt, account and listing. A real resident who took part in the demo keeps their account; only
what they did on demo listings goes with those listings. A reply of theirs to a demo account's
comment elsewhere stays, as a comment of its own.

The audit log is append-only; this is the one deliberate exception after migration 0010. The
demo's entries point at the demo gemeente, buurten and accounts, so those rows could not go
otherwise. The guard is set aside inside this transaction only (other connections never see it
lifted) and one entry, ``demo.remove`` with the counts, records that the demo was removed.
Services flush; the caller commits, then calls :meth:`DemoRemoval.clean_up` to delete files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa

from marketplace import clock
from marketplace.accountability.models import GemeenteAnswer, GemeenteRequest, Pledge, RoleDecision
from marketplace.assisted.models import AssistedListing, AssistedResident
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import (
    GEMEENTE_ROLES,
    LoginSession,
    RoleGrant,
    User,
    wijkwerker_buurt,
    wijkwerker_wijk,
)
from marketplace.buurten.models import BuurtQuestion
from marketplace.comments.models import Comment
from marketplace.commitments.models import HOLDING, Commitment, Message
from marketplace.delivery.models import Delivery
from marketplace.delivery.services import naming
from marketplace.demo import DEMO_ACCOUNTS, DEMO_GEMEENTE_CODE, DEMO_GEMEENTE_NAME
from marketplace.experiments.models import Experiment, Recipe, RecipeCopy
from marketplace.extensions import db
from marketplace.following.models import BuurtFollow, Follow, ProgressUpdate
from marketplace.geo.locator import forget_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.models import Category, Listing, Photo, Resource, listing_co_initiator
from marketplace.listings.photos import delete_files
from marketplace.mail import forget_person
from marketplace.matching.models import Match, MatchDismissal
from marketplace.moderation.models import Flag, ItemType, ModerationCase
from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.nudges.models import ListingNudge
from marketplace.ownership.models import Handover, OwnershipEvent
from marketplace.teams.models import InitiativeOwner, Team, team_member


@dataclass
class DemoRemoval:
    """What was removed (rows per table), and what to clean up once that is committed."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # uploads to delete after the commit
    people: list[tuple[int, str]] = field(default_factory=list)  # (id, e-mail) of demo accounts

    @property
    def found(self) -> bool:
        return bool(self.counts)

    def clean_up(self) -> None:
        """After the commit: photo files, the demo accounts' local mail, the buurt index."""
        delete_files(*self.files)
        for person_id, email in self.people:
            forget_person(person_id, email)
        forget_buurten()


def _ids(query: sa.Select) -> list[int]:
    return list(db.session.scalars(query))


def _delete(removal: DemoRemoval, table, condition) -> None:
    table = getattr(table, "__table__", table)
    result = db.session.execute(sa.delete(table).where(condition)
                                .execution_options(synchronize_session=False))
    if result.rowcount:
        removal.counts[table.name] = removal.counts.get(table.name, 0) + result.rowcount


def _files(rows: Iterable[tuple[str | None, str | None]]) -> list[str]:
    return [name for row in rows for name in row if name]


@contextmanager
def _audit_log_opened() -> Iterator[sa.Connection]:
    """This transaction's connection with the audit log's append-only triggers set aside.

    DDL is transactional on both databases: another connection never sees the triggers gone,
    and a failure rolls their removal back with everything else.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(
            "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        yield connection
        connection.execute(sa.text(
            "ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only"))
        return
    triggers = connection.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'audit_entry' AND name = 'audit_entry_no_delete'")).all()
    for name, _sql in triggers:
        connection.execute(sa.text(f"DROP TRIGGER {name}"))
    yield connection
    for _name, sql in triggers:
        connection.execute(sa.text(sql))


def remove_demo() -> DemoRemoval:
    """Delete the demo and everything that hangs on it (see the module); nothing when absent."""
    removal = DemoRemoval()
    gemeenten = _ids(sa.select(Gemeente.id).where(Gemeente.code == DEMO_GEMEENTE_CODE))
    demo_people = db.session.execute(sa.select(User.id, User.email).where(
        User.email.in_([account.email for account in DEMO_ACCOUNTS]))).all()
    if not gemeenten and not demo_people:
        return removal
    removal.people = [(person_id, email) for person_id, email in demo_people]
    people = [person_id for person_id, _email in demo_people]
    wijken = _ids(sa.select(Wijk.id).where(Wijk.gemeente_id.in_(gemeenten)))
    buurten = _ids(sa.select(Buurt.id).where(Buurt.wijk_id.in_(wijken)))
    listings = _ids(sa.select(Listing.id).where(sa.or_(
        Listing.buurt_id.in_(buurten), Listing.gemeente_id.in_(gemeenten),
        Listing.owner_id.in_(people))))
    resources = _ids(sa.select(Resource.id).where(Resource.listing_id.in_(listings)))
    commitments = _ids(sa.select(Commitment.id).where(sa.or_(
        Commitment.listing_id.in_(listings), Commitment.helper_id.in_(people))))
    comments = _ids(sa.select(Comment.id).where(sa.or_(
        Comment.listing_id.in_(listings), Comment.author_id.in_(people))))
    messages = _ids(sa.select(Message.id).where(sa.or_(
        Message.commitment_id.in_(commitments), Message.sender_id.in_(people))))
    pledges = _ids(sa.select(Pledge.id).where(sa.or_(
        Pledge.listing_id.in_(listings), Pledge.created_by_id.in_(people))))
    decisions = _ids(sa.select(RoleDecision.id).where(sa.or_(
        RoleDecision.listing_id.in_(listings), RoleDecision.set_by_id.in_(people))))
    answers = _ids(sa.select(GemeenteAnswer.id).where(sa.or_(
        GemeenteAnswer.listing_id.in_(listings), GemeenteAnswer.author_id.in_(people))))
    updates = sa.or_(ProgressUpdate.listing_id.in_(listings),
                     ProgressUpdate.author_id.in_(people))

    # Notifications and reports first: they point at nearly everything below.
    _delete(removal, Notification, sa.or_(
        Notification.user_id.in_(people), Notification.actor_id.in_(people),
        Notification.listing_id.in_(listings), Notification.commitment_id.in_(commitments)))
    about_removed = sa.or_(
        sa.and_(ModerationCase.item_type == ItemType.LISTING,
                ModerationCase.item_id.in_(listings)),
        sa.and_(ModerationCase.item_type == ItemType.COMMENT,
                ModerationCase.item_id.in_(comments)),
        sa.and_(ModerationCase.item_type == ItemType.MESSAGE,
                ModerationCase.item_id.in_(messages)))
    cases = _ids(sa.select(ModerationCase.id).where(
        sa.or_(ModerationCase.buurt_id.in_(buurten), about_removed)))
    _delete(removal, Flag, sa.or_(Flag.case_id.in_(cases), Flag.reporter_id.in_(people)))
    _delete(removal, ModerationCase, ModerationCase.id.in_(cases))
    db.session.execute(sa.update(ModerationCase).where(ModerationCase.closed_by_id.in_(people))
                       .values(closed_by_id=None).execution_options(synchronize_session=False))

    # Responses: a demo account's response to a real need frees the amount it held.
    for resource_id, quantity in db.session.execute(sa.select(
            Commitment.resource_id, Commitment.quantity).where(
            Commitment.id.in_(commitments), Commitment.listing_id.not_in(listings),
            Commitment.status.in_(HOLDING))).all():
        db.session.execute(sa.update(Resource).where(Resource.id == resource_id)
                           .values(committed=Resource.committed - quantity)
                           .execution_options(synchronize_session=False))
    _delete(removal, Delivery, sa.or_(Delivery.user_id.in_(people),
                                      *(naming(person) for person in people)))
    _delete(removal, Match, sa.or_(Match.need_id.in_(resources), Match.offer_id.in_(resources)))
    _delete(removal, MatchDismissal, sa.or_(
        MatchDismissal.resource_id.in_(resources),
        MatchDismissal.suggested_resource_id.in_(resources),
        MatchDismissal.dismissed_by_id.in_(people)))
    db.session.execute(sa.update(Match).where(Match.introduced_by_id.in_(people))
                       .values(introduced_by_id=None).execution_options(synchronize_session=False))
    _delete(removal, Message, Message.id.in_(messages))
    _delete(removal, Commitment, Commitment.id.in_(commitments))
    _delete(removal, Follow, sa.or_(Follow.listing_id.in_(listings), Follow.user_id.in_(people)))
    _delete(removal, RecipeCopy, sa.or_(RecipeCopy.listing_id.in_(listings),
                                        RecipeCopy.recipe_id.in_(listings)))
    _delete(removal, Recipe, sa.or_(Recipe.listing_id.in_(listings),
                                    Recipe.published_by_id.in_(people)))
    _delete(removal, Experiment, Experiment.listing_id.in_(listings))
    db.session.execute(sa.update(Experiment).where(Experiment.lessons_by_id.in_(people))
                       .values(lessons_by_id=None).execution_options(synchronize_session=False))
    db.session.execute(sa.update(Experiment).where(Experiment.gemeente_lessons_by_id.in_(people))
                       .values(gemeente_lessons_by_id=None)
                       .execution_options(synchronize_session=False))
    _delete(removal, BuurtFollow, sa.or_(BuurtFollow.buurt_id.in_(buurten),
                                         BuurtFollow.user_id.in_(people)))
    _delete(removal, BuurtQuestion, sa.or_(BuurtQuestion.buurt_id.in_(buurten),
                                           BuurtQuestion.sender_id.in_(people)))
    db.session.execute(sa.update(BuurtQuestion).where(BuurtQuestion.answered_by_id.in_(people))
                       .values(answered_by_id=None).execution_options(synchronize_session=False))

    # A real resident's reply to a demo account's comment elsewhere stays, as a comment of its own.
    db.session.execute(sa.update(Comment).where(
        Comment.parent_id.in_(comments), Comment.id.not_in(comments))
        .values(parent_id=None).execution_options(synchronize_session=False))
    _delete(removal, Comment, sa.and_(Comment.id.in_(comments), Comment.parent_id.is_not(None)))
    _delete(removal, Comment, Comment.id.in_(comments))

    removal.files += _files(db.session.execute(
        sa.select(ProgressUpdate.photo, ProgressUpdate.thumbnail).where(updates)))
    _delete(removal, ProgressUpdate, updates)
    _delete(removal, GemeenteAnswer, GemeenteAnswer.id.in_(answers))
    _delete(removal, GemeenteRequest, sa.or_(
        GemeenteRequest.listing_id.in_(listings), GemeenteRequest.pledge_id.in_(pledges),
        GemeenteRequest.asked_by_id.in_(people), GemeenteRequest.decided_by_id.in_(people)))
    _delete(removal, Pledge, Pledge.id.in_(pledges))
    _delete(removal, RoleDecision, RoleDecision.id.in_(decisions))
    _delete(removal, Handover, sa.or_(Handover.listing_id.in_(listings),
                                      Handover.from_id.in_(people), Handover.to_id.in_(people)))
    _delete(removal, OwnershipEvent, sa.or_(OwnershipEvent.listing_id.in_(listings),
                                            OwnershipEvent.person_id.in_(people)))
    db.session.execute(sa.update(OwnershipEvent).where(OwnershipEvent.by_id.in_(people))
                       .values(by_id=None).execution_options(synchronize_session=False))
    _delete(removal, listing_co_initiator, sa.or_(
        listing_co_initiator.c.listing_id.in_(listings),
        listing_co_initiator.c.user_id.in_(people)))
    removal.files += _files(db.session.execute(
        sa.select(Photo.filename, Photo.thumbnail).where(Photo.listing_id.in_(listings))))
    _delete(removal, Photo, Photo.listing_id.in_(listings))
    for model in (AssistedListing, ListingNudge, InitiativeOwner):
        _delete(removal, model, model.listing_id.in_(listings))
    _delete(removal, Resource, Resource.id.in_(resources))
    _delete(removal, Listing, Listing.id.in_(listings))
    # The demo gemeente's teams; demo staff in real teams leave them.
    teams = _ids(sa.select(Team.id).where(Team.gemeente_id.in_(gemeenten)))
    _delete(removal, team_member, sa.or_(team_member.c.team_id.in_(teams),
                                         team_member.c.user_id.in_(people)))
    for model, column in ((Team, Team.coordinator_id),
                          (InitiativeOwner, InitiativeOwner.responsible_id),
                          (Pledge, Pledge.responsible_id),
                          (AssistedListing, AssistedListing.helper_id),
                          (AssistedResident, AssistedResident.consent_by_id)):
        db.session.execute(sa.update(model).where(column.in_(people)).values({column.key: None})
                           .execution_options(synchronize_session=False))
    _delete(removal, Team, Team.id.in_(teams))
    # Residents helped by the demo gemeente keep their account, without the demo's help.
    _delete(removal, AssistedResident, AssistedResident.gemeente_id.in_(gemeenten))
    _delete(removal, Category, Category.gemeente_id.in_(gemeenten))

    # The audit entries that name a demo row: by a demo account, in the demo's area, or about it.
    removed = {"user": people, "gemeente": gemeenten, "wijk": wijken, "buurt": buurten,
               "listing": listings, "comment": comments, "message": messages,
               "commitment": commitments, "pledge": pledges, "role_decision": decisions,
               "gemeente_answer": answers}
    audit = AuditEntry.__table__
    condition = sa.or_(audit.c.actor_id.in_(people), audit.c.gemeente_id.in_(gemeenten),
                       audit.c.buurt_id.in_(buurten),
                       *(sa.and_(audit.c.subject_type == kind, audit.c.subject_id.in_(ids))
                         for kind, ids in removed.items() if ids))
    with _audit_log_opened() as connection:
        entries = connection.execute(sa.delete(audit).where(condition)).rowcount
    if entries:
        removal.counts[audit.name] = entries

    _delete(removal, LoginSession, LoginSession.user_id.in_(people))
    _delete(removal, NotificationPreference, NotificationPreference.user_id.in_(people))
    _delete(removal, wijkwerker_wijk, sa.or_(wijkwerker_wijk.c.user_id.in_(people),
                                             wijkwerker_wijk.c.wijk_id.in_(wijken)))
    _delete(removal, wijkwerker_buurt, sa.or_(wijkwerker_buurt.c.user_id.in_(people),
                                              wijkwerker_buurt.c.buurt_id.in_(buurten)))
    # Real accounts that lived in, or worked for, the demo keep their account without it (and
    # without the roles they held for it).
    db.session.execute(sa.update(User).where(User.home_buurt_id.in_(buurten))
                       .values(home_buurt_id=None).execution_options(synchronize_session=False))
    _delete(removal, RoleGrant, sa.or_(RoleGrant.user_id.in_(people), sa.and_(
        RoleGrant.role.in_(GEMEENTE_ROLES),
        RoleGrant.user_id.in_(sa.select(User.id).where(User.gemeente_id.in_(gemeenten))))))
    db.session.execute(sa.update(User).where(User.gemeente_id.in_(gemeenten))
                       .values(gemeente_id=None).execution_options(synchronize_session=False))
    _delete(removal, User, User.id.in_(people))
    _delete(removal, Buurt, Buurt.id.in_(buurten))
    _delete(removal, Wijk, Wijk.id.in_(wijken))
    _delete(removal, Gemeente, Gemeente.id.in_(gemeenten))

    db.session.add(AuditEntry(
        at=clock.now(), actor_id=None, action="demo.remove", subject_type="gemeente",
        subject_id=gemeenten[0] if gemeenten else None, subject_label=DEMO_GEMEENTE_NAME,
        reason="flask remove-demo", before=dict(removal.counts), after=None))
    db.session.flush()
    db.session.expire_all()  # objects loaded before may be gone now
    return removal
