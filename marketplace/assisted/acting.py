"""An employee working as an assisted resident.

While an employee helps a resident (the session names the resident), the pages residents use
(the map, listings, responses, messages, comments) see the resident as the person logged in, so
every journey is the same one residents take themselves. The rest of the site (accounts,
privacy, moderation, the desk, admin) is closed until the employee stops: the employee's own
powers never mix with the resident's.

Every change made this way is audited with the employee as actor and the resident named; a
listing posted this way is marked as posted with help.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, flash, g, has_request_context, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from marketplace import policy
from marketplace.assisted.models import AssistedListing, AssistedResident
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.comments.models import Comment
from marketplace.commitments.models import Commitment, Message
from marketplace.extensions import db
from marketplace.listings.models import Listing

SESSION_KEY = "helping"
# The parts of the site that work as the resident: what residents themselves use to take part.
RESIDENT_BLUEPRINTS = frozenset({"main", "listings", "buurten", "api", "commitments", "comments",
                                 "following", "matching", "pwa"})
# Open as the employee themselves: the assisted pages (to stop, or to read the updates), log-out.
EMPLOYEE_ENDPOINTS = frozenset({"auth.logout", "static", "main.set_language", "main.healthz"})
_FOR_WHOM = "assisted_resident"


def init_app(app: Flask) -> None:
    app.before_request(_work_as_resident)
    app.context_processor(lambda: {"helped_resident": helped_resident(),
                                   "posted_with_help": _posted_with_help})


def _posted_with_help(listing: Listing) -> bool:
    return db.session.get(AssistedListing, listing.id) is not None


def helping_id() -> int | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def start(assisted: AssistedResident) -> None:
    session[SESSION_KEY] = assisted.user_id


def stop() -> None:
    session.pop(SESSION_KEY, None)


def employee() -> User:
    """The person really logged in: the employee while helping, else the current user."""
    return current_user.assisted_by or current_user._get_current_object()


def _work_as_resident():
    person_id = helping_id()
    if person_id is None or request.endpoint is None or request.endpoint in EMPLOYEE_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        stop()
        return None
    assisted = db.session.get(AssistedResident, person_id)
    if assisted is None or not policy.can(current_user, "resident.act_for", assisted):
        stop()
        flash(_("You no longer help this resident: they took over their account, or you no "
                "longer work for their gemeente."), "info")
        # What was sent was meant for the resident: it must not be done in the employee's name.
        return None if request.method in ("GET", "HEAD") else redirect(url_for("main.home"))
    g.helped_resident = assisted
    blueprint = (request.endpoint or "").partition(".")[0]
    if blueprint == "assisted":
        return None  # the employee's own pages about the resident
    if blueprint not in RESIDENT_BLUEPRINTS:
        flash(_("You are helping %(name)s. Stop helping first to open this page.",
                name=assisted.user.display_name), "info")
        return redirect(url_for("assisted.person", person_id=person_id))
    resident = assisted.user
    resident.assisted_by = current_user._get_current_object()
    resident.login_token = current_user.login_token
    g._login_user = resident  # what Flask-Login's current_user answers from now on
    return None


def helped_resident() -> AssistedResident | None:
    """The resident the employee is helping in this request, if any."""
    return g.get("helped_resident") if has_request_context() else None


# Audit ----------------------------------------------------------------------------------------

_WATCHED = {Listing: ("assisted.post", "assisted.edit"),
            Commitment: ("assisted.respond", "assisted.response"),
            Message: ("assisted.message", None),
            Comment: ("assisted.comment", None)}


def _acting_employee() -> tuple[User, User] | None:
    if not has_request_context() or "_login_user" not in g:
        return None
    resident = g._login_user
    helper = getattr(resident, "assisted_by", None)
    return (helper, resident) if helper is not None else None


@sa.event.listens_for(Session, "after_flush")
def _note_changes(session, _context) -> None:
    """What the employee changed as the resident, to audit once the flush is done."""
    acting = _acting_employee()
    if acting is None:
        return
    noted = session.info.setdefault(_FOR_WHOM, [])
    for instance in session.new:
        if type(instance) in _WATCHED:
            noted.append((_WATCHED[type(instance)][0], instance))
    for instance in session.dirty:
        action = _WATCHED.get(type(instance), (None, None))[1]
        if action and session.is_modified(instance, include_collections=False):
            noted.append((action, instance))


@sa.event.listens_for(Session, "after_flush_postexec")
def _audit_changes(session, _context) -> None:
    noted = session.info.pop(_FOR_WHOM, [])
    acting = _acting_employee()
    if not noted or acting is None:
        return
    helper, resident = acting
    seen = set()
    for action, instance in noted:
        if (action, type(instance), instance.id) in seen:
            continue
        seen.add((action, type(instance), instance.id))
        listing = instance if isinstance(instance, Listing) else getattr(instance, "listing", None)
        if listing is None and isinstance(instance, Message):
            listing = instance.commitment.listing
        record(helper, action, instance, after={"for_id": resident.id},
               buurt_id=listing.buurt_id if listing is not None else None,
               gemeente_id=listing.gemeente_id if listing is not None else None)
        if action == "assisted.post":
            session.add(AssistedListing(listing_id=instance.id, helper_id=helper.id))
