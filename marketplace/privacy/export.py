"""Everything the platform holds about a person, as a ZIP of JSON and CSV files (AVG art. 15
and 20): the right of access and of data portability, on the person's own account page.

Each part names the tables it reads; ``tests/test_privacy_rights.py`` checks that every table
pointing at a person is in some part, so a new feature cannot quietly keep data out of it.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.accountability.models import (
    GemeenteAnswer,
    GemeenteRequest,
    Pledge,
    RoleDecision,
)
from marketplace.assisted.models import AssistedListing, AssistedResident
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import LoginSession, User
from marketplace.buurten.models import BuurtQuestion
from marketplace.comments.models import Comment
from marketplace.commitments.models import Commitment, Message
from marketplace.delivery.models import Delivery, PushSubscription
from marketplace.experiments.models import Experiment, Recipe
from marketplace.extensions import db
from marketplace.following.models import BuurtFollow, Follow, ProgressUpdate
from marketplace.geo.models import Buurt
from marketplace.listings.models import Listing, Photo, listing_co_initiator
from marketplace.listings.photos import upload_dir
from marketplace.matching.models import Match, MatchDismissal
from marketplace.moderation.models import Flag, ModerationCase
from marketplace.notifications.models import Notification
from marketplace.notifications.services import preferences_of
from marketplace.notifications.texts import describe
from marketplace.ownership.models import Handover, OwnershipEvent
from marketplace.teams.models import InitiativeOwner, Team, team_member
from marketplace.text import spreadsheet_safe

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Part:
    name: str  # <name>.json and <name>.csv in the download
    tables: tuple[str, ...]  # what it reads (for the completeness test)
    rows: Callable[[User], Rows]
    description: Any  # a lazy string, for the README in the download


def when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _all(query: sa.Select) -> list:
    return list(db.session.scalars(query))


def profile(user: User) -> Rows:
    return [{
        "id": user.id, "email": user.email, "name": user.name, "roles": sorted(user.roles),
        "gemeente": user.gemeente.code if user.gemeente else None,
        "home_buurt": user.home_buurt.code if user.home_buurt else None,
        "language": user.locale, "active": user.active, "created_at": when(user.created_at),
        "email_confirmed_at": when(user.email_confirmed_at),
        "privacy_statement_accepted_at": when(user.privacy_accepted_at),
        "last_login_at": when(user.last_login_at),
        "suspended_until": when(user.suspended_until),
        "suspension_reason": user.suspension_reason,
        "moderates_wijken": [wijk.code for wijk in user.wijken],
        "moderates_buurten": [buurt.code for buurt in user.buurten],
    }]


def login_sessions(user: User) -> Rows:
    return [{"started_at": when(s.created_at), "last_used_at": when(s.last_seen_at),
             "remembered": s.remember}
            for s in _all(sa.select(LoginSession).where(LoginSession.user_id == user.id)
                          .order_by(LoginSession.created_at))]


def notification_settings(user: User) -> Rows:
    return [{"kind": kind.value, "email": frequency.value}
            for kind, frequency in preferences_of(user).items()]


def listings(user: User) -> Rows:
    return [{
        "id": listing.id, "kind": listing.kind.value, "status": listing.status.value,
        "title": listing.title, "description": listing.description,
        "category": listing.category.slug, "buurt": listing.buurt.code,
        "latitude": listing.lat, "longitude": listing.lon,
        "public_latitude": listing.public_lat, "public_longitude": listing.public_lon,
        "public_space": listing.is_public_space, "when": listing.when_text,
        "created_at": when(listing.created_at), "updated_at": when(listing.updated_at),
        "published_at": when(listing.published_at), "closed_at": when(listing.closed_at),
        "hidden_at": when(listing.hidden_at), "hidden_reason": listing.hidden_reason,
        "needs": [{"kind": r.kind.value, "description": r.description, "quantity": r.quantity,
                   "unit": r.unit, "committed": r.committed} for r in listing.resources],
        "photos": [f"photos/{photo.filename}" for photo in listing.photos],
        "co_initiators": [person.display_name for person in listing.co_initiators],
    } for listing in _all(sa.select(Listing).where(Listing.owner_id == user.id)
                          .options(selectinload(Listing.resources), selectinload(Listing.photos),
                                   selectinload(Listing.co_initiators))
                          .order_by(Listing.created_at))]


def co_initiatives(user: User) -> Rows:
    return [{"listing_id": listing.id, "title": listing.title}
            for listing in _all(sa.select(Listing).join(
                listing_co_initiator, listing_co_initiator.c.listing_id == Listing.id)
                .where(listing_co_initiator.c.user_id == user.id))]


def _commitment(commitment: Commitment) -> dict:
    return {"id": commitment.id, "listing_id": commitment.listing_id,
            "listing": commitment.listing.title, "need": commitment.resource.description,
            "quantity": commitment.quantity, "note": commitment.note,
            "status": commitment.status.value, "created_at": when(commitment.created_at),
            "decided_at": when(commitment.decided_at), "closed_at": when(commitment.closed_at)}


def commitments(user: User) -> Rows:
    """What the person committed to, or asked for."""
    return [_commitment(c) for c in _all(
        sa.select(Commitment).where(Commitment.helper_id == user.id).order_by(Commitment.id))]


def responses_received(user: User) -> Rows:
    """Responses to the person's own listings (with the name the helper shows)."""
    return [{**_commitment(c), "from": c.helper.display_name} for c in _all(
        sa.select(Commitment).join(Listing, Commitment.listing_id == Listing.id)
        .where(Listing.owner_id == user.id).order_by(Commitment.id))]


def messages(user: User) -> Rows:
    """Private messages in the person's conversations, both ways."""
    own_listings = sa.select(Listing.id).where(Listing.owner_id == user.id)
    conversations = sa.select(Commitment.id).where(sa.or_(
        Commitment.helper_id == user.id, Commitment.listing_id.in_(own_listings)))
    return [{"conversation": m.commitment_id, "listing": m.commitment.listing.title,
             "from": "me" if m.sender_id == user.id else m.sender.display_name,
             "text": m.body, "sent_at": when(m.created_at), "hidden_at": when(m.hidden_at)}
            for m in _all(sa.select(Message).where(Message.commitment_id.in_(conversations))
                          .order_by(Message.created_at))]


def comments(user: User) -> Rows:
    return [{"id": c.id, "listing_id": c.listing_id, "listing": c.listing.title,
             "reply_to": c.parent_id, "text": c.body, "created_at": when(c.created_at),
             "edited_at": when(c.edited_at), "deleted_at": when(c.deleted_at),
             "hidden_at": when(c.hidden_at), "hidden_reason": c.hidden_reason}
            for c in _all(sa.select(Comment).where(Comment.author_id == user.id)
                          .order_by(Comment.created_at))]


def reports(user: User) -> Rows:
    """What the person reported, and what became of it."""
    return [{"item": f.item_type.value, "item_id": f.item_id, "reason": f.reason.value,
             "note": f.note, "reported_at": when(f.created_at),
             "outcome": f.case.outcome.value if f.case.outcome else "open"}
            for f in _all(sa.select(Flag).where(Flag.reporter_id == user.id)
                          .options(selectinload(Flag.case)).order_by(Flag.created_at))]


def notifications(user: User) -> Rows:
    return [{"text": describe(n, user.locale), "kind": n.kind.value,
             "created_at": when(n.created_at), "read_at": when(n.read_at),
             "mail_queued_at": when(n.mail_queued_at)}
            for n in _all(sa.select(Notification).where(Notification.user_id == user.id)
                          .options(selectinload(Notification.actor),
                                   selectinload(Notification.listing))
                          .order_by(Notification.created_at))]


def messages_sent(user: User) -> Rows:
    """Mail and push messages for the person, with what became of them (not their text: the
    notifications and the mail itself say that)."""
    return [{"channel": d.channel.value, "subject": d.subject, "status": d.status.value,
             "attempts": d.attempts, "queued_at": when(d.created_at), "sent_at": when(d.sent_at)}
            for d in _all(sa.select(Delivery).where(Delivery.user_id == user.id)
                          .order_by(Delivery.created_at))]


def push_devices(user: User) -> Rows:
    """The browsers that take push messages for the person: the push service, not the address."""
    return [{"push_service": urlsplit(s.endpoint).hostname, "since": when(s.created_at)}
            for s in _all(sa.select(PushSubscription).where(PushSubscription.user_id == user.id)
                          .order_by(PushSubscription.created_at))]


def follows(user: User) -> Rows:
    return [{"listing_id": f.listing_id, "since": when(f.created_at)}
            for f in _all(sa.select(Follow).where(Follow.user_id == user.id))]


def buurt_follows(user: User) -> Rows:
    return [{"buurt": code, "since": when(created_at)}
            for code, created_at in db.session.execute(
                sa.select(Buurt.code, BuurtFollow.created_at)
                .join(BuurtFollow, BuurtFollow.buurt_id == Buurt.id)
                .where(BuurtFollow.user_id == user.id).order_by(Buurt.code))]


def lessons(user: User) -> Rows:
    rows = []
    for experiment in _all(sa.select(Experiment).where(sa.or_(
            Experiment.lessons_by_id == user.id, Experiment.gemeente_lessons_by_id == user.id))):
        if experiment.lessons_by_id == user.id:
            rows.append({"listing_id": experiment.listing_id, "as": "initiator",
                         "text": experiment.lessons, "at": when(experiment.lessons_at)})
        if experiment.gemeente_lessons_by_id == user.id:
            rows.append({"listing_id": experiment.listing_id, "as": "gemeente",
                         "text": experiment.gemeente_lessons,
                         "at": when(experiment.gemeente_lessons_at)})
    return rows


def recipes(user: User) -> Rows:
    return [{"listing_id": r.listing_id, "published_at": when(r.published_at)}
            for r in _all(sa.select(Recipe).where(Recipe.published_by_id == user.id))]


def buurt_questions(user: User) -> Rows:
    rows = [{"buurt": q.buurt.code, "wrote": q.body, "at": when(q.created_at),
             "answer": q.answer, "answered_at": when(q.answered_at)}
            for q in _all(sa.select(BuurtQuestion).where(BuurtQuestion.sender_id == user.id)
                          .order_by(BuurtQuestion.created_at))]
    rows += [{"buurt": q.buurt.code, "answered": q.answer, "at": when(q.answered_at)}
             for q in _all(sa.select(BuurtQuestion)
                           .where(BuurtQuestion.answered_by_id == user.id)
                           .order_by(BuurtQuestion.answered_at))]
    return rows


def progress_updates(user: User) -> Rows:
    return [{"listing_id": u.listing_id, "text": u.body, "posted_at": when(u.created_at),
             "photo": f"photos/{u.photo}" if u.photo else None}
            for u in _all(sa.select(ProgressUpdate).where(ProgressUpdate.author_id == user.id)
                          .order_by(ProgressUpdate.created_at))]


def initiative_history(user: User) -> Rows:
    """Handovers and co-initiator changes the person took part in."""
    events = [{"listing_id": e.listing_id, "event": e.kind.value, "at": when(e.created_at),
               "role": "person" if e.person_id == user.id else "by"}
              for e in _all(sa.select(OwnershipEvent).where(sa.or_(
                  OwnershipEvent.person_id == user.id, OwnershipEvent.by_id == user.id)))]
    handovers = [{"listing_id": h.listing_id, "event": f"handover_{h.status.value}",
                  "at": when(h.created_at), "role": "from" if h.from_id == user.id else "to"}
                 for h in _all(sa.select(Handover).where(sa.or_(
                     Handover.from_id == user.id, Handover.to_id == user.id)))]
    return events + handovers


def hidden_suggestions(user: User) -> Rows:
    return [{"need": d.resource_id, "suggestion": d.suggested_resource_id}
            for d in _all(sa.select(MatchDismissal).where(MatchDismissal.dismissed_by_id == user.id))]


def gemeente_work(user: User) -> Rows:
    """For staff: roles stated, pledges made and answers given in the gemeente's name."""
    roles = [{"what": "role", "listing_id": r.listing_id, "role": r.role.value,
              "text": r.explanation, "at": when(r.created_at)}
             for r in _all(sa.select(RoleDecision).where(RoleDecision.set_by_id == user.id))]
    pledges = [{"what": "pledge", "listing_id": p.listing_id, "role": p.kind.value,
                "text": p.description, "at": when(p.created_at)}
               for p in _all(sa.select(Pledge).where(Pledge.created_by_id == user.id))]
    answers = [{"what": "answer", "listing_id": a.listing_id, "role": None, "text": a.body,
                "at": when(a.created_at)}
               for a in _all(sa.select(GemeenteAnswer).where(GemeenteAnswer.author_id == user.id))]
    return roles + pledges + answers


def gemeente_teams(user: User) -> Rows:
    """For staff: the teams they are in or coordinate, and the initiatives they own."""
    teams = [{"what": "team", "team": t.name, "coordinator": t.coordinator_id == user.id,
              "listing_id": None}
             for t in _all(sa.select(Team).where(sa.or_(
                 Team.coordinator_id == user.id,
                 Team.id.in_(sa.select(team_member.c.team_id)
                             .where(team_member.c.user_id == user.id))))
                 .order_by(Team.name))]
    owned = [{"what": "responsible", "team": None, "coordinator": False,
              "listing_id": o.listing_id}
             for o in _all(sa.select(InitiativeOwner)
                           .where(InitiativeOwner.responsible_id == user.id))]
    return teams + owned


def introductions(user: User) -> Rows:
    """For wijkwerkers: the needs and offers they put in touch."""
    return [{"need_id": m.need_id, "offer_id": m.offer_id, "at": when(m.introduced_at)}
            for m in _all(sa.select(Match).where(Match.introduced_by_id == user.id)
                          .order_by(Match.introduced_at))]


def gemeente_questions(user: User) -> Rows:
    """Questions asked to the gemeente about a need, and (for staff) the ones they declined."""
    return [{"listing_id": q.listing_id, "need_id": q.resource_id, "kind": q.kind.value,
             "motivation": q.motivation, "status": q.status.value, "asked_by_me":
             q.asked_by_id == user.id, "answer": q.answer_note, "at": when(q.created_at)}
            for q in _all(sa.select(GemeenteRequest).where(sa.or_(
                GemeenteRequest.asked_by_id == user.id, GemeenteRequest.decided_by_id == user.id))
                .order_by(GemeenteRequest.created_at))]


def assistance(user: User) -> Rows:
    """Help from the gemeente: for a helped resident how updates reach them and their consent;
    for an employee the residents whose consent they recorded and the listings they posted."""
    rows = [{"what": "helped", "channel": a.channel.value, "contact": a.contact,
             "consent": a.consent_way.value, "consent_note": a.consent_note,
             "consent_at": when(a.consent_at), "taken_over_at": when(a.taken_over_at),
             "person_id": None, "listing_id": None}
            for a in _all(sa.select(AssistedResident).where(AssistedResident.user_id == user.id))]
    rows += [{"what": "consent_recorded", "channel": None, "contact": None,
              "consent": a.consent_way.value, "consent_note": None,
              "consent_at": when(a.consent_at), "taken_over_at": None, "person_id": a.user_id,
              "listing_id": None}
             for a in _all(sa.select(AssistedResident)
                           .where(AssistedResident.consent_by_id == user.id))]
    rows += [{"what": "posted_for", "channel": None, "contact": None, "consent": None,
              "consent_note": None, "consent_at": when(a.created_at), "taken_over_at": None,
              "person_id": None, "listing_id": a.listing_id}
             for a in _all(sa.select(AssistedListing).where(AssistedListing.helper_id == user.id))]
    return rows


def decisions(user: User) -> Rows:
    """Audit entries about the person (warnings, suspensions, role changes) and, for
    moderators, staff and admins, what they did themselves; and cases they closed."""
    entries = [{"at": when(e.at), "action": e.action,
                "by_me": e.actor_id == user.id, "about": f"{e.subject_type} {e.subject_id}",
                "reason": e.reason}
               for e in _all(sa.select(AuditEntry).where(sa.or_(
                   AuditEntry.actor_id == user.id,
                   sa.and_(AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id)))
                   .order_by(AuditEntry.at))]
    closed = [{"at": when(c.closed_at), "action": f"case.{c.outcome.value}", "by_me": True,
               "about": f"{c.item_type.value} {c.item_id}", "reason": None}
              for c in _all(sa.select(ModerationCase).where(ModerationCase.closed_by_id == user.id))]
    return entries + closed


PARTS = [
    Part("profile", ("user", "role_grant", "wijkwerker_wijk", "wijkwerker_buurt"), profile,
         _l("your account: e-mail address, name, role, buurt, language, important dates")),
    Part("login_sessions", ("login_session",), login_sessions,
         _l("where you are logged in: when each session started and was last used")),
    Part("notification_settings", ("notification_preference",), notification_settings,
         _l("how often you want e-mail, per kind of notification")),
    Part("listings", ("listing",), listings,
         _l("your initiatives, offers and requests, with their needs and the exact spot")),
    Part("co_initiatives", ("listing_co_initiator",), co_initiatives,
         _l("initiatives you run together with their initiator")),
    Part("commitments", ("commitment",), commitments,
         _l("your responses to needs, offers and requests")),
    Part("responses_received", ("commitment",), responses_received,
         _l("responses of others to your listings")),
    Part("messages", ("message",), messages,
         _l("private messages in your conversations, sent and received")),
    Part("comments", ("comment",), comments, _l("your comments and replies")),
    Part("reports", ("flag",), reports, _l("what you reported to the wijkwerkers")),
    Part("notifications", ("notification",), notifications, _l("your notifications")),
    Part("messages_sent", ("delivery",), messages_sent,
         _l("e-mails and push messages to you: when, about what, and whether they arrived")),
    Part("push_devices", ("push_subscription",), push_devices,
         _l("the browsers that show you push messages")),
    Part("follows", ("follow",), follows, _l("listings you follow")),
    Part("buurt_follows", ("buurt_follow",), buurt_follows, _l("buurten you follow")),
    Part("lessons", ("experiment",), lessons, _l("what you wrote an experiment taught")),
    Part("buurt_questions", ("buurt_question",), buurt_questions,
         _l("what you wrote to wijkwerkers and their answers, or answered as wijkwerker")),
    Part("recipes", ("recipe",), recipes, _l("initiatives you offered as a recipe")),
    Part("progress_updates", ("progress_update",), progress_updates,
         _l("news you posted on initiatives")),
    Part("initiative_history", ("ownership_event", "handover"), initiative_history,
         _l("handovers and co-initiator changes you took part in")),
    Part("hidden_suggestions", ("match_dismissal",), hidden_suggestions,
         _l("match suggestions you hid")),
    Part("gemeente_work", ("role_decision", "pledge", "gemeente_answer"), gemeente_work,
         _l("for gemeente staff: roles, pledges and answers in the gemeente's name")),
    Part("gemeente_teams", ("team", "team_member", "initiative_owner"), gemeente_teams,
         _l("for gemeente staff: your teams, and the initiatives you are responsible for")),
    Part("introductions", ("match",), introductions,
         _l("for wijkwerkers: needs and offers you put in touch")),
    Part("gemeente_questions", ("gemeente_request",), gemeente_questions,
         _l("what you asked the gemeente about needs, and its answers")),
    Part("assistance", ("assisted_resident", "assisted_listing"), assistance,
         _l("help from the gemeente: how news reaches you and your consent; for employees, "
            "whom they helped")),
    Part("decisions", ("audit_entry", "moderation_case"), decisions,
         _l("decisions about your account, and for moderators and admins what they decided")),
]


def photo_files(user: User) -> list[str]:
    """The photos of the person's listings and progress updates, by file name."""
    return [*db.session.scalars(sa.select(Photo.filename).join(Listing)
                                .where(Listing.owner_id == user.id)),
            *db.session.scalars(sa.select(ProgressUpdate.photo).where(
                ProgressUpdate.author_id == user.id, ProgressUpdate.photo.is_not(None)))]


def _csv(rows: Rows) -> str:
    buffer = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(json.dumps(value, ensure_ascii=False)
                                               if isinstance(value, list | dict) else value)
                         for key, value in row.items()})
    return buffer.getvalue()


def build_archive(user: User) -> IO[bytes]:
    """The ZIP, in a temporary file that stays in memory while small."""
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (sent, then closed)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        with force_locale(user.locale or "nl"):
            zipped.writestr("README.txt", render_template(
                "privacy/export_readme.txt", user=user, parts=PARTS, made_at=clock.now()))
        for part in PARTS:
            rows = part.rows(user)
            zipped.writestr(f"{part.name}.json",
                            json.dumps(rows, ensure_ascii=False, indent=2))
            zipped.writestr(f"{part.name}.csv", _csv(rows))
        folder = upload_dir()
        for name in photo_files(user):
            path = folder / name
            if path.is_file():
                zipped.write(path, f"photos/{name}")
    archive.seek(0)
    return archive
